// Spans as the trace view shows them: the stored rows with the parts that arrived apart from
// them merged in (lib/ingest/span-parts.ts owns the rule): GenAI log records fill input, output
// and events; Langfuse updates not yet written to spans apply field by field; parts whose span
// has no row yet show as spans of their own. Every trace read (API, page, inspector) goes
// through here, so they all show the same merged span, once.
import { getSpan, getTraceOutline, getTraceSpans, type SpanOutline } from '@/db/clickhouse/queries/traces'
import { servingModelOf } from '@/db/clickhouse/queries/analytics/model-calls'
import { getTraceParts, type StoredPart } from '@/db/clickhouse/queries/span-parts'
import type { SpanRecord } from '@/db/clickhouse/queries/spans-select'
import { env } from '@/lib/config/env'
import { payloadToText } from '@/lib/ingest/payload'
import { foldUpdates, logEvents, PROMOTED_THROUGH, type LogEvent } from '@/lib/ingest/span-parts'
import { toSpanRow } from '@/lib/ingest/span-row'
import { spanInputSchema } from '@/lib/ingest/span-schema'
import { payloadFromEvents } from '@/lib/otlp/genai-events'
import type { AttributeValue, Attributes } from '@/lib/otlp/otlp-span'
import { nanosToIso } from '@/lib/time/nanos'
import { spanToApi } from './span-api'

interface SpanParts {
  updates: StoredPart[]
  logs: StoredPart[]
  /** Set when the promoter wrote the spans row: the newest update it was built from. */
  promotedThrough?: string
}

function groupParts(parts: readonly StoredPart[]): Map<string, SpanParts> {
  const bySpan = new Map<string, SpanParts>()
  for (const part of parts) {
    let entry = bySpan.get(part.span_id)
    if (!entry) bySpan.set(part.span_id, (entry = { updates: [], logs: [] }))
    if (part.source === 'log') entry.logs.push(part)
    else if (part.source === 'langfuse') entry.updates.push(part)
    else if (part.source === 'promoted' && part.part_id.startsWith(PROMOTED_THROUGH)) entry.promotedThrough = part.part_id.slice(PROMOTED_THROUGH.length)
  }
  return bySpan
}

/** A stored span back in the native shape (the read API's shape is re-sendable), empty values left out. */
function nativeOf(record: SpanRecord): Record<string, unknown> {
  const api = spanToApi({ ...record }) as Record<string, unknown>
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(api)) if (value !== '' && value !== null && value !== undefined) out[key] = value
  delete out.system_prompt_hash // kept from the stored row below
  delete out.serving_model // derived by the read, not a field of a span
  return out
}

/** The record of a merged native span; `base` keeps what only the stored row has. */
function recordOf(projectId: string, native: Record<string, unknown>, base?: SpanRecord): SpanRecord | undefined {
  const parsed = spanInputSchema.safeParse(native)
  if (!parsed.success) return base
  const span = parsed.data
  // The prompt text of an update is stored when the promoter writes the span; here only its hash.
  const { system_prompt: _text, ...withoutPrompt } = span
  const { row } = toSpanRow(projectId, withoutPrompt, { maxPayloadBytes: env().FLIGHTLINE_MAX_PAYLOAD_BYTES })
  const { project_id: _p, start_time: _s, end_time: _e, temperature: _t, ...rest } = row
  return {
    ...rest,
    system_prompt_hash: base?.system_prompt_hash || row.system_prompt_hash,
    start_ns: span.start_time.toString(),
    end_ns: (span.end_time ?? span.start_time).toString(),
    ingested_at: base?.ingested_at ?? new Date().toISOString(),
  }
}

function earliest(parts: readonly StoredPart[]): string {
  let min = parts[0].time_ns
  for (const part of parts) if (part.time_ns.length < min.length || (part.time_ns.length === min.length && part.time_ns < min)) min = part.time_ns
  return min
}

function latest(events: readonly LogEvent[], fallback: string): string {
  let max = fallback
  for (const event of events) if (event.time && (event.time.length > max.length || (event.time.length === max.length && event.time > max))) max = event.time
  return max
}

/** Log records' messages fill a missing input/output; every record joins the span's events. */
function withLogs(record: SpanRecord, events: readonly LogEvent[]): SpanRecord {
  const genAi = events.map((event) => {
    const { body, ...attributes } = event.attributes
    return { name: event.name, attributes: attributes as Attributes, body: body as AttributeValue | undefined }
  })
  const payload = payloadFromEvents(genAi)
  const merged = { ...record }
  if (!merged.input && payload.input !== undefined) merged.input = payloadToText(payload.input)
  if (!merged.output && payload.output !== undefined) merged.output = payloadToText(payload.output)
  let existing: unknown[] = []
  try {
    existing = record.events ? (JSON.parse(record.events) as unknown[]) : []
  } catch {
    existing = []
  }
  merged.events = JSON.stringify([...existing, ...events.map((event) => ({ ...event, time: event.time ? nanosToIso(event.time) : undefined }))])
  return merged
}

/** Merges a trace's parts into its stored spans; spans known only from parts are added. */
export function mergeSpanParts(projectId: string, traceId: string, records: readonly SpanRecord[], parts: readonly StoredPart[]): SpanRecord[] {
  if (parts.length === 0) return [...records]
  const bySpan = groupParts(parts)
  const out: SpanRecord[] = []
  const seen = new Set<string>()
  for (const record of records) {
    seen.add(record.span_id)
    const entry = bySpan.get(record.span_id)
    if (!entry) {
      out.push(record)
      continue
    }
    let merged = record
    // Updates the row was not built from (the promoter wrote it from the earlier ones).
    const through = entry.promotedThrough ?? record.ingested_at
    const late = entry.updates.filter((part) => part.ingested_at > through)
    if (late.length > 0) merged = recordOf(projectId, foldUpdates(late, nativeOf(record), { baseIsStored: true }), record) ?? record
    if (entry.logs.length > 0) merged = withLogs(merged, logEvents(entry.logs))
    out.push(merged)
  }
  for (const [spanId, entry] of bySpan) {
    if (seen.has(spanId) || (entry.updates.length === 0 && entry.logs.length === 0)) continue
    const all = [...entry.updates, ...entry.logs]
    const events = logEvents(entry.logs)
    const start = earliest(all)
    const fallback: Record<string, unknown> = {
      trace_id: traceId,
      span_id: spanId,
      name: events[0]?.name ?? '(span known from its log records)',
      start_time: start,
      end_time: latest(events, start),
      // Log records alone say nothing about the work; a Langfuse update names its own kind.
      kind: 'other',
    }
    const native = entry.updates.length > 0 ? foldUpdates(entry.updates, fallback) : fallback
    if (native.end_time !== undefined && String(native.end_time) < String(native.start_time) && String(native.end_time).length <= String(native.start_time).length) delete native.end_time
    const record = recordOf(projectId, native)
    if (record) out.push(entry.logs.length > 0 ? withLogs(record, events) : record)
  }
  return out.sort((a, b) => a.start_ns.length - b.start_ns.length || (a.start_ns < b.start_ns ? -1 : a.start_ns > b.start_ns ? 1 : a.span_id < b.span_id ? -1 : 1))
}

/** Every span of a trace, parts merged. */
export async function readTraceSpans(projectId: string, traceId: string): Promise<{ spans: ServedSpan[]; truncated: boolean }> {
  const [{ spans, truncated }, parts] = await Promise.all([getTraceSpans(projectId, traceId), getTraceParts(projectId, traceId)])
  if (parts.length === 0) return { spans, truncated }
  return { spans: mergeSpanParts(projectId, traceId, spans, parts).map((span) => ({ ...span, serving_model: servingModelOf(span) })), truncated }
}

type ServedSpan = SpanRecord & { serving_model: string }

function outlineOf(span: SpanRecord): SpanOutline {
  return {
    span_id: span.span_id,
    parent_span_id: span.parent_span_id,
    name: span.name,
    kind: span.kind,
    start_ns: span.start_ns,
    end_ns: span.end_ns,
    duration_ms: Number(span.duration_ms),
    status: span.status,
    tenant_id: span.tenant_id,
    user_id: span.user_id,
    session_id: span.session_id,
    agent_name: span.agent_name,
    tool_name: span.tool_name,
    model_requested: span.model_requested,
    model_resolved: span.model_resolved,
    serving_model: servingModelOf(span),
    input_tokens: Number(span.input_tokens),
    output_tokens: Number(span.output_tokens),
    cache_read_tokens: Number(span.cache_read_tokens),
    cache_write_tokens: Number(span.cache_write_tokens),
    cost_usd: span.cost_usd,
    retry_attempt: Number(span.retry_attempt),
    retry_of: span.retry_of,
    schema_valid: span.schema_valid,
    prompt_name: span.prompt_name,
    prompt_version: span.prompt_version,
    temperature: (span as SpanRecord & { temperature?: number | null }).temperature ?? null,
    input_truncated: Number(span.input_original_bytes) > 0 ? 1 : 0,
    output_truncated: Number(span.output_original_bytes) > 0 ? 1 : 0,
  }
}

/** The explorer's outline of a trace; a trace with parts is merged from its full spans. */
export async function readTraceOutline(projectId: string, traceId: string): Promise<{ spans: SpanOutline[]; truncated: boolean }> {
  const parts = await getTraceParts(projectId, traceId)
  if (parts.length === 0) return getTraceOutline(projectId, traceId)
  const { spans, truncated } = await getTraceSpans(projectId, traceId)
  return { spans: mergeSpanParts(projectId, traceId, spans, parts).map(outlineOf), truncated }
}

/** One span in full, parts merged; with `payloadChars`, payloads cut to a preview. */
export async function readSpan(
  projectId: string,
  traceId: string,
  spanId: string,
  payloadChars?: number,
): Promise<(SpanRecord & { input_chars: number; output_chars: number }) | undefined> {
  const own = (await getTraceParts(projectId, traceId, spanId)).filter((part) => part.span_id === spanId)
  if (own.length === 0) return getSpan(projectId, traceId, spanId, payloadChars)
  const stored = await getSpan(projectId, traceId, spanId)
  const base = stored ? (({ input_chars: _i, output_chars: _o, ...rest }) => rest)(stored) : undefined
  let record = mergeSpanParts(projectId, traceId, base ? [base] : [], own).find((span) => span.span_id === spanId)
  if (!record) return undefined
  const input = [...record.input]
  const output = [...record.output]
  if (payloadChars) record = { ...record, input: input.slice(0, payloadChars).join(''), output: output.slice(0, payloadChars).join('') }
  return { ...record, input_chars: input.length, output_chars: output.length }
}
