// The trace-level facts the explorer shows above a trace and the API returns with it: duration,
// span counts by kind, model-call totals (each call counted once), errors, who it was for.
import { callCostOf, type PriceOf } from '@/lib/analytics/costs'
import { sumLeafModelCalls } from './model-call-totals'

export interface SummarySpan {
  span_id: string
  parent_span_id: string
  kind: string
  status: string
  start_ns: string
  end_ns: string
  tenant_id: string
  user_id: string
  session_id: string
  model_requested: string
  model_resolved: string
  /** The serving model (MODEL in the analytics queries), which prices the call. */
  serving_model: string
  input_tokens: number | string
  output_tokens: number | string
  cache_read_tokens: number | string
  cache_write_tokens: number | string
  cost_usd: number | null
}

export interface TraceSummary {
  start_ns: string
  end_ns: string
  duration_ms: number
  span_count: number
  spans_by_kind: Record<string, number>
  error_count: number
  model_calls: number
  input_tokens: number
  output_tokens: number
  cache_read_tokens: number
  /** Reported costs, and the price table's for calls that reported none (one definition: docs/analytics.md). */
  cost_usd: number
  estimated_cost_calls: number
  unpriced_cost_calls: number
  tenant_ids: string[]
  user_ids: string[]
  session_ids: string[]
  models: string[]
}

export function summarizeTrace(spans: readonly SummarySpan[], priceOf: PriceOf): TraceSummary {
  let start = spans.length > 0 ? BigInt(spans[0].start_ns) : 0n
  let end = start
  const byKind: Record<string, number> = {}
  const tenants = new Set<string>()
  const users = new Set<string>()
  const sessions = new Set<string>()
  const models = new Set<string>()
  const parentOf = new Map<string, string>()
  const toolSpans = new Set<string>()
  let errors = 0
  for (const span of spans) {
    const s = BigInt(span.start_ns)
    const e = BigInt(span.end_ns)
    if (s < start) start = s
    if (e > end) end = e
    byKind[span.kind] = (byKind[span.kind] ?? 0) + 1
    if (span.status === 'error') errors++
    if (span.tenant_id) tenants.add(span.tenant_id)
    if (span.user_id) users.add(span.user_id)
    if (span.session_id) sessions.add(span.session_id)
    if (span.kind === 'llm' && (span.model_resolved || span.model_requested)) models.add(span.model_resolved || span.model_requested)
    if (span.parent_span_id) parentOf.set(span.span_id, span.parent_span_id)
    if (span.kind === 'tool') toolSpans.add(span.span_id)
  }
  const totals = sumLeafModelCalls(
    spans
      .filter((span) => span.kind === 'llm')
      .map((span) => {
        const cost = callCostOf({ ...span, model: span.serving_model }, priceOf)
        return {
          span_id: span.span_id,
          parent_span_id: span.parent_span_id,
          input_tokens: Number(span.input_tokens),
          output_tokens: Number(span.output_tokens),
          cache_read_tokens: Number(span.cache_read_tokens),
          cost_usd: cost.cost_usd,
          cost_source: cost.source,
        }
      }),
    parentOf,
    toolSpans,
  )
  return {
    start_ns: start.toString(),
    end_ns: end.toString(),
    duration_ms: Number(end - start) / 1e6,
    span_count: spans.length,
    spans_by_kind: byKind,
    error_count: errors,
    ...totals,
    tenant_ids: [...tenants].sort(),
    user_ids: [...users].sort(),
    session_ids: [...sessions].sort(),
    models: [...models].sort(),
  }
}
