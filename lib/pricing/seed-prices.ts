// Public list prices (USD per 1M tokens) used to seed the editable price table and by the demo
// workload. Model names match by exact name or by prefix, so dated snapshots such as
// `gpt-4o-2024-08-06` find `gpt-4o`. The longest matching prefix wins.

export interface ModelPrice {
  model: string
  provider: string
  input_per_mtok: number
  output_per_mtok: number
  cache_read_per_mtok: number
  cache_write_per_mtok: number
}

export const SEED_PRICES: readonly ModelPrice[] = [
  { model: 'gpt-4o', provider: 'openai', input_per_mtok: 2.5, output_per_mtok: 10, cache_read_per_mtok: 1.25, cache_write_per_mtok: 0 },
  { model: 'gpt-4o-mini', provider: 'openai', input_per_mtok: 0.15, output_per_mtok: 0.6, cache_read_per_mtok: 0.075, cache_write_per_mtok: 0 },
  { model: 'gpt-4.1', provider: 'openai', input_per_mtok: 2, output_per_mtok: 8, cache_read_per_mtok: 0.5, cache_write_per_mtok: 0 },
  { model: 'gpt-4.1-mini', provider: 'openai', input_per_mtok: 0.4, output_per_mtok: 1.6, cache_read_per_mtok: 0.1, cache_write_per_mtok: 0 },
  { model: 'gpt-4.1-nano', provider: 'openai', input_per_mtok: 0.1, output_per_mtok: 0.4, cache_read_per_mtok: 0.025, cache_write_per_mtok: 0 },
  { model: 'o3', provider: 'openai', input_per_mtok: 2, output_per_mtok: 8, cache_read_per_mtok: 0.5, cache_write_per_mtok: 0 },
  { model: 'o4-mini', provider: 'openai', input_per_mtok: 1.1, output_per_mtok: 4.4, cache_read_per_mtok: 0.275, cache_write_per_mtok: 0 },
  { model: 'text-embedding-3-small', provider: 'openai', input_per_mtok: 0.02, output_per_mtok: 0, cache_read_per_mtok: 0, cache_write_per_mtok: 0 },
  { model: 'text-embedding-3-large', provider: 'openai', input_per_mtok: 0.13, output_per_mtok: 0, cache_read_per_mtok: 0, cache_write_per_mtok: 0 },
  { model: 'claude-opus-4-1', provider: 'anthropic', input_per_mtok: 15, output_per_mtok: 75, cache_read_per_mtok: 1.5, cache_write_per_mtok: 18.75 },
  { model: 'claude-sonnet-4-5', provider: 'anthropic', input_per_mtok: 3, output_per_mtok: 15, cache_read_per_mtok: 0.3, cache_write_per_mtok: 3.75 },
  { model: 'claude-sonnet-4', provider: 'anthropic', input_per_mtok: 3, output_per_mtok: 15, cache_read_per_mtok: 0.3, cache_write_per_mtok: 3.75 },
  { model: 'claude-haiku-4-5', provider: 'anthropic', input_per_mtok: 1, output_per_mtok: 5, cache_read_per_mtok: 0.1, cache_write_per_mtok: 1.25 },
  { model: 'claude-3-5-haiku', provider: 'anthropic', input_per_mtok: 0.8, output_per_mtok: 4, cache_read_per_mtok: 0.08, cache_write_per_mtok: 1 },
  { model: 'gemini-2.5-pro', provider: 'google', input_per_mtok: 1.25, output_per_mtok: 10, cache_read_per_mtok: 0.31, cache_write_per_mtok: 0 },
  { model: 'gemini-2.5-flash', provider: 'google', input_per_mtok: 0.3, output_per_mtok: 2.5, cache_read_per_mtok: 0.075, cache_write_per_mtok: 0 },
]

export function findPrice(model: string, prices: readonly ModelPrice[] = SEED_PRICES): ModelPrice | undefined {
  const name = model.toLowerCase().replace(/^(openai|anthropic|google|models)\//, '')
  let best: ModelPrice | undefined
  for (const price of prices) {
    if (name === price.model) return price
    if (name.startsWith(`${price.model}-`) || name.startsWith(`${price.model}@`)) {
      if (!best || price.model.length > best.model.length) best = price
    }
  }
  return best
}

/**
 * Cost of one model call. Input tokens include cached ones (our normalized meaning), so the
 * uncached part is input - cache_read - cache_write.
 */
export function callCost(
  price: ModelPrice,
  usage: { input_tokens: number; output_tokens: number; cache_read_tokens?: number; cache_write_tokens?: number },
): number {
  const cacheRead = usage.cache_read_tokens ?? 0
  const cacheWrite = usage.cache_write_tokens ?? 0
  const uncached = Math.max(0, usage.input_tokens - cacheRead - cacheWrite)
  return (
    (uncached * price.input_per_mtok +
      cacheRead * price.cache_read_per_mtok +
      cacheWrite * (price.cache_write_per_mtok || price.input_per_mtok) +
      usage.output_tokens * price.output_per_mtok) /
    1_000_000
  )
}
