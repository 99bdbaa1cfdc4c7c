// The two other OTLP ways in, against the built server with real clients: OTLP/gRPC with the
// real @opentelemetry/exporter-trace-otlp-grpc (gzip, authorization metadata) and a raw grpc-js
// client for the spec's status codes; OTLP logs with the real @opentelemetry/sdk-logs +
// exporter-logs-otlp-http, whose GenAI log records join their spans whichever arrives first.
import fs from 'node:fs'
import { context, trace } from '@opentelemetry/api'
import { Metadata, credentials, Client, status as GrpcStatus, type ServiceError } from '@grpc/grpc-js'
import { OTLPTraceExporter as GrpcTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc'
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http'
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs'
import { resourceFromAttributes } from '@opentelemetry/resources'
import { SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ExportTraceServiceRequest, RetryInfo, RpcStatus } from '@/lib/otlp/otlp-proto'
import { createProject, startServer, waitForHealth, type FlightlineClient, type TestServer } from '../harness'

let server: TestServer
let client: FlightlineClient
let apiKey: string

beforeAll(async () => {
  server = await startServer({ grpc: true })
  const project = await createProject(server.url, 'otlp-grpc-logs')
  client = project.client
  apiKey = project.api_key
  new NodeTracerProvider().register()
})

afterAll(async () => {
  await server?.stop()
  if (server) fs.rmSync(server.dataDir, { recursive: true, force: true })
})

function authMetadata(key: string): Metadata {
  const metadata = new Metadata()
  metadata.set('authorization', `Bearer ${key}`)
  return metadata
}

function rawExport(port: number, metadata: Metadata, body: Buffer): Promise<{ error: ServiceError | null; response?: Buffer }> {
  const grpcClient = new Client(`127.0.0.1:${port}`, credentials.createInsecure())
  return new Promise((resolve) => {
    grpcClient.makeUnaryRequest(
      '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
      (value: Buffer) => value,
      (value: Buffer) => value,
      body,
      metadata,
      (error, response) => {
        grpcClient.close()
        resolve({ error, response })
      },
    )
  })
}

async function spansOf(traceId: string): Promise<Record<string, any>[]> {
  const response = await client.getTrace(traceId)
  expect(response.status, JSON.stringify(response.json)).toBe(200)
  return response.json.spans
}

describe('OTLP/gRPC', () => {
  it('stores a trace sent by the real gRPC exporter (gzip, authorization metadata)', async () => {
    expect(server.grpcPort).toBeGreaterThan(0)
    const exporter = new GrpcTraceExporter({ url: `http://127.0.0.1:${server.grpcPort}`, metadata: authMetadata(apiKey), compression: 'gzip' as never })
    const provider = new NodeTracerProvider({ resource: resourceFromAttributes({ 'service.name': 'grpc-agent' }), spanProcessors: [new SimpleSpanProcessor(exporter)] })
    const tracer = provider.getTracer('grpc-test')
    const root = tracer.startSpan('invoke_agent billing', { attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'billing' } })
    const chat = tracer.startSpan(
      'chat gpt-4o',
      {
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.request.model': 'gpt-4o',
          'gen_ai.usage.input_tokens': 900,
          'gen_ai.usage.output_tokens': 40,
          'gen_ai.usage.cache_read.input_tokens': 512,
          'tenant.id': 'globex',
        },
      },
      trace.setSpan(context.active(), root),
    )
    chat.end()
    root.end()
    const traceId = root.spanContext().traceId
    await provider.forceFlush()
    await provider.shutdown()

    const spans = await spansOf(traceId)
    expect(spans).toHaveLength(2)
    const call = spans.find((s) => s.name === 'chat gpt-4o')!
    expect(call).toMatchObject({ kind: 'llm', model_requested: 'gpt-4o', input_tokens: 900, output_tokens: 40, cache_read_tokens: 512, tenant_id: 'globex', service_name: 'grpc-agent' })
    expect(call.parent_span_id).toBe(root.spanContext().spanId)
  })

  it('answers UNAUTHENTICATED without a valid key and INVALID_ARGUMENT for a body that is not OTLP', async () => {
    const noKey = await rawExport(server.grpcPort, new Metadata(), Buffer.alloc(0))
    expect(noKey.error?.code).toBe(GrpcStatus.UNAUTHENTICATED)
    const badKey = await rawExport(server.grpcPort, authMetadata('fl_not_a_key'), Buffer.alloc(0))
    expect(badKey.error?.code).toBe(GrpcStatus.UNAUTHENTICATED)
    const garbage = await rawExport(server.grpcPort, authMetadata(apiKey), Buffer.from([0x0a, 0xff, 0xff, 0xff]))
    expect(garbage.error?.code).toBe(GrpcStatus.INVALID_ARGUMENT)
    expect(garbage.error?.details).toMatch(/ExportTraceServiceRequest/)
    // An empty request is a valid (empty) export.
    const empty = await rawExport(server.grpcPort, authMetadata(apiKey), Buffer.alloc(0))
    expect(empty.error).toBeNull()
  })
})

describe('OTLP/gRPC when shedding load and when the port is taken', () => {
  let shedding: TestServer | undefined
  let second: TestServer | undefined
  afterAll(async () => {
    for (const s of [second, shedding]) {
      await s?.stop()
      if (s) fs.rmSync(s.dataDir, { recursive: true, force: true })
    }
  })

  function exportRequest(traceId: string): Buffer {
    const now = BigInt(Date.now()) * 1_000_000n
    const message = ExportTraceServiceRequest.fromObject({
      resourceSpans: [
        { scopeSpans: [{ spans: [{ traceId: Buffer.from(traceId, 'hex'), spanId: Buffer.from('1'.repeat(16), 'hex'), name: 'shed?', startTimeUnixNano: now.toString(), endTimeUnixNano: now.toString() }] }] },
      ],
    })
    return Buffer.from(ExportTraceServiceRequest.encode(message).finish())
  }

  it('answers UNAVAILABLE with RetryInfo while the writer sheds load', async () => {
    shedding = await startServer({ grpc: true, env: { FLIGHTLINE_MAX_PENDING_ROWS: '1' } })
    const project = await createProject(shedding.url)
    const busyUntil = Date.now() + 3000
    const keepBusy = async () => {
      for (let n = 0; Date.now() < busyUntil; n++) {
        const spans = Array.from({ length: 5000 }, (_, i) => ({ trace_id: `busy-${n}`, span_id: `s${i}`, name: 'load', start_time: new Date().toISOString() }))
        await project.client.sendSpans(spans)
      }
    }
    const load = Promise.all([keepBusy(), keepBusy()])
    let shed: ServiceError | null = null
    for (let attempt = 0; !shed && Date.now() < busyUntil; attempt++) {
      const { error } = await rawExport(shedding.grpcPort, authMetadata(project.api_key), exportRequest(attempt.toString(16).padStart(32, 'e')))
      if (error) shed = error
    }
    await load
    expect(shed, 'an export met the shedding writer').not.toBeNull()
    expect(shed!.code).toBe(GrpcStatus.UNAVAILABLE)
    const details = shed!.metadata.get('grpc-status-details-bin')[0] as Buffer
    const status = RpcStatus.decode(details) as unknown as { code: number; details: { type_url: string; value: Uint8Array }[] }
    expect(status.code).toBe(GrpcStatus.UNAVAILABLE)
    expect(status.details[0].type_url).toBe('type.googleapis.com/google.rpc.RetryInfo')
    expect(Number((RetryInfo.decode(status.details[0].value) as unknown as { retryDelay: { seconds: number } }).retryDelay.seconds)).toBe(1)
  })

  it('logs a clear message when its gRPC port is taken, and keeps serving HTTP', async () => {
    // A second Flightline on the port the first one serves gRPC on.
    second = await startServer({ env: { FLIGHTLINE_OTLP_GRPC_PORT: String(server.grpcPort) } })
    await waitForHealth(second)
    const deadline = Date.now() + 20_000
    while (!/OTLP\/gRPC is off/.test(second.output()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
    expect(second.output()).toMatch(new RegExp(`OTLP/gRPC is off: could not listen on port ${server.grpcPort} \\(the port is already in use\\)`))
    expect(second.output()).toMatch(/Set FLIGHTLINE_OTLP_GRPC_PORT to a free port, or to 0 to turn gRPC off/)
    const project = await createProject(second.url, 'second')
    const sent = await project.client.sendSpans([{ trace_id: 'a'.repeat(32), span_id: 'b'.repeat(16), name: 'still works', start_time: new Date().toISOString() }])
    expect(sent.status).toBe(200)
    // The first server's gRPC is unaffected.
    const { error } = await rawExport(server.grpcPort, authMetadata(apiKey), Buffer.alloc(0))
    expect(error).toBeNull()
  })
})

describe('OTLP logs (GenAI events as log records)', () => {
  function logProvider(): LoggerProvider {
    const exporter = new OTLPLogExporter({ url: `${server.url}/v1/logs`, headers: { Authorization: `Bearer ${apiKey}` }, compression: 'gzip' as never })
    return new LoggerProvider({ resource: resourceFromAttributes({ 'service.name': 'genai-logs' }), processors: [new BatchLogRecordProcessor({ exporter })] })
  }

  function spanProvider(): NodeTracerProvider {
    const exporter = new GrpcTraceExporter({ url: `http://127.0.0.1:${server.grpcPort}`, metadata: authMetadata(apiKey) })
    return new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] })
  }

  function emitConversation(logs: LoggerProvider, spanContext: ReturnType<typeof trace.setSpan>) {
    const logger = logs.getLogger('openai-instrumentation')
    logger.emit({ eventName: 'gen_ai.system.message', body: { content: 'You are a billing assistant.' }, attributes: { 'gen_ai.system': 'openai' }, context: spanContext })
    logger.emit({ eventName: 'gen_ai.user.message', body: { content: 'Why was I charged twice?' }, attributes: { 'gen_ai.system': 'openai' }, context: spanContext })
    logger.emit({
      eventName: 'gen_ai.choice',
      body: { index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'One charge is a pending authorization.' } },
      attributes: { 'gen_ai.system': 'openai' },
      context: spanContext,
    })
  }

  it('joins log records that arrive after their span', async () => {
    const spans = spanProvider()
    const span = spans.getTracer('t').startSpan('chat gpt-4o-mini', { attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.usage.input_tokens': 30 } })
    span.end()
    await spans.forceFlush()
    const logs = logProvider()
    emitConversation(logs, trace.setSpan(context.active(), span))
    await logs.forceFlush()
    await logs.shutdown()
    await spans.shutdown()

    const [stored] = await spansOf(span.spanContext().traceId)
    expect(stored).toMatchObject({ name: 'chat gpt-4o-mini', kind: 'llm', input_tokens: 30 })
    expect(JSON.parse(stored.input)).toEqual([
      { role: 'system', content: 'You are a billing assistant.' },
      { role: 'user', content: 'Why was I charged twice?' },
    ])
    expect(JSON.parse(stored.output)).toEqual([{ role: 'assistant', content: 'One charge is a pending authorization.', finish_reason: 'stop' }])
    expect(stored.events.map((e: { name: string }) => e.name)).toEqual(['gen_ai.system.message', 'gen_ai.user.message', 'gen_ai.choice'])
    // The single-span read shows the same merged span.
    const one = await client.request('GET', `/api/v1/traces/${span.spanContext().traceId}/spans/${span.spanContext().spanId}`)
    expect(one.json.output).toBe(stored.output)
  })

  it('joins log records that arrive before their span, and keeps records whose span never comes', async () => {
    const spans = spanProvider()
    const tracer = spans.getTracer('t')
    const root = tracer.startSpan('agent turn')
    const call = tracer.startSpan('chat claude', { attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'claude-sonnet-4' } }, trace.setSpan(context.active(), root))
    const orphanSpan = tracer.startSpan('never exported', {}, trace.setSpan(context.active(), root))
    const logs = logProvider()
    emitConversation(logs, trace.setSpan(context.active(), call))
    logs.getLogger('x').emit({ eventName: 'gen_ai.user.message', body: { content: 'lost span' }, context: trace.setSpan(context.active(), orphanSpan) })
    await logs.forceFlush()
    await logs.shutdown()
    const traceId = root.spanContext().traceId
    // Before the spans arrive, the trace already shows what the records carried.
    const early = await spansOf(traceId)
    expect(early.map((s) => s.span_id).sort()).toEqual([call.spanContext().spanId, orphanSpan.spanContext().spanId].sort())
    call.end()
    root.end()
    await spans.forceFlush()
    await spans.shutdown()

    const all = await spansOf(traceId)
    expect(all).toHaveLength(3)
    const chat = all.find((s) => s.span_id === call.spanContext().spanId)!
    expect(chat).toMatchObject({ name: 'chat claude', kind: 'llm', model_requested: 'claude-sonnet-4' })
    expect(JSON.parse(chat.input)[1]).toEqual({ role: 'user', content: 'Why was I charged twice?' })
    const orphan = all.find((s) => s.span_id === orphanSpan.spanContext().spanId)!
    expect(orphan).toMatchObject({ name: 'gen_ai.user.message', kind: 'other' })
    expect(JSON.parse(orphan.input)).toEqual([{ role: 'user', content: 'lost span' }])
  })

  it('rejects a record without a trace id by name and keeps the others', async () => {
    const body = {
      resourceLogs: [
        {
          resource: { attributes: [] },
          scopeLogs: [
            {
              scope: { name: 'raw' },
              logRecords: [
                { timeUnixNano: String(BigInt(Date.now()) * 1_000_000n), eventName: 'gen_ai.user.message', body: { kvlistValue: { values: [{ key: 'content', value: { stringValue: 'no trace' } }] } } },
                {
                  timeUnixNano: String(BigInt(Date.now()) * 1_000_000n),
                  traceId: 'c'.repeat(32),
                  spanId: 'd'.repeat(16),
                  attributes: [{ key: 'event.name', value: { stringValue: 'gen_ai.user.message' } }],
                  body: { kvlistValue: { values: [{ key: 'content', value: { stringValue: 'kept' } }] } },
                },
              ],
            },
          ],
        },
      ],
    }
    const response = await client.request('POST', '/v1/logs', body)
    expect(response.status).toBe(200)
    expect(response.json.partialSuccess).toMatchObject({ rejectedLogRecords: 1 })
    expect(response.json.partialSuccess.errorMessage).toMatch(/log record 0 'gen_ai.user.message': has no traceId/)
    const [kept] = await spansOf('c'.repeat(32))
    expect(JSON.parse(kept.input)).toEqual([{ role: 'user', content: 'kept' }])
    const bad = await client.request('POST', '/v1/logs', '{"resourceLogs": 5}', { 'Content-Type': 'application/json' })
    expect(bad.status).toBe(400)
    expect(bad.json.message).toMatch(/resourceLogs must be an array/)
  })
})
