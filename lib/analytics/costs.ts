// Costs of model calls: the cost a span reported (cost_usd) when it has one, else its tokens at
// the model's price from the price table. Queries return both parts per model (COST_SUMS), so
// pricing happens here, once, with the same model matching as everywhere else (findPrice).
import type { CostSums } from '@/db/clickhouse/queries/analytics/model-calls'
import type { PriceParams } from '@/db/clickhouse/queries/traces'
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

/** Where a model call's cost comes from: the span reported it, the price table estimated it, or neither could. */
export type CostSource = 'reported' | 'estimated' | 'unpriced'

export interface CallCostInput {
  /** The serving model (the MODEL expression of the analytics queries). */
  model: string
  cost_usd: number | null
  input_tokens: number | string
  output_tokens: number | string
  cache_read_tokens: number | string
  cache_write_tokens: number | string
}

/** Cost of one model call: its reported cost, else its tokens at the model's price. */
export function callCostOf(call: CallCostInput, priceOf: PriceOf): { cost_usd: number; source: CostSource } {
  if (call.cost_usd !== null && call.cost_usd !== undefined) return { cost_usd: Number(call.cost_usd), source: 'reported' }
  const price = priceOf(call.model)
  if (!price) return { cost_usd: 0, source: 'unpriced' }
  const cost = callCost(price, {
    input_tokens: Number(call.input_tokens),
    output_tokens: Number(call.output_tokens),
    cache_read_tokens: Number(call.cache_read_tokens),
    cache_write_tokens: Number(call.cache_write_tokens),
  })
  return { cost_usd: cost, source: 'estimated' }
}

/**
 * The price table as query parameters, for queries that must sort or filter by cost (the traces
 * list): per serving model, USD per token of uncached input, cache read, cache write and output.
 * The rates are read off callCost itself (it is linear in each token count), so SQL prices a
 * call exactly as callCostOf does. Models without a price are left out (their calls stay unpriced).
 */
export function priceParams(models: readonly string[], priceOf: PriceOf): PriceParams {
  const out: PriceParams = { price_models: [], price_input: [], price_cache_read: [], price_cache_write: [], price_output: [] }
  for (const model of new Set(models)) {
    const price = priceOf(model)
    if (!price) continue
    const M = 1_000_000
    out.price_models.push(model)
    out.price_input.push(callCost(price, { input_tokens: M, output_tokens: 0 }) / M)
    out.price_cache_read.push(callCost(price, { input_tokens: M, cache_read_tokens: M, output_tokens: 0 }) / M)
    out.price_cache_write.push(callCost(price, { input_tokens: M, cache_write_tokens: M, output_tokens: 0 }) / M)
    out.price_output.push(callCost(price, { input_tokens: 0, output_tokens: M }) / M)
  }
  return out
}
