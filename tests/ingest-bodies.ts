// Builders for ingest request bodies in the three encodings (native JSON, OTLP/JSON,
// OTLP/protobuf), shared by the hostile-input and fuzz tests. OTLP spans are described once in a
// neutral shape and encoded either way, so the same span can be sent over both.
import { ExportTraceServiceRequest } from '@/lib/otlp/otlp-proto'

export type OtlpValue = { stringValue: string } | { intValue: number } | { boolValue: boolean } | { doubleValue: number } | { kvlistValue: { values: OtlpKeyValue[] } } | { arrayValue: { values: OtlpValue[] } }
export interface OtlpKeyValue {
  key: string
  value: OtlpValue
}

export interface OtlpSpanSpec {
  traceId: string
  spanId: string
  parentSpanId?: string
  name: string
  startNanos: bigint
  endNanos: bigint
  attributes?: OtlpKeyValue[]
}

export const nanos = (ms: number) => BigInt(Math.round(ms)) * 1_000_000n

export function otlpJsonBody(spans: OtlpSpanSpec[], service = 'svc'): string {
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeSpans: [
          {
            scope: { name: 'tests' },
            spans: spans.map((s) => ({
              traceId: s.traceId,
              spanId: s.spanId,
              parentSpanId: s.parentSpanId ?? '',
              name: s.name,
              kind: 1,
              startTimeUnixNano: s.startNanos.toString(),
              endTimeUnixNano: s.endNanos.toString(),
              attributes: s.attributes ?? [],
            })),
          },
        ],
      },
    ],
  })
}

export function otlpProtobufBody(spans: OtlpSpanSpec[], service = 'svc'): Uint8Array {
  const message = ExportTraceServiceRequest.fromObject({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeSpans: [
          {
            scope: { name: 'tests' },
            spans: spans.map((s) => ({
              traceId: Buffer.from(s.traceId, 'hex'),
              spanId: Buffer.from(s.spanId, 'hex'),
              parentSpanId: s.parentSpanId ? Buffer.from(s.parentSpanId, 'hex') : Buffer.alloc(0),
              name: s.name,
              kind: 1,
              startTimeUnixNano: s.startNanos.toString(),
              endTimeUnixNano: s.endNanos.toString(),
              attributes: s.attributes ?? [],
            })),
          },
        ],
      },
    ],
  })
  return ExportTraceServiceRequest.encode(message).finish()
}

/** Protobuf varint. */
function varint(value: number): number[] {
  const out: number[] = []
  let v = value
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80)
    v = Math.floor(v / 128)
  }
  out.push(v)
  return out
}

function lengthDelimited(field: number, body: Uint8Array): Uint8Array {
  const head = [...varint((field << 3) | 2), ...varint(body.length)]
  const out = new Uint8Array(head.length + body.length)
  out.set(head)
  out.set(body, head.length)
  return out
}

/**
 * An OTLP/protobuf request whose one span carries an attribute nested `depth` kvlists deep,
 * written by hand (a protobuf library would itself overflow the stack encoding it).
 */
export function deeplyNestedProtobufBody(traceId: string, spanId: string, depth: number, startNanos: bigint): Uint8Array {
  // Every level is a prefix (AnyValue.kvlist_value > KeyValueList.values > KeyValue{key, value})
  // around the next one: lengths are worked out from the leaf outwards, then written outside in.
  const leaf = lengthDelimited(1, Buffer.from('leaf'))
  const key = lengthDelimited(1, Buffer.from('k'))
  const prefixes: number[][] = []
  let inner = leaf.length
  for (let i = 0; i < depth; i++) {
    const keyValue = key.length + 1 + varint(inner).length + inner
    const list = 1 + varint(keyValue).length + keyValue
    prefixes.push([0x32, ...varint(list), 0x0a, ...varint(keyValue), ...key, 0x12, ...varint(inner)])
    inner = 1 + varint(list).length + list
  }
  const value = Buffer.concat([...prefixes.reverse().map((p) => Uint8Array.from(p)), leaf])
  const attribute = Buffer.concat([lengthDelimited(1, Buffer.from('deep')), lengthDelimited(2, value)])
  const fixed64 = (field: number, n: bigint) => {
    const bytes = Buffer.alloc(9)
    bytes[0] = (field << 3) | 1
    bytes.writeBigUInt64LE(n, 1)
    return bytes
  }
  const span = Buffer.concat([
    lengthDelimited(1, Buffer.from(traceId, 'hex')),
    lengthDelimited(2, Buffer.from(spanId, 'hex')),
    lengthDelimited(5, Buffer.from('deep span')),
    fixed64(7, startNanos),
    fixed64(8, startNanos),
    lengthDelimited(9, attribute),
  ])
  return lengthDelimited(1, lengthDelimited(2, lengthDelimited(2, span)))
}
