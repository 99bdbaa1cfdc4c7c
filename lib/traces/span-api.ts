// Renders stored spans and trace list rows in the API's snake_case shape (the same names the
// ingest API accepts), with ISO-8601 times.
import type { SpanRecord } from '@/db/clickhouse/queries/spans-select'
import { kindsFromBits, type TraceListRow } from '@/db/clickhouse/queries/traces'
import { nanosToIso } from '@/lib/time/nanos'

function parseJson(text: string): unknown {
  if (!text) return undefined
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

export function spanToApi(span: SpanRecord) {
  // Reuses the row object: a 10,000-span trace goes through here in one request.
  const { start_ns, end_ns, params, events, ...rest } = span
  return Object.assign(rest, {
    start_time: nanosToIso(start_ns),
    end_time: nanosToIso(end_ns),
    duration_ms: Number(span.duration_ms),
    input_tokens: Number(span.input_tokens),
    output_tokens: Number(span.output_tokens),
    reasoning_tokens: Number(span.reasoning_tokens),
    cache_read_tokens: Number(span.cache_read_tokens),
    cache_write_tokens: Number(span.cache_write_tokens),
    local_input_tokens: span.local_input_tokens === null ? null : Number(span.local_input_tokens),
    params: (parseJson(params) as Record<string, unknown> | undefined) ?? {},
    events: (parseJson(events) as unknown[] | undefined) ?? [],
    input_truncated: Number(span.input_original_bytes) > 0,
    output_truncated: Number(span.output_original_bytes) > 0,
    input_original_bytes: Number(span.input_original_bytes),
    output_original_bytes: Number(span.output_original_bytes),
    /** Values redacted at ingest, by rule name. */
    redactions: Object.fromEntries(Object.entries(span.redactions ?? {}).map(([rule, n]) => [rule, Number(n)])),
    sample_weight: span.sample_weight === undefined ? 1 : Number(span.sample_weight),
  })
}

export type ApiSpan = ReturnType<typeof spanToApi>

export function traceRowToApi(row: TraceListRow) {
  return {
    trace_id: row.trace_id,
    /** The root span's name, and the service that sent it. */
    name: row.name,
    service_name: row.service_name || null,
    start_time: nanosToIso(row.start_ns),
    duration_ms: Number(BigInt(row.end_ns) - BigInt(row.start_ns)) / 1e6,
    span_count: Number(row.span_count),
    error_count: Number(row.error_count),
    tenant_id: row.tenant_ids[0] ?? null,
    user_id: row.user_ids[0] ?? null,
    session_id: row.session_ids[0] ?? null,
    models: row.models,
    span_kinds: kindsFromBits(row.kind_bits),
    model_calls: Number(row.model_call_count),
    input_tokens: Number(row.input_tokens),
    output_tokens: Number(row.output_tokens),
    cache_read_tokens: Number(row.cache_read_tokens),
    /** Reported costs, and the price table's for model calls that reported none. */
    cost_usd: Number(row.cost_usd),
    /** How many counted model calls were priced from the price table, and how many could not be priced. */
    estimated_cost_calls: row.estimated_cost_calls,
    unpriced_cost_calls: row.unpriced_cost_calls,
    /** The first error (the errored span that ended first): type, message and span name. */
    first_error: row.first_error,
    /** Cycles of the aggregated call graph (re-entry); null when none was found. */
    cycles: row.cycle && row.cycle.cycle_count > 0 ? row.cycle : null,
  }
}

export type ApiTraceSummary = ReturnType<typeof traceRowToApi>
