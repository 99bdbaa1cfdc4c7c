// Decodes an `application/x-protobuf` ExportTraceServiceRequest into the encoding-neutral form.
import type Long from 'long'
import { ExportTraceServiceRequest } from './otlp-proto'
import { OtlpDecodeError, type AttributeValue, type Attributes, type OtlpExport, type OtlpSpan } from './otlp-span'

// The decoded message shapes we read (protobufjs message instances: unset scalars read as
// their defaults, unset repeated fields as empty arrays, unset messages as null/undefined).
interface PbAnyValue {
  value?: string
  stringValue?: string
  boolValue?: boolean
  intValue?: Long | number
  doubleValue?: number
  arrayValue?: { values?: PbAnyValue[] } | null
  kvlistValue?: { values?: PbKeyValue[] } | null
  bytesValue?: Uint8Array
}
interface PbKeyValue {
  key: string
  value?: PbAnyValue | null
}
interface PbSpan {
  traceId: Uint8Array
  spanId: Uint8Array
  parentSpanId: Uint8Array
  name: string
  kind: number
  startTimeUnixNano: Long | number
  endTimeUnixNano: Long | number
  attributes: PbKeyValue[]
  events: { timeUnixNano: Long | number; name: string; attributes: PbKeyValue[] }[]
  links: { traceId: Uint8Array; spanId: Uint8Array; attributes: PbKeyValue[] }[]
  status?: { code: number; message: string } | null
}
interface PbRequest {
  resourceSpans: {
    resource?: { attributes: PbKeyValue[] } | null
    scopeSpans: { scope?: { name: string; version: string } | null; spans: PbSpan[] }[]
  }[]
}

const hex = (bytes: Uint8Array | undefined): string => (bytes && bytes.length > 0 ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex') : '')

function toBigInt(value: Long | number | undefined): bigint {
  if (value === undefined || value === null) return 0n
  if (typeof value === 'number') return BigInt(Math.trunc(value))
  return (BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0)
}

function toInteger(value: Long | number): number | string {
  if (typeof value === 'number') return value
  const n = value.toNumber()
  return Number.isSafeInteger(n) ? n : value.toString()
}

function anyValue(value: PbAnyValue | null | undefined): AttributeValue {
  if (!value) return null
  switch (value.value) {
    case 'stringValue':
      return value.stringValue ?? ''
    case 'boolValue':
      return value.boolValue ?? false
    case 'intValue':
      return toInteger(value.intValue ?? 0)
    case 'doubleValue':
      return value.doubleValue ?? 0
    case 'arrayValue':
      return (value.arrayValue?.values ?? []).map(anyValue)
    case 'kvlistValue':
      return attributes(value.kvlistValue?.values)
    case 'bytesValue':
      return Buffer.from(value.bytesValue ?? []).toString('base64')
    default:
      return null
  }
}

function attributes(list: PbKeyValue[] | undefined): Attributes {
  const out: Attributes = {}
  if (!list) return out
  for (const kv of list) out[kv.key] = anyValue(kv.value)
  return out
}

function span(pb: PbSpan): OtlpSpan {
  return {
    traceId: hex(pb.traceId),
    spanId: hex(pb.spanId),
    parentSpanId: hex(pb.parentSpanId),
    name: pb.name,
    kind: pb.kind,
    startTimeUnixNano: toBigInt(pb.startTimeUnixNano),
    endTimeUnixNano: toBigInt(pb.endTimeUnixNano),
    attributes: attributes(pb.attributes),
    events: pb.events.map((e) => ({ name: e.name, timeUnixNano: toBigInt(e.timeUnixNano), attributes: attributes(e.attributes) })),
    links: pb.links.map((l) => ({ traceId: hex(l.traceId), spanId: hex(l.spanId), attributes: attributes(l.attributes) })),
    statusCode: pb.status?.code ?? 0,
    statusMessage: pb.status?.message ?? '',
  }
}

export function decodeProtobuf(body: Uint8Array): OtlpExport {
  let message: PbRequest
  try {
    message = ExportTraceServiceRequest.decode(body) as unknown as PbRequest
  } catch (error) {
    throw new OtlpDecodeError(`body is not a protobuf ExportTraceServiceRequest: ${(error as Error).message}`)
  }
  return message.resourceSpans.map((rs) => ({
    resource: attributes(rs.resource?.attributes),
    scopeSpans: rs.scopeSpans.map((ss) => ({
      scope: { name: ss.scope?.name ?? '', version: ss.scope?.version ?? '' },
      spans: ss.spans.map(span),
    })),
  }))
}
