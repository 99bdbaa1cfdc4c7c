// The PUT and DELETE of one model's row in an administrator's table keyed by model name (prices,
// energy coefficients): PUT creates or changes the row (the model in the path wins over one in
// the body), DELETE removes it (404 when there is none).
import type { z } from 'zod'
import { answer, requireAdmin } from '@/lib/auth/with-project'
import { badRequest, jsonResponse, notFound } from '@/lib/http/errors'
import { decodedPathParam } from '@/lib/http/path-params'
import { readJson } from '@/lib/http/read-body'
import { describeIssues } from '@/lib/ingest/span-schema'

type Context = { params: Promise<{ model: string }> }

export interface ModelRowTable<T> {
  schema: z.ZodType<T>
  /** What the body must be, for the error when it is not an object. */
  bodyHint: string
  /** Stores the row and answers what the API shows of it. */
  save: (row: T) => Promise<unknown>
  remove: (model: string) => Promise<boolean>
  /** The 404 message for a model without a row. */
  missing: (model: string) => string
}

export function modelRowRoutes<T>(table: ModelRowTable<T>) {
  const modelOf = async (context: Context) => decodedPathParam((await context.params).model)
  return {
    PUT(request: Request, context: Context) {
      return answer(async () => {
        await requireAdmin(request)
        const model = await modelOf(context)
        const body = await readJson(request, 64 * 1024)
        if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest(`body must be a JSON object ${table.bodyHint}`)
        const parsed = table.schema.safeParse({ ...body, model })
        if (!parsed.success) throw badRequest(describeIssues(parsed.error))
        return jsonResponse(await table.save(parsed.data))
      })
    },
    DELETE(request: Request, context: Context) {
      return answer(async () => {
        await requireAdmin(request)
        const model = await modelOf(context)
        if (!(await table.remove(model))) throw notFound(table.missing(model))
        return new Response(null, { status: 204 })
      })
    },
  }
}
