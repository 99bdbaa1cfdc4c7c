// One OTLP span -> the native span object (the shape spanInputSchema validates), plus the
// scores its `gen_ai.evaluation.result` events carry. Both ingest paths then share
// validateSpans/storeSpans, so limits, truncation, retention and dedupe live in one place.
import { parseTimeToNanos } from '@/lib/time/nanos'
import { asNumber, asText } from './json-values'
import { payloadFromEvents } from './genai-events'
import { mapAttributes, type MappingOptions } from './map-attributes'
import type { AttributeValue, Attributes, OtlpEvent, OtlpSpan } from './otlp-span'

export interface NativeSpanResult {
  /** The native span object, or undefined when the OTLP span itself is unusable. */
  span?: Record<string, unknown>
  /** Why the span is unusable (bad ids or times). */
  problem?: string
  scores: Record<string, unknown>[]
}

const MAX_EVENTS = 1000
/** Mapping results that are not native span fields. */
const NOT_NATIVE = new Set(['attributes', 'completionStartTime', 'levelError'])
const STATUS = ['unset', 'ok', 'error'] as const

const TRACE_ID = /^[0-9a-f]{32}$/
const SPAN_ID = /^[0-9a-f]{16}$/
const isZero = (hex: string) => /^0+$/.test(hex)

/** Names an OTLP span in an error message: its name and id as sent. */
export function describeSpan(span: OtlpSpan): string {
  return `span '${span.name.slice(0, 80)}' (spanId ${span.spanId.slice(0, 40) || 'missing'})`
}

function idProblem(span: OtlpSpan): string | undefined {
  if (!TRACE_ID.test(span.traceId) || isZero(span.traceId)) return `traceId must be 16 non-zero bytes (32 hex digits), got '${span.traceId.slice(0, 40)}'`
  if (!SPAN_ID.test(span.spanId) || isZero(span.spanId)) return `spanId must be 8 non-zero bytes (16 hex digits), got '${span.spanId.slice(0, 40)}'`
  if (span.parentSpanId && !SPAN_ID.test(span.parentSpanId)) return `parentSpanId must be empty or 8 bytes (16 hex digits), got '${span.parentSpanId.slice(0, 40)}'`
  if (span.startTimeUnixNano === 0n) return 'startTimeUnixNano is missing or zero'
  return undefined
}

function exceptionDetails(events: OtlpEvent[]): { type?: string; message?: string } | undefined {
  const exception = events.find((event) => event.name === 'exception')
  if (!exception) return undefined
  return { type: asText(exception.attributes['exception.type']), message: asText(exception.attributes['exception.message']) }
}

function evaluationScores(span: OtlpSpan, evalRunId: string | undefined): Record<string, unknown>[] {
  const scores: Record<string, unknown>[] = []
  for (const event of span.events) {
    if (event.name !== 'gen_ai.evaluation.result') continue
    const a = event.attributes
    const score: Record<string, unknown> = {
      trace_id: span.traceId,
      span_id: span.spanId,
      name: asText(a['gen_ai.evaluation.name']) ?? 'evaluation',
      value: asNumber(a['gen_ai.evaluation.score.value']) ?? null,
    }
    const label = asText(a['gen_ai.evaluation.score.label'])
    if (label !== undefined) score.label = label
    const explanation = asText(a['gen_ai.evaluation.explanation'])
    if (explanation !== undefined) score.comment = explanation
    const evaluator = asText(a['gen_ai.evaluation.evaluator'] ?? a['gen_ai.evaluation.evaluator.name'])
    if (evaluator !== undefined) score.evaluator = evaluator
    const source = asText(a['gen_ai.evaluation.source'])
    if (source !== undefined) score.source = source
    if (evalRunId) score.run_id = evalRunId
    if (event.timeUnixNano > 0n) score.timestamp = event.timeUnixNano.toString()
    scores.push(score)
  }
  return scores
}

function eventAttributes(attributes: Attributes): Record<string, AttributeValue> | undefined {
  return Object.keys(attributes).length > 0 ? attributes : undefined
}

export function toNativeSpan(span: OtlpSpan, resource: Attributes, scope: { name: string; version: string }, options: MappingOptions): NativeSpanResult {
  const problem = idProblem(span)
  if (problem) return { problem, scores: [] }

  const mapped = mapAttributes(span.attributes, resource, options, span.name)
  const { attributes, completionStartTime, levelError } = mapped
  if (scope.name) attributes['otel.scope.name'] = scope.name
  if (scope.version) attributes['otel.scope.version'] = scope.version
  if (span.links.length > 0) attributes['otel.links'] = span.links.map((l) => ({ trace_id: l.traceId, span_id: l.spanId, ...(Object.keys(l.attributes).length ? { attributes: l.attributes } : {}) }))

  let status: (typeof STATUS)[number] = STATUS[span.statusCode] ?? 'unset'
  let statusMessage = span.statusMessage || undefined
  let errorType: string | undefined
  const exception = exceptionDetails(span.events)
  if (exception) {
    errorType = exception.type?.slice(0, 256)
    // A recorded exception fails the span unless the sender explicitly said it ended ok.
    if (status !== 'ok') status = 'error'
    statusMessage ??= exception.message
  }
  if (levelError && status !== 'ok') {
    status = 'error'
    statusMessage ??= levelError
  }

  const end = span.endTimeUnixNano === 0n ? span.startTimeUnixNano : span.endTimeUnixNano
  let ttft = mapped.ttft_ms
  if (ttft === undefined && completionStartTime) {
    // Langfuse sends the time JSON-encoded, quotes included.
    const first = parseTimeToNanos(completionStartTime.replace(/^"|"$/g, ''))
    if (first !== undefined && first >= span.startTimeUnixNano) ttft = Number(first - span.startTimeUnixNano) / 1e6
  }

  // Only defined fields are copied (rest/spread or deleting keys would make every span a slow
  // dictionary-mode object; this runs for every span of every batch).
  const native: Record<string, unknown> = {}
  for (const key in mapped) {
    const value = mapped[key as keyof typeof mapped]
    if (value !== undefined && !NOT_NATIVE.has(key)) native[key] = value
  }
  const own: Record<string, unknown> = {
    ttft_ms: ttft,
    trace_id: span.traceId,
    span_id: span.spanId,
    parent_span_id: span.parentSpanId || undefined,
    name: span.name.slice(0, 1024) || '(unnamed span)',
    start_time: span.startTimeUnixNano.toString(),
    end_time: end.toString(),
    status,
    status_message: statusMessage?.slice(0, 65_536),
    error_type: errorType,
    events:
      span.events.length > 0
        ? span.events.slice(0, MAX_EVENTS).map((event) => ({
            name: event.name.slice(0, 1024) || '(unnamed event)',
            time: event.timeUnixNano > 0n ? event.timeUnixNano.toString() : undefined,
            attributes: eventAttributes(event.attributes),
          }))
        : undefined,
    attributes,
    resource,
  }
  for (const key in own) if (own[key] !== undefined) native[key] = own[key]
  // Payloads some instrumentations put in span events (OpenLIT, Semantic Kernel, GenAI 1.37+
  // operation details) fill what the attributes did not carry; the events themselves are kept.
  if (span.events.length > 0 && (native.input === undefined || native.output === undefined || native.system_prompt === undefined)) {
    const fromEvents = payloadFromEvents(span.events)
    if (native.input === undefined && fromEvents.input !== undefined) native.input = fromEvents.input
    if (native.output === undefined && fromEvents.output !== undefined) native.output = fromEvents.output
    if (native.system_prompt === undefined && fromEvents.system !== undefined) native.system_prompt = fromEvents.system
  }
  return { span: native, scores: evaluationScores(span, mapped.eval_run_id) }
}

