// Decodes an `application/x-protobuf` ExportTraceServiceRequest into the encoding-neutral form.
import type Long from 'long'
import { HttpError } from '@/lib/http/errors'
import { assertItemCount } from '@/lib/ingest/limits'
import { ITEMS_PER_CHECK, TimeSlice } from '@/lib/runtime/time-slice'
import { InstrumentationScope, LogRecord, Reader, Resource, Span } from './otlp-proto'
import { OtlpDecodeError, type AttributeValue, type Attributes, type OtlpExport, type OtlpLogRecord, type OtlpLogsExport, type OtlpSpan } from './otlp-span'

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

interface PbLogRecord {
  timeUnixNano: Long | number
  observedTimeUnixNano: Long | number
  severityNumber: number
  severityText: string
  body?: PbAnyValue | null
  attributes: PbKeyValue[]
  traceId: Uint8Array
  spanId: Uint8Array
  eventName: string
}

function logRecord(pb: PbLogRecord): OtlpLogRecord {
  const attrs = attributes(pb.attributes)
  return {
    timeUnixNano: toBigInt(pb.timeUnixNano),
    observedTimeUnixNano: toBigInt(pb.observedTimeUnixNano),
    severityNumber: pb.severityNumber,
    severityText: pb.severityText,
    eventName: pb.eventName || (typeof attrs['event.name'] === 'string' ? attrs['event.name'] : ''),
    body: pb.body ? anyValue(pb.body) : null,
    attributes: attrs,
    traceId: hex(pb.traceId),
    spanId: hex(pb.spanId),
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

interface Walked<Item> {
  resource: Attributes
  scopes: { scope: { name: string; version: string }; items: Item[] }[]
}

/**
 * Walks the resource (field 1) > scope (2) > item (2) nesting both signals share, decoding each
 * item with `item` as soon as it is reached. Decoding stops as soon as there are too many items,
 * and hands the event loop back every few milliseconds.
 */
async function walkRequest<Item>(body: Uint8Array, what: string, itemName: 'spans' | 'log records', item: (reader: PbReader, length: number) => Item): Promise<Walked<Item>[]> {
  try {
    const reader = Reader.create(body)
    const request: Walked<Item>[] = []
    const slice = new TimeSlice()
    let count = 0
    while (reader.pos < reader.len) {
      const tag = reader.uint32()
      if (tag >>> 3 !== 1 || (tag & 7) !== LENGTH_DELIMITED) {
        reader.skipType(tag & 7)
        continue
      }
      const resource: Walked<Item> = { resource: {}, scopes: [] }
      await each(reader, reader.uint32() + reader.pos, async (field, length) => {
        if (field === 1) {
          resource.resource = attributes((Resource.decode(reader, length) as unknown as { attributes: PbKeyValue[] }).attributes)
          return
        }
        const scoped: Walked<Item>['scopes'][number] = { scope: { name: '', version: '' }, items: [] }
        await each(reader, reader.pos + length, async (inner, innerLength) => {
          if (inner === 1) {
            const scope = InstrumentationScope.decode(reader, innerLength) as unknown as { name: string; version: string }
            scoped.scope = { name: scope.name, version: scope.version }
          } else {
            assertItemCount(++count, itemName)
            if (count % ITEMS_PER_CHECK === 0) await slice.next()
            scoped.items.push(item(reader, innerLength))
          }
        })
        resource.scopes.push(scoped)
      })
      request.push(resource)
    }
    return request
  } catch (error) {
    if (error instanceof HttpError) throw error
    throw new OtlpDecodeError(`body is not a protobuf ${what}: ${(error as Error).message}`)
  }
}

/** An ExportLogsServiceRequest. */
export async function decodeLogsProtobuf(body: Uint8Array): Promise<OtlpLogsExport> {
  const walked = await walkRequest(body, 'ExportLogsServiceRequest', 'log records', (reader, length) => logRecord(LogRecord.decode(reader, length) as unknown as PbLogRecord))
  return walked.map(({ resource, scopes }) => ({ resource, scopeLogs: scopes.map(({ scope, items }) => ({ scope, logRecords: items })) }))
}

export async function decodeProtobuf(body: Uint8Array): Promise<OtlpExport> {
  const walked = await walkRequest(body, 'ExportTraceServiceRequest', 'spans', (reader, length) => span(Span.decode(reader, length) as unknown as PbSpan))
  return walked.map(({ resource, scopes }) => ({ resource, scopeSpans: scopes.map(({ scope, items }) => ({ scope, spans: items })) }))
}
