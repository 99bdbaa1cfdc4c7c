import { answer, requireAdmin } from '@/lib/auth/with-project'
import { badRequest, jsonResponse, notFound } from '@/lib/http/errors'
import { decodedPathParam } from '@/lib/http/path-params'
import { readJson } from '@/lib/http/read-body'
import { describeIssues } from '@/lib/ingest/span-schema'
import { coefficientInputSchema, deleteCoefficient, upsertCoefficient } from '@/lib/energy/coefficient-table'

export const dynamic = 'force-dynamic'

type Context = { params: Promise<{ model: string }> }

async function modelOf(context: Context): Promise<string> {
  return decodedPathParam((await context.params).model)
}

/** Creates or changes one model's energy coefficients; the model in the path wins over one in the body. */
export function PUT(request: Request, context: Context) {
  return answer(async () => {
    await requireAdmin(request)
    const model = await modelOf(context)
    const body = await readJson(request, 64 * 1024)
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('body must be a JSON object {"wh_per_1k_input", "wh_per_1k_cached_input", "wh_per_1k_output"}')
    const parsed = coefficientInputSchema.safeParse({ ...body, model })
    if (!parsed.success) throw badRequest(describeIssues(parsed.error))
    return jsonResponse(await upsertCoefficient(parsed.data))
  })
}

export function DELETE(request: Request, context: Context) {
  return answer(async () => {
    await requireAdmin(request)
    const model = await modelOf(context)
    if (!(await deleteCoefficient(model))) throw notFound(`no energy coefficients for model ${JSON.stringify(model)}`)
    return new Response(null, { status: 204 })
  })
}
