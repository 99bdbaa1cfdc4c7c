// The Langfuse ingestion API (POST /api/public/ingestion), so an application using the
// `langfuse` v3 SDK (or Langfuse's Python SDK v2) changes only its base URL and keys. Each
// batched event is judged on its own and answered in a 207 multi-status body:
//   trace-create                 the trace, kept as its root span (span id = trace id)
//   span-create / -update        a span (kind chain)
//   generation-create / -update  a model call (kind llm): model, parameters, usage, cost, prompt
//   event-create                 a point in time (kind other)
//   score-create                 a score of the trace or an observation (native scores path)
//   sdk-log                      accepted, nothing stored
// Creates and updates of one id are parts of the same span (lib/ingest/span-parts.ts): they
// are validated like spans, stored as they come, merged field by field (newest event wins) when
// the trace is read, and written to spans once the observation settled (part-promoter.ts).
import { z } from 'zod'
import { ingestScores, storeParts, validateSpans } from '@/lib/ingest/ingest'
import type { SpanPart } from '@/lib/ingest/span-parts'
import { describeIssues } from '@/lib/ingest/span-schema'
import { usageFromAttributes } from '@/lib/otlp/normalize-usage'
import { parseTimeToNanos } from '@/lib/time/nanos'

const EVENT_TYPES = [
  'trace-create',
  'span-create',
  'span-update',
  'generation-create',
  'generation-update',
  'event-create',
  'score-create',
  'observation-create',
  'observation-update',
  'sdk-log',
] as const

const eventSchema = z.object({
  id: z.string({ message: 'must be a string' }).min(1, 'must not be empty').max(256),
  type: z.enum(EVENT_TYPES, { message: `must be one of ${EVENT_TYPES.join(', ')}` }),
  timestamp: z.string({ message: 'must be an ISO-8601 string' }),
  body: z.record(z.string(), z.unknown(), { message: 'must be an object' }),
})

type LangfuseEvent = z.infer<typeof eventSchema>

export const ingestionRequestSchema = z.object({ batch: z.array(z.unknown()) }, { message: 'body must be a JSON object {"batch": [...]}' })

export interface IngestionResult {
  successes: { id: string; status: number }[]
  errors: { id: string; status: number; message: string; error?: string }[]
}

export interface IngestionOptions {
  tenantAttribute?: string
}

type Body = Record<string, unknown>

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined)
const present = (value: unknown) => value !== undefined && value !== null

function number(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
}

/** Usage in any of the shapes the SDKs send: usageDetails buckets, v2 usage {input, output}, OpenAI names. */
function usage(body: Body): Record<string, number> {
  const details = record(body.usageDetails)
  if (details) return usageFromAttributes({ 'langfuse.observation.usage_details': details as never }) as Record<string, number>
  const u = record(body.usage)
  if (!u) return {}
  return usageFromAttributes({
    'gen_ai.usage.input_tokens': (number(u.input) ?? number(u.promptTokens) ?? number(u.prompt_tokens) ?? null) as never,
    'gen_ai.usage.output_tokens': (number(u.output) ?? number(u.completionTokens) ?? number(u.completion_tokens) ?? null) as never,
  }) as Record<string, number>
}

function cost(body: Body): number | undefined {
  const details = record(body.costDetails)
  if (details) {
    const total = number(details.total)
    if (total !== undefined) return total
    let sum = 0
    for (const value of Object.values(details)) sum += number(value) ?? 0
    return sum
  }
  const u = record(body.usage)
  return number(u?.totalCost) ?? (u && (number(u.inputCost) !== undefined || number(u.outputCost) !== undefined) ? (number(u.inputCost) ?? 0) + (number(u.outputCost) ?? 0) : undefined)
}

/** Langfuse metadata and other fields without a column, kept as attributes. */
function attributes(body: Body, keys: readonly string[]): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {}
  if (present(body.metadata)) out['langfuse.metadata'] = body.metadata
  for (const key of keys) if (present(body[key])) out[`langfuse.${key}`] = body[key]
  return Object.keys(out).length > 0 ? out : undefined
}

function tenantOf(body: Body, options: IngestionOptions): string | undefined {
  const metadata = record(body.metadata)
  if (!metadata) return undefined
  const keys = [options.tenantAttribute, 'tenant.id', 'tenant_id', 'tenantId'].filter((k): k is string => !!k)
  for (const key of keys) {
    const value = metadata[key]
    if (typeof value === 'string' || typeof value === 'number') return String(value)
  }
  return undefined
}

function levelStatus(body: Body): { status?: 'error'; status_message?: string } {
  const level = text(body.level)?.toUpperCase()
  const message = text(body.statusMessage)
  if (level === 'ERROR') return { status: 'error', status_message: message ?? 'error' }
  return message ? { status_message: message } : {}
}

/** The partial native span of one trace or observation event (only what the event carries). */
function spanFields(event: LangfuseEvent, options: IngestionOptions): Body | string {
  const body = event.body
  const id = text(body.id)
  if (event.type === 'trace-create') {
    if (!id) return 'body.id: a trace needs its id'
    return {
      trace_id: id,
      span_id: id,
      name: text(body.name),
      kind: 'chain',
      start_time: text(body.timestamp),
      // A trace has no end of its own; the promoter extends it over its observations.
      end_time: text(body.timestamp),
      user_id: text(body.userId),
      session_id: text(body.sessionId),
      tenant_id: tenantOf(body, options),
      input: body.input ?? undefined,
      output: body.output ?? undefined,
      tags: Array.isArray(body.tags) ? body.tags : undefined,
      attributes: attributes(body, ['release', 'version', 'environment', 'public']),
    }
  }
  const traceId = text(body.traceId)
  if (!id) return 'body.id: an observation needs its id'
  if (!traceId) return 'body.traceId: an observation needs the id of its trace'
  const generation = event.type.startsWith('generation') || (event.type.startsWith('observation') && text(body.type) === 'GENERATION')
  const isEvent = event.type === 'event-create' || (event.type.startsWith('observation') && text(body.type) === 'EVENT')
  const creates = event.type.endsWith('-create')
  const fields: Body = {
    trace_id: traceId,
    span_id: id,
    // An observation without a parent hangs under its trace's root span.
    parent_span_id: text(body.parentObservationId) ?? (creates ? traceId : undefined),
    name: text(body.name),
    kind: creates ? (generation ? 'llm' : isEvent ? 'other' : 'chain') : undefined,
    start_time: text(body.startTime) ?? (creates ? event.timestamp : undefined),
    end_time: text(body.endTime) ?? (isEvent ? (text(body.startTime) ?? event.timestamp) : undefined),
    input: body.input ?? undefined,
    output: body.output ?? undefined,
    tenant_id: tenantOf(body, options),
    ...levelStatus(body),
    attributes: attributes(body, ['version', 'environment', 'level']),
  }
  if (generation) {
    Object.assign(fields, {
      model_requested: text(body.model),
      params: record(body.modelParameters),
      cost_usd: cost(body),
      prompt_name: text(body.promptName),
      prompt_version: present(body.promptVersion) ? String(body.promptVersion) : undefined,
      ...usage(body),
    })
    const start = parseTimeToNanos(text(body.startTime) ?? '')
    const first = parseTimeToNanos(text(body.completionStartTime) ?? '')
    if (start !== undefined && first !== undefined && first >= start) fields.ttft_ms = Number(first - start) / 1e6
  }
  return fields
}

function scoreFields(event: LangfuseEvent): Body {
  const body = event.body
  const value = body.value
  return {
    id: text(body.id),
    trace_id: text(body.traceId),
    span_id: text(body.observationId),
    name: text(body.name),
    // Categorical and boolean scores may send their value as a string label.
    value: typeof value === 'number' ? value : typeof value === 'boolean' ? Number(value) : undefined,
    label: typeof value === 'string' ? value : text(body.stringValue),
    comment: text(body.comment),
    source: text(body.source)?.toLowerCase() ?? 'api',
    timestamp: event.timestamp,
  }
}

function withoutUndefined(body: Body): Body {
  const out: Body = {}
  for (const [key, value] of Object.entries(body)) if (value !== undefined) out[key] = value
  return out
}

export async function ingestLangfuseBatch(projectId: string, batch: readonly unknown[], options: IngestionOptions = {}): Promise<IngestionResult> {
  const result: IngestionResult = { successes: [], errors: [] }
  const items: Body[] = []
  const meta: { id: string; time: bigint }[] = []
  const scores: Body[] = []
  const scoreIds: string[] = []
  batch.forEach((raw, index) => {
    const rawId = record(raw) && typeof (raw as Body).id === 'string' ? ((raw as Body).id as string) : `#${index}`
    const parsed = eventSchema.safeParse(raw)
    if (!parsed.success) {
      result.errors.push({ id: rawId, status: 400, message: `event ${index}: ${describeIssues(parsed.error)}`, error: 'invalid_event' })
      return
    }
    const event = parsed.data
    const time = parseTimeToNanos(event.timestamp)
    if (time === undefined) {
      result.errors.push({ id: event.id, status: 400, message: `event ${index}: timestamp must be an ISO-8601 string (got ${JSON.stringify(event.timestamp)})`, error: 'invalid_event' })
      return
    }
    if (event.type === 'sdk-log') {
      result.successes.push({ id: event.id, status: 201 })
      return
    }
    if (event.type === 'score-create') {
      scores.push(withoutUndefined(scoreFields(event)))
      scoreIds.push(event.id)
      return
    }
    const fields = spanFields(event, options)
    if (typeof fields === 'string') {
      result.errors.push({ id: event.id, status: 400, message: `event ${index} (${event.type}): ${fields}`, error: 'invalid_event' })
      return
    }
    items.push(withoutUndefined(fields))
    meta.push({ id: event.id, time })
  })

  const { spans, rejected } = await validateSpans(items, { partial: true })
  for (const r of rejected) result.errors.push({ id: meta[r.index].id, status: 400, message: `event ${meta[r.index].id}: ${r.error}`, error: 'invalid_event' })
  const parts: SpanPart[] = spans.map(({ index, span }) => ({ source: 'langfuse', part_id: meta[index].id, time: meta[index].time, fields: span }))
  const refused = new Map((await storeParts(projectId, parts)).map((r) => [r.index, r.error]))
  spans.forEach(({ index }, i) => {
    const error = refused.get(i)
    if (error === undefined) result.successes.push({ id: meta[index].id, status: 201 })
    else result.errors.push({ id: meta[index].id, status: 400, message: `event ${meta[index].id}: ${error}`, error: 'not_stored' })
  })

  if (scores.length > 0) {
    const stored = await ingestScores(projectId, scores)
    const bad = new Map(stored.rejected.map((r) => [r.index, r.error]))
    scores.forEach((_, i) => {
      const error = bad.get(i)
      if (error) result.errors.push({ id: scoreIds[i], status: 400, message: `score ${scoreIds[i]}: ${error}`, error: 'invalid_score' })
      else result.successes.push({ id: scoreIds[i], status: 201 })
    })
  }
  return result
}
