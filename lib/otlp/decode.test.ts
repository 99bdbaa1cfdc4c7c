// Both decoders against what the real OpenTelemetry JS serializers produce for the same spans.
import { SpanStatusCode, context, trace } from '@opentelemetry/api'
import { resourceFromAttributes } from '@opentelemetry/resources'
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer'
import { describe, expect, it } from 'vitest'
import { decodeJson } from './decode-json'
import { decodeProtobuf } from './decode-protobuf'
import { ExportTraceServiceResponse, RpcStatus } from './otlp-proto'
import { OtlpDecodeError, countSpans, type OtlpExport } from './otlp-span'
import { otlpError, otlpSuccess } from './respond'

function recordSpans() {
  const exporter = new InMemorySpanExporter()
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'checkout', 'tenant.id': 'acme' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  })
  const tracer = provider.getTracer('decode-test', '1.2.3')
  const root = tracer.startSpan('invoke_agent support', { attributes: { 'gen_ai.operation.name': 'invoke_agent' } })
  const child = tracer.startSpan(
    'chat gpt-4o',
    {
      attributes: {
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.usage.input_tokens': 1234,
        'gen_ai.request.temperature': 0.25,
        'gen_ai.response.finish_reasons': ['stop'],
        flag: true,
        off: false,
        zero: 0,
        empty: '',
      },
    },
    trace.setSpan(context.active(), root),
  )
  child.addEvent('gen_ai.evaluation.result', { 'gen_ai.evaluation.name': 'relevance', 'gen_ai.evaluation.score.value': 0.8 })
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'boom' })
  child.end()
  root.end()
  return exporter.getFinishedSpans()
}

function checkDecoded(decoded: OtlpExport, spans: ReturnType<typeof recordSpans>) {
  expect(countSpans(decoded)).toBe(2)
  expect(decoded[0].resource['service.name']).toBe('checkout')
  const scope = decoded[0].scopeSpans[0]
  expect(scope.scope).toEqual({ name: 'decode-test', version: '1.2.3' })
  const chat = scope.spans.find((s) => s.name === 'chat gpt-4o')!
  const original = spans.find((s) => s.name === 'chat gpt-4o')!
  expect(chat.traceId).toBe(original.spanContext().traceId)
  expect(chat.spanId).toBe(original.spanContext().spanId)
  expect(chat.parentSpanId).toBe(original.parentSpanContext?.spanId)
  const [seconds, nanos] = original.startTime
  expect(chat.startTimeUnixNano).toBe(BigInt(seconds) * 1_000_000_000n + BigInt(nanos))
  expect(chat.attributes).toMatchObject({ 'gen_ai.request.model': 'gpt-4o', 'gen_ai.usage.input_tokens': 1234, 'gen_ai.request.temperature': 0.25, flag: true })
  // Default values are values: false, 0 and "" arrive as such, not as absent.
  expect(chat.attributes).toMatchObject({ off: false, zero: 0, empty: '' })
  expect(chat.attributes['gen_ai.response.finish_reasons']).toEqual(['stop'])
  expect(chat.statusCode).toBe(2)
  expect(chat.statusMessage).toBe('boom')
  expect(chat.events[0].name).toBe('gen_ai.evaluation.result')
  expect(chat.events[0].attributes['gen_ai.evaluation.score.value']).toBe(0.8)
}

describe('decoding what the OpenTelemetry JS serializers send', () => {
  it('decodes protobuf', async () => {
    const spans = recordSpans()
    checkDecoded(await decodeProtobuf(ProtobufTraceSerializer.serializeRequest(spans)!), spans)
  })

  it('decodes JSON', async () => {
    const spans = recordSpans()
    checkDecoded(await decodeJson(JsonTraceSerializer.serializeRequest(spans)!), spans)
  })

  it('rejects a truncated protobuf body', async () => {
    await expect(decodeProtobuf(Uint8Array.from([0x0a, 0xff, 0x01, 0x02]))).rejects.toThrow(OtlpDecodeError)
  })

  it('rejects JSON that is not an export request', async () => {
    const bytes = (text: string) => new TextEncoder().encode(text)
    await expect(decodeJson(bytes('{"resourceSpans": 5}'))).rejects.toThrow(/resourceSpans must be an array/)
    await expect(decodeJson(bytes('[1,2]'))).rejects.toThrow(OtlpDecodeError)
    await expect(decodeJson(bytes('{nope'))).rejects.toThrow(/not valid JSON/)
  })
})

describe('OTLP/JSON quirks', () => {
  const body = (value: unknown) => new TextEncoder().encode(JSON.stringify(value))

  it('accepts kvlist and array values, string int64s, snake_case names, enum names and base64 ids', async () => {
    const decoded = await decodeJson(
      body({
        resource_spans: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] },
            scope_spans: [
              {
                spans: [
                  {
                    trace_id: Buffer.from('0102030405060708090a0b0c0d0e0f10', 'hex').toString('base64'),
                    span_id: 'AQIDBAUGBwg=',
                    name: 'x',
                    kind: 'SPAN_KIND_CLIENT',
                    start_time_unix_nano: '1764230400123456789',
                    endTimeUnixNano: 1764230401000000000,
                    status: { code: 'STATUS_CODE_ERROR' },
                    attributes: [
                      { key: 'big', value: { intValue: '9007199254740993' } },
                      { key: 'n', value: { intValue: 7 } },
                      { key: 'list', value: { arrayValue: { values: [{ stringValue: 'a' }, { intValue: '2' }] } } },
                      { key: 'obj', value: { kvlistValue: { values: [{ key: 'k', value: { boolValue: true } }] } } },
                      { key: 'empty', value: {} },
                    ],
                    unknownField: 1,
                  },
                ],
              },
            ],
          },
        ],
      }),
    )
    const span = decoded[0].scopeSpans[0].spans[0]
    expect(span.traceId).toBe('0102030405060708090a0b0c0d0e0f10')
    expect(span.spanId).toBe('0102030405060708')
    expect(span.kind).toBe(3)
    expect(span.statusCode).toBe(2)
    expect(span.startTimeUnixNano).toBe(1764230400123456789n)
    expect(span.attributes).toEqual({ big: '9007199254740993', n: 7, list: ['a', 2], obj: { k: true }, empty: null })
  })
})

describe('answers', () => {
  it('encodes an empty success and a partial success in protobuf', async () => {
    const empty = otlpSuccess('protobuf', { accepted: 2, rejected: 0, errorMessage: '', problems: [] })
    expect(empty.headers.get('content-type')).toBe('application/x-protobuf')
    expect(new Uint8Array(await empty.arrayBuffer())).toHaveLength(0)
    const partial = otlpSuccess('protobuf', { accepted: 1, rejected: 2, errorMessage: 'bad ids', problems: ['bad ids', 'bad ids'] })
    const decoded = ExportTraceServiceResponse.toObject(ExportTraceServiceResponse.decode(new Uint8Array(await partial.arrayBuffer())), { longs: Number })
    expect(decoded).toEqual({ partialSuccess: { rejectedSpans: 2, errorMessage: 'bad ids' } })
  })

  it('encodes errors as google.rpc.Status in the request encoding', async () => {
    const json = otlpError('json', 400, 'nope')
    expect(await json.json()).toEqual({ code: 3, message: 'nope', details: [] })
    const proto = otlpError('protobuf', 503, 'busy', { 'Retry-After': '1' })
    expect(proto.headers.get('retry-after')).toBe('1')
    expect(RpcStatus.toObject(RpcStatus.decode(new Uint8Array(await proto.arrayBuffer())))).toMatchObject({ code: 14, message: 'busy' })
  })
})
