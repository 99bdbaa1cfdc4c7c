import { coefficientInputSchema, deleteCoefficient, upsertCoefficient } from '@/lib/energy/coefficient-table'
import { modelRowRoutes } from '@/lib/http/model-row-routes'

export const dynamic = 'force-dynamic'

/** Creates or changes one model's energy coefficients; removes them. */
export const { PUT, DELETE } = modelRowRoutes({
  schema: coefficientInputSchema,
  bodyHint: '{"wh_per_1k_input", "wh_per_1k_cached_input", "wh_per_1k_output"}',
  save: upsertCoefficient,
  remove: deleteCoefficient,
  missing: (model) => `no energy coefficients for model ${JSON.stringify(model)}`,
})
