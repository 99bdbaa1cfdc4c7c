// Turns a validated span into the ClickHouse row of the `spans` table. Both ingest paths (the
// native JSON API and OTLP) produce a SpanInput first and come through here, so limits,
// truncation, defaults and derived columns are applied in exactly one place.
import { createHash } from 'node:crypto'
import { nanosToClickhouse, nanosToIso } from '@/lib/time/nanos'
import { fitPayload } from './payload'
import type { PromptSnapshotRow, SpanRow } from '@/db/clickhouse/rows'
import type { SpanInput, SpanKind } from './span-schema'

export type { PromptSnapshotRow, SpanRow }


export interface SpanRowLimits {
  maxPayloadBytes: number
}

/** Kind when the sender did not say: the facts present on the span decide. */
export function inferKind(span: Pick<SpanInput, 'kind' | 'tool_name' | 'model_requested' | 'model_resolved'>): SpanKind {
  if (span.kind) return span.kind
  if (span.tool_name) return 'tool'
  if (span.model_requested || span.model_resolved) return 'llm'
  return 'other'
}

export function hashSystemPrompt(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}

/** Attribute values are stored as strings: strings as-is, everything else as JSON. */
export function toStringMap(record: Record<string, unknown> | undefined, maxValueBytes: number): Record<string, string> {
  const out: Record<string, string> = {}
  if (!record) return out
  for (const [key, value] of Object.entries(record)) {
    if (value === undefined) continue
    out[key] = fitPayload(value, maxValueBytes).text
  }
  return out
}

export function toSpanRow(projectId: string, span: SpanInput, limits: SpanRowLimits): { row: SpanRow; snapshot?: PromptSnapshotRow } {
  const end = span.end_time ?? span.start_time
  const input = fitPayload(span.input, limits.maxPayloadBytes)
  const output = fitPayload(span.output, limits.maxPayloadBytes)
  const resource = span.resource ?? {}
  const params = span.params ?? {}
  const temperature = typeof params.temperature === 'number' ? params.temperature : null

  let snapshot: PromptSnapshotRow | undefined
  let systemPromptHash = span.system_prompt_hash ?? ''
  if (span.system_prompt) {
    systemPromptHash = hashSystemPrompt(span.system_prompt)
    snapshot = { project_id: projectId, hash: systemPromptHash, text: span.system_prompt }
  }
  const resourceString = (key: string) => (typeof resource[key] === 'string' ? (resource[key] as string) : '')

  const row: SpanRow = {
    project_id: projectId,
    trace_id: span.trace_id,
    span_id: span.span_id,
    parent_span_id: span.parent_span_id ?? '',
    name: span.name,
    kind: inferKind(span),
    start_time: nanosToClickhouse(span.start_time),
    end_time: nanosToClickhouse(end),
    duration_ms: Number(end - span.start_time) / 1e6,
    status: span.status,
    status_message: span.status_message ?? '',
    error_type: span.error_type ?? '',
    tenant_id: span.tenant_id ?? '',
    user_id: span.user_id ?? '',
    session_id: span.session_id ?? '',
    agent_name: span.agent_name ?? '',
    model_requested: span.model_requested ?? '',
    model_resolved: span.model_resolved ?? '',
    provider: span.provider ?? '',
    input_tokens: span.input_tokens ?? 0,
    output_tokens: span.output_tokens ?? 0,
    reasoning_tokens: span.reasoning_tokens ?? 0,
    cache_read_tokens: span.cache_read_tokens ?? 0,
    cache_write_tokens: span.cache_write_tokens ?? 0,
    local_input_tokens: span.local_input_tokens ?? null,
    cost_usd: span.cost_usd ?? null,
    temperature,
    params: Object.keys(params).length > 0 ? JSON.stringify(params) : '',
    prompt_name: span.prompt_name ?? '',
    prompt_version: span.prompt_version ?? '',
    system_prompt_hash: systemPromptHash,
    tool_name: span.tool_name ?? '',
    tool_call_id: span.tool_call_id ?? '',
    retry_attempt: span.retry_attempt ?? 0,
    retry_of: span.retry_of ?? '',
    route_segment: span.route_segment ?? '',
    fallback: span.fallback ?? false,
    refusal: span.refusal ?? false,
    schema_valid: span.schema_valid ?? null,
    finish_reason: span.finish_reason ?? '',
    ttft_ms: span.ttft_ms ?? null,
    eval_run_id: span.eval_run_id ?? '',
    tags: span.tags ?? [],
    input: input.text,
    output: output.text,
    input_original_bytes: input.originalBytes,
    output_original_bytes: output.originalBytes,
    events:
      span.events && span.events.length > 0
        ? JSON.stringify(span.events.map((event) => ({ ...event, time: event.time === undefined ? undefined : nanosToIso(event.time) })))
        : '',
    attributes: toStringMap(span.attributes, limits.maxPayloadBytes),
    resource: toStringMap(resource, limits.maxPayloadBytes),
    service_name: resourceString('service.name'),
    service_version: resourceString('service.version'),
    environment: resourceString('deployment.environment.name') || resourceString('deployment.environment'),
  }
  return { row, snapshot }
}

/** Nullable columns: their default is NULL, so 0 and false are real values there. */
const NULLABLE_COLUMNS = new Set(['local_input_tokens', 'cost_usd', 'temperature', 'schema_valid', 'ttft_ms', 'value'])

/**
 * The row without the fields that hold their column default ('' / 0 / false / empty, or null
 * for Nullable columns): ClickHouse fills omitted JSONEachRow fields with defaults, and most
 * spans leave most LLM columns empty, so this roughly halves what each insert serializes and
 * parses.
 */
export function compactRow<Row extends object>(row: Row): Partial<Row> {
  const out: Partial<Row> = {}
  for (const key in row) {
    const value = row[key]
    if (value === null || value === undefined) continue
    if (!NULLABLE_COLUMNS.has(key)) {
      if (value === '' || value === 0 || value === false) continue
      if (Array.isArray(value) && value.length === 0) continue
      if (typeof value === 'object' && !Array.isArray(value) && Object.keys(value as object).length === 0) continue
    }
    out[key] = value
  }
  return out
}
