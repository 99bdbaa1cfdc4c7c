// The recorder score: which of the facts an incident review needs each model call and tool call
// recorded. The rules and weights are defined here once (docs/analytics.md, "Recorder score"
// says the same in words); the trace view (GET /api/v1/traces/{id} `recorder`) and the
// analytics (GET /api/v1/analytics/recorder) both run RECORDER_CHECKS in SQL over spans.
import { z } from 'zod'
import { queryClickhouse } from '@/db/clickhouse/query'
import { dateToClickhouse } from '@/lib/time/nanos'
import { rangeFields, refineRange } from '@/lib/analytics/range-params'

/** Sizes a sender's `slice(0, n)` leaves: a payload of exactly one of these many bytes was cut. */
const CUT_SIZES = '(256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536)'

/** A payload column that was cut: by us (over the payload limit), or visibly by the sender. */
const cut = (column: 'input' | 'output') =>
  `(${column}_original_bytes > 0 OR attributes['flightline.${column}.truncated'] = 'true' OR length(${column}) IN ${CUT_SIZES} OR match(${column}, '(\\\\.\\\\.\\\\.|…|\\\\[truncated\\\\])"?\\\\s*$'))`

export interface RecorderField {
  field: string
  weight: number
  /** Which spans the field applies to (SQL over a span). */
  appliesTo: string
  /** When it counts as present (SQL over a span). */
  present: string
  /** What the application sets to send it, per SDK (shown on the recorder page). */
  fix: { otel: string; openinference: string; vercel_ai: string; native: string }
}

const LLM = `kind = 'llm'`
const TOOL = `kind = 'tool'`

export const RECORDER_FIELDS: RecorderField[] = [
  {
    field: 'resolved_model',
    weight: 2,
    appliesTo: LLM,
    present: `model_resolved != ''`,
    fix: { otel: 'gen_ai.response.model (the model the provider answered with, not the alias)', openinference: 'llm.model_name (the model in the response)', vercel_ai: 'ai.response.model (recorded by the SDK)', native: 'model_resolved' },
  },
  {
    field: 'system_prompt',
    weight: 1,
    appliesTo: LLM,
    present: `system_prompt_hash != '' AND system_prompt_hash IN (SELECT hash FROM prompt_snapshots WHERE project_id = {project_id:String})`,
    fix: { otel: 'gen_ai.system_instructions (or the system message in gen_ai.input.messages)', openinference: 'llm.input_messages.0.message.role = system, with its content', vercel_ai: 'the system option (recorded with recordInputs: true)', native: 'system_prompt (the text; it is stored once by hash)' },
  },
  {
    field: 'sampling_params',
    weight: 1,
    appliesTo: LLM,
    present: `temperature IS NOT NULL`,
    fix: { otel: 'gen_ai.request.temperature (and top_p, max_tokens)', openinference: 'llm.invocation_parameters with temperature', vercel_ai: 'temperature in the call settings (ai.settings.temperature)', native: 'params.temperature' },
  },
  {
    field: 'full_input',
    weight: 2,
    appliesTo: LLM,
    present: `input != '' AND NOT ${cut('input')}`,
    fix: { otel: 'gen_ai.input.messages with every turn of the conversation, uncut', openinference: 'llm.input_messages.* (every message) or input.value', vercel_ai: 'experimental_telemetry: { isEnabled: true, recordInputs: true }', native: 'input: the whole message list, uncut' },
  },
  {
    field: 'output',
    weight: 2,
    appliesTo: LLM,
    present: `output != ''`,
    fix: { otel: 'gen_ai.output.messages', openinference: 'llm.output_messages.* or output.value', vercel_ai: 'experimental_telemetry: { recordOutputs: true }', native: 'output' },
  },
  {
    field: 'token_usage',
    weight: 1,
    appliesTo: LLM,
    present: `input_tokens > 0 OR output_tokens > 0`,
    fix: { otel: 'gen_ai.usage.input_tokens and gen_ai.usage.output_tokens', openinference: 'llm.token_count.prompt and llm.token_count.completion', vercel_ai: 'ai.usage.* (recorded by the SDK)', native: 'input_tokens, output_tokens' },
  },
  {
    field: 'finish_reason',
    weight: 1,
    appliesTo: LLM,
    present: `finish_reason != ''`,
    fix: { otel: 'gen_ai.response.finish_reasons', openinference: 'llm.output_messages.0.message.finish_reason', vercel_ai: 'ai.response.finishReason (recorded by the SDK)', native: 'finish_reason' },
  },
  {
    field: 'tool_arguments',
    weight: 1,
    appliesTo: TOOL,
    present: `input != '' AND NOT ${cut('input')}`,
    fix: { otel: 'gen_ai.tool.call.arguments, uncut', openinference: 'input.value on the TOOL span', vercel_ai: 'ai.toolCall.args (recordInputs: true)', native: 'input (the arguments), uncut' },
  },
  {
    field: 'tool_results',
    weight: 2,
    appliesTo: TOOL,
    present: `output != '' AND NOT ${cut('output')}`,
    fix: { otel: 'gen_ai.tool.call.result, uncut (do not slice it)', openinference: 'output.value on the TOOL span, uncut', vercel_ai: 'ai.toolCall.result (recordOutputs: true); return the whole result', native: 'output (the full result), uncut' },
  },
  {
    field: 'user_or_tenant',
    weight: 1,
    appliesTo: LLM,
    present: `trace_id IN (SELECT trace_id FROM spans WHERE {scope} AND (user_id != '' OR tenant_id != ''))`,
    fix: { otel: 'user.id or tenant.id on any span of the trace (e.g. the root)', openinference: 'user.id (or tenant.id) on the root span', vercel_ai: 'experimental_telemetry: { metadata: { userId, tenantId } }', native: 'user_id or tenant_id' },
  },
  {
    field: 'service_version',
    weight: 1,
    appliesTo: `kind IN ('llm', 'tool')`,
    present: `service_version != ''`,
    fix: { otel: 'service.version resource attribute (OTEL_RESOURCE_ATTRIBUTES=service.version=1.4.2)', openinference: 'service.version resource attribute', vercel_ai: 'service.version resource attribute', native: "resource['service.version']" },
  },
]

/**
 * Per span of kind llm or tool in `scope` (SQL over spans, e.g. a trace or a time range): one
 * row per applicable field, with whether it is present.
 */
function checksOver(scope: string): string {
  const tuples = RECORDER_FIELDS.map((f) => `('${f.field}', ${f.appliesTo}, ${f.present.replace('{scope}', scope)})`).join(',\n        ')
  return `SELECT trace_id, span_id, service_name, service_version, check.1 AS field, check.3 AS is_present
    FROM (
      SELECT trace_id, span_id, service_name, service_version,
        arrayJoin(arrayFilter(c -> c.2, [
        ${tuples}
        ])) AS check
      FROM spans
      WHERE ${scope} AND kind IN ('llm', 'tool')
    )`
}

export interface FieldRate {
  field: string
  present_rate: number
  present: number
  applicable: number
}

/** The weighted mean of present rates over the fields that apply (null when none apply). */
export function recorderScore(fields: readonly { field: string; present: number; applicable: number }[]): number | null {
  let weighted = 0
  let weights = 0
  for (const rate of fields) {
    if (rate.applicable === 0) continue
    const weight = RECORDER_FIELDS.find((f) => f.field === rate.field)?.weight ?? 1
    weighted += (weight * rate.present) / rate.applicable
    weights += weight
  }
  return weights === 0 ? null : weighted / weights
}

function rates(rows: readonly { field: string; present: string | number; applicable: string | number }[]): FieldRate[] {
  const byField = new Map(rows.map((r) => [r.field, r]))
  return RECORDER_FIELDS.flatMap(({ field }) => {
    const row = byField.get(field)
    if (!row || Number(row.applicable) === 0) return []
    const present = Number(row.present)
    const applicable = Number(row.applicable)
    return [{ field, present_rate: present / applicable, present, applicable }]
  })
}

export interface TraceRecorder {
  score: number | null
  missing: { field: string; spans: string[] }[]
  fields: FieldRate[]
}

/** The recorder score of one trace and, per missing field, the spans that lack it. */
export async function traceRecorder(projectId: string, traceId: string): Promise<TraceRecorder> {
  const scope = `project_id = {project_id:String} AND trace_id = {trace_id:String}`
  const rows = await queryClickhouse<{ field: string; present: string; applicable: string; missing: string[] }>({
    tag: 'recorder.trace',
    projectId,
    query: `SELECT field, countIf(is_present) AS present, count() AS applicable, groupUniqArrayIf(span_id, NOT is_present) AS missing
      FROM (${checksOver(scope)}) GROUP BY field`,
    params: { trace_id: traceId },
  })
  const fields = rates(rows)
  const order = new Map(RECORDER_FIELDS.map((f, i) => [f.field, i]))
  const missing = rows
    .filter((r) => r.missing.length > 0)
    .sort((a, b) => (order.get(a.field) ?? 0) - (order.get(b.field) ?? 0))
    .map((r) => ({ field: r.field, spans: [...r.missing].sort() }))
  return { score: recorderScore(fields), missing, fields }
}

export const recorderInputSchema = z
  .object({ ...rangeFields })
  .strict()
  .transform((value, ctx) => refineRange(value, ctx) ?? z.NEVER)

export interface ServiceRecorder {
  service: string
  version: string
  score: number | null
  spans: number
  fields: FieldRate[]
}

export interface RecorderReport {
  from: string
  to: string
  score: number | null
  fields: FieldRate[]
  by_service: ServiceRecorder[]
}

/** Present rates per field, overall and per service and version, for model and tool calls in the range. */
export async function recorderReport(projectId: string, range: { from: Date; to: Date }): Promise<RecorderReport> {
  const scope = `project_id = {project_id:String} AND start_time >= {from:DateTime64(3, 'UTC')} AND start_time < {to:DateTime64(3, 'UTC')}`
  const rows = await queryClickhouse<{ service: string; version: string; field: string; present: string; applicable: string; spans: string }>({
    tag: 'recorder.analytics',
    projectId,
    query: `SELECT toString(service_name) AS service, toString(service_version) AS version, field,
        countIf(is_present) AS present, count() AS applicable, uniqExact(trace_id, span_id) AS spans
      FROM (${checksOver(scope)})
      GROUP BY service, version, field
      ORDER BY service, version`,
    params: { from: dateToClickhouse(range.from), to: dateToClickhouse(range.to) },
  })
  const services = new Map<string, typeof rows>()
  const totals = new Map<string, { field: string; present: number; applicable: number }>()
  for (const row of rows) {
    const key = `${row.service}\0${row.version}`
    services.set(key, [...(services.get(key) ?? []), row])
    const total = totals.get(row.field) ?? { field: row.field, present: 0, applicable: 0 }
    total.present += Number(row.present)
    total.applicable += Number(row.applicable)
    totals.set(row.field, total)
  }
  const fields = rates([...totals.values()])
  const by_service = [...services.values()].map((serviceRows) => {
    const serviceFields = rates(serviceRows)
    return {
      service: serviceRows[0].service,
      version: serviceRows[0].version,
      score: recorderScore(serviceFields),
      spans: Math.max(...serviceRows.map((r) => Number(r.spans))),
      fields: serviceFields,
    }
  })
  by_service.sort((a, b) => (a.score ?? 2) - (b.score ?? 2) || a.service.localeCompare(b.service))
  return { from: range.from.toISOString(), to: range.to.toISOString(), score: recorderScore(fields), fields, by_service }
}
