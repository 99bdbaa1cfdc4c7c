// Decodes an `application/x-protobuf` ExportTraceServiceRequest into the encoding-neutral form.
import type Long from 'long'
import { HttpError } from '@/lib/http/errors'
import { assertItemCount } from '@/lib/ingest/limits'
import { ITEMS_PER_CHECK, TimeSlice } from '@/lib/runtime/time-slice'
import { InstrumentationScope, Reader, Resource, Span } from './otlp-proto'
import { OtlpDecodeError, type AttributeValue, type Attributes, type OtlpExport, type OtlpResourceSpans, type OtlpScopeSpans, type OtlpSpan } from './otlp-span'

// The decoded message shapes we read (protobufjs message instances: unset scalars read as
// their defaults, unset repeated fields as empty arrays, unset messages as null/undefined).
interface PbAnyValue {
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

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

function hex(bytes: Uint8Array | undefined): string {
  if (!bytes) return ''
  let out = ''
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]]
  return out
}

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

const has = Object.prototype.hasOwnProperty

// Decoded messages own exactly the fields that were on the wire; checking them directly is much
// cheaper than protobufjs's oneof getter, and this runs for every attribute of every span.
function anyValue(value: PbAnyValue | null | undefined): AttributeValue {
  if (!value) return null
  if (has.call(value, 'stringValue')) return value.stringValue ?? ''
  if (has.call(value, 'intValue')) return toInteger(value.intValue ?? 0)
  if (has.call(value, 'doubleValue')) return value.doubleValue ?? 0
  if (has.call(value, 'boolValue')) return value.boolValue ?? false
  if (has.call(value, 'arrayValue')) return (value.arrayValue?.values ?? []).map(anyValue)
  if (has.call(value, 'kvlistValue')) return attributes(value.kvlistValue?.values)
  if (has.call(value, 'bytesValue')) return Buffer.from(value.bytesValue ?? []).toString('base64')
  return null
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

// The request is walked by hand down to its spans, and each span is decoded and converted on
// its own: decoding the whole request at once would keep every protobufjs message of a
// 512-span batch alive at the same time, which costs more in garbage collection than the
// decoding itself. Field numbers: ExportTraceServiceRequest.resource_spans 1; ResourceSpans
// resource 1, scope_spans 2; ScopeSpans scope 1, spans 2.
const LENGTH_DELIMITED = 2

type PbReader = ReturnType<typeof Reader.create>

async function each(reader: PbReader, end: number, onField: (field: number, length: number) => void | Promise<void>): Promise<void> {
  while (reader.pos < end) {
    const tag = reader.uint32()
    if ((tag & 7) === LENGTH_DELIMITED && (tag >>> 3) <= 2) await onField(tag >>> 3, reader.uint32())
    else reader.skipType(tag & 7)
  }
  if (reader.pos !== end) throw new Error(`message ends at byte ${reader.pos}, expected ${end}`)
}

/** Spans decoded so far in this request: decoding stops as soon as there are too many. */
interface Progress {
  spans: number
  /** Decoding hands the event loop back between spans every few milliseconds. */
  slice: TimeSlice
}

function scopeSpans(reader: PbReader, end: number, progress: Progress): Promise<OtlpScopeSpans> {
  const out: OtlpScopeSpans = { scope: { name: '', version: '' }, spans: [] }
  return each(reader, end, async (field, length) => {
    if (field === 1) {
      const scope = InstrumentationScope.decode(reader, length) as unknown as { name: string; version: string }
      out.scope = { name: scope.name, version: scope.version }
    } else {
      assertItemCount(++progress.spans, 'spans')
      if (progress.spans % ITEMS_PER_CHECK === 0) await progress.slice.next()
      out.spans.push(span(Span.decode(reader, length) as unknown as PbSpan))
    }
  }).then(() => out)
}

function resourceSpans(reader: PbReader, end: number, progress: Progress): Promise<OtlpResourceSpans> {
  const out: OtlpResourceSpans = { resource: {}, scopeSpans: [] }
  return each(reader, end, async (field, length) => {
    if (field === 1) out.resource = attributes((Resource.decode(reader, length) as unknown as { attributes: PbKeyValue[] }).attributes)
    else out.scopeSpans.push(await scopeSpans(reader, reader.pos + length, progress))
  }).then(() => out)
}

export async function decodeProtobuf(body: Uint8Array): Promise<OtlpExport> {
  try {
    const reader = Reader.create(body)
    const request: OtlpExport = []
    const progress: Progress = { spans: 0, slice: new TimeSlice() }
    while (reader.pos < reader.len) {
      const tag = reader.uint32()
      if (tag >>> 3 === 1 && (tag & 7) === LENGTH_DELIMITED) {
        const length = reader.uint32()
        request.push(await resourceSpans(reader, reader.pos + length, progress))
      } else {
        reader.skipType(tag & 7)
      }
    }
    return request
  } catch (error) {
    if (error instanceof HttpError) throw error
    throw new OtlpDecodeError(`body is not a protobuf ExportTraceServiceRequest: ${(error as Error).message}`)
  }
}
