import { answer, requireAdmin } from '@/lib/auth/with-project'
import { badRequest, jsonResponse, notFound } from '@/lib/http/errors'
import { decodedPathParam } from '@/lib/http/path-params'
import { readJson } from '@/lib/http/read-body'
import { describeIssues } from '@/lib/ingest/span-schema'
import { deletePrice, listPrices, priceInputSchema, priceToApi, upsertPrice } from '@/lib/pricing/price-table'

export const dynamic = 'force-dynamic'

type Context = { params: Promise<{ model: string }> }

async function modelOf(context: Context): Promise<string> {
  return decodedPathParam((await context.params).model)
}

/** Creates or updates one model's price; the model in the path wins over one in the body. */
export function PUT(request: Request, context: Context) {
  return answer(async () => {
    await requireAdmin(request)
    const model = await modelOf(context)
    const body = await readJson(request, 64 * 1024)
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('body must be a JSON object with the prices of one model')
    const parsed = priceInputSchema.safeParse({ ...body, model })
    if (!parsed.success) throw badRequest(describeIssues(parsed.error))
    await upsertPrice(parsed.data)
    const saved = (await listPrices()).find((price) => price.model === parsed.data.model)!
    return jsonResponse(priceToApi(saved))
  })
}

export function DELETE(request: Request, context: Context) {
  return answer(async () => {
    await requireAdmin(request)
    const model = await modelOf(context)
    if (!(await deletePrice(model))) throw notFound(`no price for model ${JSON.stringify(model)}`)
    return new Response(null, { status: 204 })
  })
}
