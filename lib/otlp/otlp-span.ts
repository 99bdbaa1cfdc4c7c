// The decoded form of an OTLP trace export, the same whichever encoding it came in (protobuf
// or JSON): ids as lowercase hex, times as bigint nanoseconds, attribute values as plain JS
// values (string, boolean, number, arrays, objects for kvlists, base64 text for bytes).

export type AttributeValue = string | boolean | number | AttributeValue[] | { [key: string]: AttributeValue } | null

export type Attributes = Record<string, AttributeValue>

export interface OtlpEvent {
  name: string
  timeUnixNano: bigint
  attributes: Attributes
}

export interface OtlpLink {
  traceId: string
  spanId: string
  attributes: Attributes
}

export interface OtlpSpan {
  traceId: string
  spanId: string
  parentSpanId: string
  name: string
  /** OTel SpanKind (0 unspecified .. 5 consumer); kept as an attribute, never used for our kind. */
  kind: number
  startTimeUnixNano: bigint
  endTimeUnixNano: bigint
  attributes: Attributes
  events: OtlpEvent[]
  links: OtlpLink[]
  /** 0 unset, 1 ok, 2 error. */
  statusCode: number
  statusMessage: string
}

export interface OtlpScopeSpans {
  scope: { name: string; version: string }
  spans: OtlpSpan[]
}

export interface OtlpResourceSpans {
  resource: Attributes
  scopeSpans: OtlpScopeSpans[]
}

export type OtlpExport = OtlpResourceSpans[]

/** Thrown for a body that is not an ExportTraceServiceRequest at all (answered 400). */
export class OtlpDecodeError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'OtlpDecodeError'
  }
}

export function countSpans(request: OtlpExport): number {
  let n = 0
  for (const resourceSpans of request) for (const scopeSpans of resourceSpans.scopeSpans) n += scopeSpans.spans.length
  return n
}

/** One OTLP log record (GenAI events arrive as these), decoded like spans. */
export interface OtlpLogRecord {
  timeUnixNano: bigint
  observedTimeUnixNano: bigint
  severityNumber: number
  severityText: string
  /** The event name: the record's event_name field, else its `event.name` attribute. */
  eventName: string
  body: AttributeValue
  attributes: Attributes
  /** Lowercase hex; '' when the record names no trace / span. */
  traceId: string
  spanId: string
}

export interface OtlpResourceLogs {
  resource: Attributes
  scopeLogs: { scope: { name: string; version: string }; logRecords: OtlpLogRecord[] }[]
}

export type OtlpLogsExport = OtlpResourceLogs[]
