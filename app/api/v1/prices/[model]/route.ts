import { modelRowRoutes } from '@/lib/http/model-row-routes'
import { deletePrice, listPrices, priceInputSchema, priceToApi, upsertPrice } from '@/lib/pricing/price-table'

export const dynamic = 'force-dynamic'

/** Creates or updates one model's price; removes it. */
export const { PUT, DELETE } = modelRowRoutes({
  schema: priceInputSchema,
  bodyHint: 'with the prices of one model',
  save: async (price) => {
    await upsertPrice(price)
    return priceToApi((await listPrices()).find((saved) => saved.model === price.model)!)
  },
  remove: deletePrice,
  missing: (model) => `no price for model ${JSON.stringify(model)}`,
})
