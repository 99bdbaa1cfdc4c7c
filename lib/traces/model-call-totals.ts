// Trace totals count each model call once. Instrumentations repeat summed usage on wrapper
// spans (the AI SDK's generateText root, an agent span over its steps), so only model calls
// with no model call beneath them - leaves among the llm spans - are summed. A tool span ends
// that search: a model call whose tool calls the model again (re-entry) made a real call of its
// own, and its usage is not a repeat of the inner call's.
import type { CostSource } from '@/lib/analytics/costs'

export interface ModelCallUsage {
  span_id: string
  parent_span_id: string
  input_tokens: number
  output_tokens: number
  cache_read_tokens: number
  /** The call's cost: reported, else priced (lib/analytics/costs.ts callCostOf). */
  cost_usd: number | null
  /** Where cost_usd came from; without it, a null cost is unpriced and any other reported. */
  cost_source?: CostSource
}

export interface UsageTotals {
  input_tokens: number
  output_tokens: number
  cache_read_tokens: number
  cost_usd: number
  model_calls: number
  /** Counted calls whose cost the price table estimated (they reported none). */
  estimated_cost_calls: number
  /** Counted calls with neither a reported cost nor a price for their model (they add $0). */
  unpriced_cost_calls: number
}

export function sumLeafModelCalls(calls: readonly ModelCallUsage[], parentOf?: ReadonlyMap<string, string>, toolSpans?: ReadonlySet<string>): UsageTotals {
  // A model call is a wrapper if some other model call sits below it, not counting through a
  // tool. Without the full parent map (list views), only direct parents are known; detail
  // views pass the map and the tool spans.
  const wrappers = new Set<string>()
  for (const call of calls) {
    let parent = call.parent_span_id
    const seen = new Set<string>()
    while (parent && !seen.has(parent) && !toolSpans?.has(parent)) {
      wrappers.add(parent)
      seen.add(parent)
      parent = parentOf?.get(parent) ?? ''
    }
  }
  const totals: UsageTotals = { input_tokens: 0, output_tokens: 0, cache_read_tokens: 0, cost_usd: 0, model_calls: 0, estimated_cost_calls: 0, unpriced_cost_calls: 0 }
  for (const call of calls) {
    if (wrappers.has(call.span_id)) continue
    totals.input_tokens += Number(call.input_tokens)
    totals.output_tokens += Number(call.output_tokens)
    totals.cache_read_tokens += Number(call.cache_read_tokens)
    totals.cost_usd += Number(call.cost_usd ?? 0)
    totals.model_calls++
    const source = call.cost_source ?? (call.cost_usd === null ? 'unpriced' : 'reported')
    if (source === 'estimated') totals.estimated_cost_calls++
    else if (source === 'unpriced') totals.unpriced_cost_calls++
  }
  return totals
}
