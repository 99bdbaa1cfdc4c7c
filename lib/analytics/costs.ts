// Costs of model calls: the cost a span reported (cost_usd) when it has one, else its tokens at
// the model's price from the price table. Queries return both parts per model (COST_SUMS), so
// pricing happens here, once, with the same model matching as everywhere else (findPrice).
import type { CostSums } from '@/db/clickhouse/queries/analytics/model-calls'
import { listPrices } from '@/lib/pricing/price-table'
import { callCost, findPrice, type ModelPrice } from '@/lib/pricing/seed-prices'

export type PriceOf = (model: string) => ModelPrice | undefined

/** A memoized model -> price lookup over one snapshot of the price table. */
export function priceLookup(prices: readonly ModelPrice[]): PriceOf {
  const cache = new Map<string, ModelPrice | undefined>()
  return (model) => {
    if (!cache.has(model)) cache.set(model, model ? findPrice(model, prices) : undefined)
    return cache.get(model)
  }
}

export async function currentPrices(): Promise<PriceOf> {
  return priceLookup(await listPrices())
}

/** Cost of a group of calls to one model; tokens of calls without a reported cost are priced. */
export function costOf(model: string, sums: CostSums, priceOf: PriceOf): number {
  const reported = Number(sums.reported_cost_usd ?? 0)
  const price = priceOf(model)
  if (!price) return reported
  return (
    reported +
    callCost(price, {
      input_tokens: Number(sums.unpriced_input_tokens),
      output_tokens: Number(sums.unpriced_output_tokens),
      cache_read_tokens: Number(sums.unpriced_cache_read_tokens),
      cache_write_tokens: Number(sums.unpriced_cache_write_tokens),
    })
  )
}

/** Per-model cost inputs as queries return them: (model, reported cost, unpriced input, output, cache-read, cache-write tokens). */
export type ModelCostTuple = [string, number | null, string | number, string | number, string | number, string | number]

/** Cost of groups of calls to several models. */
export function costOfModels(costs: readonly ModelCostTuple[], priceOf: PriceOf): number {
  let total = 0
  for (const [model, reported, input, output, cacheRead, cacheWrite] of costs) {
    total += costOf(
      model,
      { reported_cost_usd: reported, unpriced_input_tokens: input, unpriced_output_tokens: output, unpriced_cache_read_tokens: cacheRead, unpriced_cache_write_tokens: cacheWrite },
      priceOf,
    )
  }
  return total
}
