// Stores one decoded OTLP logs export for a project. GenAI instrumentations emit prompts,
// completions and tool messages as log records naming their trace and span; each record becomes
// a 'log' part of its span (lib/ingest/span-parts.ts), validated like any span data, and joins
// the span's input, output and events when the trace is read, whichever arrived first. Records
// without a span id are kept on their trace; records without a trace id are rejected by name.
import { createHash } from 'node:crypto'
import { storeParts, validateSpans } from '@/lib/ingest/ingest'
import type { SpanPart } from '@/lib/ingest/span-parts'
import type { OtlpIngestResult } from './ingest-otlp'
import type { AttributeValue, OtlpLogRecord, OtlpLogsExport } from './otlp-span'

/** The span id that log records naming only their trace are kept under. */
export const TRACE_LOGS_SPAN_ID = 'trace-logs'

const TRACE_ID = /^[0-9a-f]{32}$/
const SPAN_ID = /^[0-9a-f]{16}$/
const MAX_LISTED_PROBLEMS = 10

function describeRecord(record: OtlpLogRecord, index: number): string {
  return `log record ${index}${record.eventName ? ` '${record.eventName.slice(0, 80)}'` : ''}`
}

function partId(record: OtlpLogRecord, time: bigint): string {
  const hash = createHash('sha256')
  hash.update(`${record.traceId}\0${record.spanId}\0${time}\0${record.eventName}\0`)
  hash.update(JSON.stringify([record.body, record.attributes]))
  return hash.digest('hex').slice(0, 32)
}

function eventAttributes(record: OtlpLogRecord): Record<string, AttributeValue> {
  const attributes: Record<string, AttributeValue> = { ...record.attributes }
  delete attributes['event.name']
  if (record.body !== null && record.body !== undefined && record.body !== '') attributes.body = record.body
  if (record.severityText) attributes['log.severity'] = record.severityText
  return attributes
}

export async function ingestLogs(projectId: string, request: OtlpLogsExport): Promise<OtlpIngestResult> {
  const items: Record<string, unknown>[] = []
  const meta: { time: bigint; id: string; name: string }[] = []
  const problems: string[] = []
  let total = 0
  for (const resourceLogs of request) {
    for (const scopeLogs of resourceLogs.scopeLogs) {
      for (const record of scopeLogs.logRecords) {
        const name = describeRecord(record, total)
        total++
        if (!TRACE_ID.test(record.traceId) || /^0+$/.test(record.traceId)) {
          problems.push(`${name}: has no traceId; Flightline keeps log records on the trace they belong to`)
          continue
        }
        const spanId = SPAN_ID.test(record.spanId) && !/^0+$/.test(record.spanId) ? record.spanId : TRACE_LOGS_SPAN_ID
        const time = record.timeUnixNano > 0n ? record.timeUnixNano : record.observedTimeUnixNano
        if (time === 0n) {
          problems.push(`${name}: timeUnixNano and observedTimeUnixNano are both missing`)
          continue
        }
        items.push({
          trace_id: record.traceId,
          span_id: spanId,
          events: [{ name: record.eventName || 'log', time: time.toString(), attributes: eventAttributes(record) }],
        })
        meta.push({ time, id: partId(record, time), name })
      }
    }
  }
  const { spans, rejected } = await validateSpans(items, { partial: true })
  for (const rejection of rejected) problems.push(`${meta[rejection.index].name}: ${rejection.error}`)
  const parts: SpanPart[] = spans.map(({ index, span }) => ({ source: 'log', part_id: meta[index].id, time: meta[index].time, fields: span }))
  const refused = await storeParts(projectId, parts)
  for (const rejection of refused) problems.push(`${meta[spans[rejection.index].index].name}: ${rejection.error}`)

  const rejectedCount = total - parts.length + refused.length
  const listed = problems.slice(0, MAX_LISTED_PROBLEMS).join('; ')
  const more = problems.length > MAX_LISTED_PROBLEMS ? `; and ${problems.length - MAX_LISTED_PROBLEMS} more` : ''
  return {
    accepted: parts.length - refused.length,
    rejected: rejectedCount,
    errorMessage: rejectedCount > 0 ? `${rejectedCount} of ${total} log records rejected: ${listed}${more}` : '',
    problems,
  }
}
