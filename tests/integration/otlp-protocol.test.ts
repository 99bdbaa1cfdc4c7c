// The OTLP/HTTP protocol promises: answers in the request's encoding, google.rpc.Status for
// errors, partial success that stores the good spans, size limits after decompression, and
// load shedding with Retry-After that a real exporter rides out.
import { gzipSync } from 'node:zlib'
import fs from 'node:fs'
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base'
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto'
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer'
import { ExportResultCode, type ExportResult } from '@opentelemetry/core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { ExportTraceServiceResponse, RpcStatus } from '@/lib/otlp/otlp-proto'
import { ADMIN_TOKEN, createProject, startServer, type FlightlineClient, type TestServer } from '../harness'
import { startRecordingProxy } from '../recording-proxy'

const baseUrl = inject('baseUrl')
let client: FlightlineClient
let apiKey: string
let projectId: string

beforeAll(async () => {
  const project = await createProject(baseUrl, 'otlp-protocol')
  client = project.client
  apiKey = project.api_key
  projectId = project.id
})

const hex = (bytes: number) => Array.from({ length: bytes }, () => Math.floor(Math.random() * 256).toString(16).padStart(2, '0')).join('')
const nowNanos = () => (BigInt(Date.now() - 10_000) * 1_000_000n).toString()

function post(body: BodyInit, headers: Record<string, string>, path = '/v1/traces') {
  return fetch(`${baseUrl}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${apiKey}`, ...headers }, body })
}

const PROTOBUF = { 'Content-Type': 'application/x-protobuf' }
const JSON_TYPE = { 'Content-Type': 'application/json' }

async function rpcStatus(response: Response) {
  expect(response.headers.get('content-type')).toBe('application/x-protobuf')
  return RpcStatus.toObject(RpcStatus.decode(new Uint8Array(await response.arrayBuffer()))) as { code: number; message: string }
}

function jsonSpan(traceId: string, spanId: string, name: string) {
  return { traceId, spanId, name, kind: 1, startTimeUnixNano: nowNanos(), endTimeUnixNano: nowNanos(), attributes: [{ key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o' } }] }
}

function jsonRequest(spans: unknown[]) {
  return JSON.stringify({ resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] }, scopeSpans: [{ scope: { name: 'test' }, spans }] }] })
}

/** Spans recorded by the real SDK, ready for the real protobuf serializer. */
function recordedSpans(count: number): ReadableSpan[] {
  const exporter = new InMemorySpanExporter()
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] })
  const tracer = provider.getTracer('protocol-test')
  for (let i = 0; i < count; i++) tracer.startSpan(`work ${i}`, { attributes: { 'gen_ai.request.model': 'gpt-4o', 'gen_ai.usage.input_tokens': 10 } }).end()
  return exporter.getFinishedSpans()
}

/** What the real OTLP protobuf exporter would send for these spans. */
const protobufBody = (spans: ReadableSpan[]) => new Uint8Array(ProtobufTraceSerializer.serializeRequest(spans)!)

describe('errors are google.rpc.Status in the request encoding', () => {
  it('answers 400 for a malformed protobuf body', async () => {
    const response = await post(Uint8Array.from([0x0a, 0xff, 0x01, 0x02, 0x03]), PROTOBUF)
    expect(response.status).toBe(400)
    const status = await rpcStatus(response)
    expect(status.code).toBe(3)
    expect(status.message).toMatch(/not a protobuf ExportTraceServiceRequest/)
  })

  it('answers 400 for JSON that is not an export request', async () => {
    const response = await post('{"resourceSpans": "nope"}', JSON_TYPE)
    expect(response.status).toBe(400)
    expect(response.headers.get('content-type')).toBe('application/json')
    expect(await response.json()).toMatchObject({ code: 3, message: expect.stringMatching(/resourceSpans must be an array/) })
  })

  it('answers 415 for a content type OTLP does not define', async () => {
    const response = await post('hello', { 'Content-Type': 'text/plain' })
    expect(response.status).toBe(415)
    expect((await response.json()).message).toMatch(/application\/x-protobuf or application\/json/)
  })

  it('answers 401 without a key and 403 for a key without the ingest scope', async () => {
    const body = protobufBody(recordedSpans(1))
    const anonymous = await fetch(`${baseUrl}/v1/traces`, { method: 'POST', headers: PROTOBUF, body })
    expect(anonymous.status).toBe(401)
    expect((await rpcStatus(anonymous)).code).toBe(16)

    const created = await fetch(`${baseUrl}/api/v1/projects/${projectId}/keys`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, ...JSON_TYPE },
      body: JSON.stringify({ name: 'reader', scopes: ['read'] }),
    })
    const readKey = ((await created.json()) as { key: string }).key
    expect(readKey).toMatch(/^fl_/)
    const reader = await fetch(`${baseUrl}/v1/traces`, { method: 'POST', headers: { ...PROTOBUF, Authorization: `Bearer ${readKey}` }, body })
    expect(reader.status).toBe(403)
    expect((await rpcStatus(reader)).message).toMatch(/ingest/)
  })
})

describe('partial success', () => {
  it('stores the good spans of a JSON batch and names the bad ones', async () => {
    const traceId = hex(16)
    const response = await post(
      jsonRequest([
        jsonSpan(traceId, hex(8), 'good-1'),
        jsonSpan('not-a-trace-id', hex(8), 'bad-trace'),
        jsonSpan(traceId, '0000000000000000', 'bad-span'),
        jsonSpan(traceId, hex(8), 'good-2'),
      ]),
      JSON_TYPE,
    )
    expect(response.status).toBe(200)
    const body = await response.json()
    expect(body.partialSuccess.rejectedSpans).toBe(2)
    expect(body.partialSuccess.errorMessage).toMatch(/2 of 4 spans rejected/)
    expect(body.partialSuccess.errorMessage).toMatch(/span 'bad-trace'.*traceId must be 16 non-zero bytes/)
    expect(body.partialSuccess.errorMessage).toMatch(/span 'bad-span'.*spanId must be 8 non-zero bytes/)
    const stored = (await client.getTrace(traceId)).json.spans.map((s: { name: string }) => s.name).sort()
    expect(stored).toEqual(['good-1', 'good-2'])
  })

  it('answers a protobuf partialSuccess for spans with all-zero ids from the real serializer', async () => {
    const spans = recordedSpans(3)
    const zeroed: ReadableSpan = Object.assign(Object.create(Object.getPrototypeOf(spans[1])), spans[1], {
      spanContext: () => ({ ...spans[1].spanContext(), traceId: '00000000000000000000000000000000' }),
    })
    const response = await post(protobufBody([spans[0], zeroed, spans[2]]), PROTOBUF)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/x-protobuf')
    const decoded = ExportTraceServiceResponse.toObject(ExportTraceServiceResponse.decode(new Uint8Array(await response.arrayBuffer())), { longs: Number })
    expect(decoded.partialSuccess).toMatchObject({ rejectedSpans: 1, errorMessage: expect.stringMatching(/traceId/) })
    for (const span of [spans[0], spans[2]]) {
      const trace = await client.getTrace(span.spanContext().traceId)
      expect(trace.json.spans).toHaveLength(1)
    }
  })

  it('answers an empty 200 when every span is stored, and never stores a re-sent span twice', async () => {
    const spans = recordedSpans(2)
    const body = protobufBody(spans)
    for (let i = 0; i < 2; i++) {
      const response = await post(body, PROTOBUF)
      expect(response.status).toBe(200)
      expect((await response.arrayBuffer()).byteLength).toBe(0)
    }
    expect((await client.getTrace(spans[0].spanContext().traceId)).json.spans).toHaveLength(1)
  })
})

describe('project isolation', () => {
  it("stores a span in the key's project only, even when another project sends the same ids", async () => {
    const other = await createProject(baseUrl, 'otlp-isolation')
    const traceId = hex(16)
    const spanId = hex(8)
    const send = (key: string, name: string) =>
      fetch(`${baseUrl}/v1/traces`, { method: 'POST', headers: { Authorization: `Bearer ${key}`, ...JSON_TYPE }, body: jsonRequest([jsonSpan(traceId, spanId, name)]) })
    expect((await send(apiKey, 'mine')).status).toBe(200)
    expect((await send(other.api_key, 'theirs')).status).toBe(200)
    expect((await client.getTrace(traceId)).json.spans.map((s: { name: string }) => s.name)).toEqual(['mine'])
    expect((await other.client.getTrace(traceId)).json.spans.map((s: { name: string }) => s.name)).toEqual(['theirs'])
  })
})

describe("a project's own tenant attribute", () => {
  it('takes the tenant from the configured attribute, on the span or the resource', async () => {
    const project = await createProject(baseUrl, 'otlp-tenant-key')
    const patch = (body: unknown) =>
      fetch(`${baseUrl}/api/v1/projects/${project.id}`, { method: 'PATCH', headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, ...JSON_TYPE }, body: JSON.stringify(body) })
    expect((await patch({ tenant_attribute: '' })).status).toBe(400)
    const set = await patch({ tenant_attribute: 'app.customer_id' })
    expect(set.status).toBe(200)
    expect(await set.json()).toEqual({ id: project.id, settings: { tenant_attribute: 'app.customer_id' } })

    const traceId = hex(16)
    const onSpan = { ...jsonSpan(traceId, hex(8), 'on-span'), attributes: [{ key: 'app.customer_id', value: { stringValue: 'cust-1' } }, { key: 'tenant.id', value: { stringValue: 'ignored' } }] }
    const plain = jsonSpan(traceId, hex(8), 'from-resource')
    const body = JSON.stringify({
      resourceSpans: [{ resource: { attributes: [{ key: 'app.customer_id', value: { stringValue: 'cust-2' } }] }, scopeSpans: [{ spans: [onSpan, plain] }] }],
    })
    const response = await fetch(`${baseUrl}/v1/traces`, { method: 'POST', headers: { Authorization: `Bearer ${project.api_key}`, ...JSON_TYPE }, body })
    expect(response.status).toBe(200)
    const spans = (await project.client.getTrace(traceId)).json.spans
    const tenantOf = (name: string) => spans.find((s: { name: string }) => s.name === name).tenant_id
    expect(tenantOf('on-span')).toBe('cust-1')
    expect(tenantOf('from-resource')).toBe('cust-2')
  })
})

describe('size limits hold after decompression', () => {
  it('answers 413 for an oversized body and for a gzip bomb, and keeps serving', async () => {
    const oversized = new Uint8Array(17 * 1024 * 1024)
    const big = await post(oversized, PROTOBUF)
    expect(big.status).toBe(413)
    expect((await rpcStatus(big)).message).toMatch(/limit/)

    // 64 MiB of zeros compresses to about 64 KiB.
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024))
    expect(bomb.length).toBeLessThan(200_000)
    const exploded = await post(new Uint8Array(bomb), { ...JSON_TYPE, 'Content-Encoding': 'gzip' })
    expect(exploded.status).toBe(413)
    expect((await exploded.json()).message).toMatch(/decompressed body exceeds/)

    expect((await fetch(`${baseUrl}/api/health`)).status).toBe(200)
    const traceId = hex(16)
    const after = await post(new Uint8Array(gzipSync(jsonRequest([jsonSpan(traceId, hex(8), 'after')]))), { ...JSON_TYPE, 'Content-Encoding': 'gzip' })
    expect(after.status).toBe(200)
    expect((await client.getTrace(traceId)).json.spans).toHaveLength(1)
  })
})

describe('load shedding', () => {
  let server: TestServer

  beforeAll(async () => {
    // A server that sheds load as soon as a second batch arrives while one is being written.
    server = await startServer({ env: { FLIGHTLINE_MAX_PENDING_ROWS: '1' } })
  })

  afterAll(async () => {
    await server.stop()
    fs.rmSync(server.dataDir, { recursive: true, force: true })
  })

  it('answers 503 with Retry-After while busy; the real exporter retries and its spans are stored', async () => {
    const project = await createProject(server.url)
    const proxy = await startRecordingProxy(server.url)
    // Keep the writer busy with large native batches until an export has met a 503 (large
    // requests are validated in slices, so an export can also land between two inserts and be
    // stored at once); the load stops as soon as the proxy saw the 503, so the exporter's retry
    // (Retry-After: 1 s) gets through.
    const deadline = Date.now() + 20_000
    const met503 = () => proxy.exchanges.some((exchange) => exchange.status === 503)
    const keepBusy = async (tag: number) => {
      for (let n = 0; !met503() && Date.now() < deadline; n++) {
        const spans = Array.from({ length: 2000 }, (_, i) => ({ trace_id: `busy-${tag}-${n}`, span_id: `s${i}`, name: 'load', start_time: new Date().toISOString() }))
        await project.client.sendSpans(spans)
      }
    }
    // Four senders, so that some batch is nearly always waiting for or inside an insert.
    const load = Promise.all([0, 1, 2, 3].map(keepBusy))
    await new Promise((resolve) => setTimeout(resolve, 100))

    const exporter = new ProtoExporter({ url: `${proxy.url}/v1/traces`, headers: { Authorization: `Bearer ${project.api_key}` }, timeoutMillis: 20_000 })
    const exported: ReadableSpan[] = []
    let shed: { statuses: number[]; retryAfter: string | null; result: ExportResult } | undefined
    for (let attempt = 0; attempt < 40 && !shed && Date.now() < deadline; attempt++) {
      const before = proxy.exchanges.length
      const spans = recordedSpans(3)
      const result = await new Promise<ExportResult>((resolve) => exporter.export(spans, resolve))
      expect(result.code).toBe(ExportResultCode.SUCCESS)
      exported.push(...spans)
      const mine = proxy.exchanges.slice(before)
      if (mine[0].status === 503) shed = { statuses: mine.map((e) => e.status), retryAfter: mine[0].retryAfter, result }
    }
    await load
    await exporter.shutdown()
    await proxy.close()

    expect(shed, 'an export met a 503').toBeDefined()
    expect(shed!.retryAfter).toBe('1')
    expect(shed!.statuses[shed!.statuses.length - 1]).toBe(200)
    for (const span of exported) {
      const trace = await project.client.getTrace(span.spanContext().traceId)
      expect(trace.json.spans).toHaveLength(1)
    }
  })
})
