import { answer, requireAdmin } from '@/lib/auth/with-project'
import { badRequest, jsonResponse } from '@/lib/http/errors'
import { readJson } from '@/lib/http/read-body'
import { describeIssues } from '@/lib/ingest/span-schema'
import { DuplicateModelError, listPrices, priceInputSchema, priceListSchema, priceToApi, replacePrices } from '@/lib/pricing/price-table'
import type { ModelPrice } from '@/lib/pricing/seed-prices'

export const dynamic = 'force-dynamic'

export function GET(request: Request) {
  return answer(async () => {
    await requireAdmin(request)
    return jsonResponse({ prices: (await listPrices()).map(priceToApi) })
  })
}

/** Replaces the whole price table. One invalid price rejects the request; nothing is half-applied. */
export function PUT(request: Request) {
  return answer(async () => {
    await requireAdmin(request)
    const body = priceListSchema.safeParse(await readJson(request, 4 * 1024 * 1024))
    if (!body.success) throw badRequest(describeIssues(body.error))
    const prices: ModelPrice[] = []
    const problems: string[] = []
    body.data.prices.forEach((item, index) => {
      const parsed = priceInputSchema.safeParse(item)
      if (parsed.success) prices.push(parsed.data)
      else problems.push(`prices[${index}]: ${describeIssues(parsed.error)}`)
    })
    if (problems.length > 0) throw badRequest(problems.slice(0, 20).join('; '))
    try {
      await replacePrices(prices)
    } catch (error) {
      if (error instanceof DuplicateModelError) throw badRequest(`prices: ${error.message}`)
      throw error
    }
    return jsonResponse({ prices: (await listPrices()).map(priceToApi) })
  })
}
