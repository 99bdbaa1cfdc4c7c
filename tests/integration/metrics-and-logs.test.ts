// Operating Flightline: /metrics (Prometheus text format) scraped while five ways in ingest at
// once, and the one JSON log line per request. A server of its own, so no other test's spans
// move its counters; /metrics served on a private port (FLIGHTLINE_METRICS_PORT).
import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { Client, Metadata, credentials, type ServiceError } from '@grpc/grpc-js'
import { ADMIN_TOKEN, createProject, freePort, startServer, type TestServer } from '../harness'
import { nanos, otlpProtobufBody } from '../ingest-bodies'

const METRICS_TOKEN = 'metrics-token-0123456789'

let server: TestServer
let metricsPort: number
let project: Awaited<ReturnType<typeof createProject>>

beforeAll(async () => {
  metricsPort = await freePort()
  server = await startServer({ grpc: true, env: { FLIGHTLINE_METRICS_TOKEN: METRICS_TOKEN, FLIGHTLINE_METRICS_PORT: String(metricsPort) } })
  project = await createProject(server.url, 'operations')
})

afterAll(async () => {
  await server?.stop()
  if (server) fs.rmSync(server.dataDir, { recursive: true, force: true })
})

type Samples = Map<string, number>

/** Parses the text format into `name{labels}` -> value (comments skipped). */
function parse(text: string): Samples {
  const samples: Samples = new Map()
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue
    const cut = line.lastIndexOf(' ')
    samples.set(line.slice(0, cut), Number(line.slice(cut + 1)))
  }
  return samples
}

async function scrape(): Promise<{ text: string; samples: Samples }> {
  const response = await fetch(`http://127.0.0.1:${metricsPort}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } })
  expect(response.status).toBe(200)
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
  const text = await response.text()
  return { text, samples: parse(text) }
}

const value = (samples: Samples, key: string) => samples.get(key) ?? 0

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0')
const isoNow = (offsetMs = 0) => new Date(Date.now() + offsetMs).toISOString()

function nativeSpans(traceNo: number, count: number) {
  const traceId = `a${hex(traceNo, 31)}`
  return Array.from({ length: count }, (_, i) => ({ trace_id: traceId, span_id: hex(i + 1, 16), name: 'step', start_time: isoNow(), end_time: isoNow(5) }))
}

function otlpBody(traceNo: number, count: number): Uint8Array {
  const start = nanos(Date.now())
  return otlpProtobufBody(
    Array.from({ length: count }, (_, i) => ({ traceId: `b${hex(traceNo, 31)}`, spanId: hex(i + 1, 16), name: 'otlp step', startNanos: start, endNanos: start + 1_000_000n })),
  )
}

function grpcExport(body: Uint8Array): Promise<ServiceError | null> {
  const metadata = new Metadata()
  metadata.set('authorization', `Bearer ${project.api_key}`)
  const client = new Client(`127.0.0.1:${server.grpcPort}`, credentials.createInsecure())
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
      (v: Buffer) => v,
      (v: Buffer) => v,
      Buffer.from(body),
      metadata,
      (error) => {
        client.close()
        resolve(error)
      },
    )
  })
}

function logsBody(records: number, withoutTrace: number) {
  const time = String(BigInt(Date.now()) * 1_000_000n)
  const logRecords = [
    ...Array.from({ length: records }, (_, i) => ({
      timeUnixNano: time,
      traceId: `c${hex(i, 31)}`,
      spanId: hex(i + 1, 16),
      eventName: 'gen_ai.user.message',
      body: { kvlistValue: { values: [{ key: 'content', value: { stringValue: 'hello' } }] } },
    })),
    ...Array.from({ length: withoutTrace }, () => ({ timeUnixNano: time, eventName: 'gen_ai.user.message' })),
  ]
  return { resourceLogs: [{ resource: { attributes: [] }, scopeLogs: [{ scope: { name: 'ops' }, logRecords }] }] }
}

async function post(path: string, body: BodyInit, contentType: string, auth = `Bearer ${project.api_key}`) {
  const response = await fetch(`${server.url}${path}`, { method: 'POST', headers: { Authorization: auth, 'Content-Type': contentType }, body })
  return { status: response.status, json: await response.json().catch(() => null) }
}

describe('/metrics', () => {
  it('moves the ingest counters by exactly the spans each way in accepted, scraped while ingest runs', async () => {
    const before = await scrape()

    const native = Array.from({ length: 6 }, (_, i) => post('/api/v1/spans', JSON.stringify({ spans: nativeSpans(i, 25) }), 'application/json'))
    const otlpHttp = Array.from({ length: 4 }, (_, i) => post('/v1/traces', otlpBody(i, 12) as BodyInit, 'application/x-protobuf'))
    const otlpGrpc = Array.from({ length: 3 }, (_, i) => grpcExport(otlpBody(100 + i, 9)))
    const logs = post('/v1/logs', JSON.stringify(logsBody(5, 0)), 'application/json')
    const now = isoNow()
    const langfuse = post(
      '/api/public/ingestion',
      JSON.stringify({
        batch: [
          { id: 'ops-e1', type: 'trace-create', timestamp: now, body: { id: 'ops-lf-trace', name: 'lf' } },
          { id: 'ops-e2', type: 'span-create', timestamp: now, body: { id: 'ops-obs-1', traceId: 'ops-lf-trace', name: 'retrieve', startTime: now } },
          { id: 'ops-e3', type: 'generation-create', timestamp: now, body: { id: 'ops-obs-2', traceId: 'ops-lf-trace', name: 'chat', model: 'gpt-4o', startTime: now } },
        ],
      }),
      'application/json',
      `Basic ${Buffer.from(`pk-lf-x:${project.api_key}`).toString('base64')}`,
    )

    // Scrapes while the requests are in flight: the counters only ever grow.
    let settled = false
    const all = Promise.all([...native, ...otlpHttp, ...otlpGrpc, logs, langfuse]).finally(() => (settled = true))
    const during: Samples[] = []
    while (!settled) {
      during.push((await scrape()).samples)
      await new Promise((r) => setTimeout(r, 30))
    }
    const [nativeAnswers, httpAnswers, grpcErrors, logsAnswer, langfuseAnswer] = await Promise.all([Promise.all(native), Promise.all(otlpHttp), Promise.all(otlpGrpc), logs, langfuse])
    expect(nativeAnswers.map((a) => a.status)).toEqual(Array(6).fill(200))
    expect(nativeAnswers.map((a) => a.json.accepted)).toEqual(Array(6).fill(25))
    expect(httpAnswers.map((a) => a.status)).toEqual(Array(4).fill(200))
    expect(grpcErrors).toEqual([null, null, null])
    expect(logsAnswer.status).toBe(200)
    expect(langfuseAnswer.status).toBe(207)
    expect(langfuseAnswer.json.successes).toHaveLength(3)
    await all

    const after = (await scrape()).samples
    const moved = (path: string) => value(after, `flightline_ingest_spans_total{path="${path}"}`) - value(before.samples, `flightline_ingest_spans_total{path="${path}"}`)
    expect(moved('native')).toBe(6 * 25)
    expect(moved('otlp_http')).toBe(4 * 12)
    expect(moved('otlp_grpc')).toBe(3 * 9)
    expect(moved('logs')).toBe(5)
    expect(moved('langfuse')).toBe(3)
    expect(during.length).toBeGreaterThan(0)
    let previous = before.samples
    for (const sample of [...during, after]) {
      for (const path of ['native', 'otlp_http', 'otlp_grpc', 'logs', 'langfuse']) {
        const key = `flightline_ingest_spans_total{path="${path}"}`
        expect(value(sample, key)).toBeGreaterThanOrEqual(value(previous, key))
      }
      previous = sample
    }
    // Requests, inserts and queries were timed; the gauges answer.
    expect(value(after, 'flightline_http_requests_total{route="/api/v1/spans",status="200"}') - value(before.samples, 'flightline_http_requests_total{route="/api/v1/spans",status="200"}')).toBe(6)
    expect(value(after, 'flightline_http_request_duration_seconds_count{route="/v1/traces"}')).toBeGreaterThanOrEqual(4)
    expect(value(after, 'flightline_insert_duration_seconds_count{table="spans"}')).toBeGreaterThan(0)
    expect(value(after, 'flightline_insert_duration_seconds_count{table="span_parts"}')).toBeGreaterThan(0)
    expect(after.has('flightline_pending_rows{table="spans"}')).toBe(true)
    expect(after.has('flightline_rollup_lag_seconds')).toBe(true)
    expect(after.has('process_resident_memory_bytes')).toBe(true)
    expect(after.has('nodejs_eventloop_lag_seconds')).toBe(true)
    expect([...after.keys()].some((k) => k.startsWith('flightline_query_duration_seconds_count{tag="ingest.'))).toBe(true)
  })

  it('counts rejected items by reason, per way in', async () => {
    const before = (await scrape()).samples
    const traceId = 'd'.repeat(32)
    const spans = [
      { trace_id: traceId, span_id: 'ok-1', name: 'ok', start_time: isoNow() },
      { trace_id: traceId, span_id: 'bad-time', name: 'bad', start_time: 'yesterday' },
      { trace_id: traceId, name: 'no span id', start_time: isoNow() },
      { trace_id: traceId, span_id: 'old', name: 'old', start_time: isoNow(-60 * 86_400_000) },
      { trace_id: traceId, span_id: 'twice', name: 'first', start_time: isoNow() },
      { trace_id: traceId, span_id: 'twice', name: 'second, different', start_time: isoNow() },
    ]
    const native = await post('/api/v1/spans', JSON.stringify({ spans }), 'application/json')
    expect(native.status).toBe(207)
    expect(native.json.accepted).toBe(2)
    const logs = await post('/v1/logs', JSON.stringify(logsBody(1, 2)), 'application/json')
    expect(logs.json.partialSuccess.rejectedLogRecords).toBe(2)

    const after = (await scrape()).samples
    const moved = (labels: string) => value(after, `flightline_ingest_rejected_total{${labels}}`) - value(before, `flightline_ingest_rejected_total{${labels}}`)
    expect(moved('path="native",reason="invalid"')).toBe(2)
    expect(moved('path="native",reason="too_old"')).toBe(1)
    expect(moved('path="native",reason="conflict"')).toBe(1)
    expect(moved('path="logs",reason="invalid"')).toBe(2)
    expect(value(after, 'flightline_ingest_spans_total{path="native"}') - value(before, 'flightline_ingest_spans_total{path="native"}')).toBe(2)
  })

  it('labels routes by template and never with a raw id, key or project', async () => {
    const traceId = 'e'.repeat(32)
    await post('/api/v1/spans', JSON.stringify({ spans: [{ trace_id: traceId, span_id: 'span-only-7c1', name: 'n', start_time: isoNow() }] }), 'application/json')
    const read = await fetch(`${server.url}/api/v1/traces/${traceId}/spans/span-only-7c1`, { headers: { Authorization: `Bearer ${project.api_key}` } })
    expect(read.status).toBe(200)
    // Bodies read to the end: a request is counted once its answer is over.
    await (await fetch(`${server.url}/api/v1/traces/${'f'.repeat(32)}`, { headers: { Authorization: `Bearer ${project.api_key}` } })).text()
    await (await fetch(`${server.url}/projects/${project.id}/traces`, { redirect: 'manual' })).text()
    await (await fetch(`${server.url}/no/such/page/${traceId}`)).text()

    const { text, samples } = await scrape()
    const labelValues = [...text.matchAll(/="([^"]*)"/g)].map((m) => m[1])
    expect(labelValues.length).toBeGreaterThan(50)
    for (const forbidden of [traceId, 'f'.repeat(32), project.id, project.api_key, 'span-only-7c1']) {
      expect(labelValues.filter((v) => v.includes(forbidden))).toEqual([])
    }
    const routes = new Set([...samples.keys()].map((k) => /route="([^"]*)"/.exec(k)?.[1]).filter(Boolean))
    expect(routes).toContain('/api/v1/traces/[traceId]/spans/[spanId]')
    expect(routes).toContain('/api/v1/traces/[traceId]')
    expect(routes).toContain('/projects/[projectId]/traces')
    expect(routes).toContain('unmatched')
    for (const route of routes) expect(route).toMatch(/^(\/[\w\-.[\]]*)+$|^unmatched$|^\/$/)
  })

  it('asks for a token, and is served only on the metrics port when one is set', async () => {
    const url = `http://127.0.0.1:${metricsPort}/metrics`
    expect((await fetch(url)).status).toBe(401)
    expect((await fetch(url, { headers: { Authorization: 'Bearer not-the-token-at-all' } })).status).toBe(403)
    expect((await fetch(url, { headers: { Authorization: `Bearer ${project.api_key}` } })).status).toBe(403)
    expect((await fetch(url, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } })).status).toBe(200)
    const publicPort = await fetch(`${server.url}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } })
    expect(publicPort.status).toBe(404)
    expect(await publicPort.text()).toMatch(new RegExp(`port ${metricsPort}`))
    expect((await fetch(`http://127.0.0.1:${metricsPort}/api/health`)).status).toBe(404)
  })

  it('is on the public port with the admin token when no metrics port is set', async () => {
    const baseUrl = inject('baseUrl')
    expect((await fetch(`${baseUrl}/metrics`)).status).toBe(401)
    expect((await fetch(`${baseUrl}/metrics`, { headers: { Authorization: 'Bearer not-the-token-at-all' } })).status).toBe(403)
    const scraped = await fetch(`${baseUrl}/metrics`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } })
    expect(scraped.status).toBe(200)
    expect(await scraped.text()).toMatch(/^# HELP flightline_http_requests_total /m)
  })
})

describe('request logs', () => {
  it('writes one JSON line per request with its id, route, status, duration, project and bytes', async () => {
    const body = JSON.stringify({ spans: [{ trace_id: '9'.repeat(32), span_id: 'logged', name: 'n', start_time: isoNow(), input: 'secret payload text' }] })
    const response = await fetch(`${server.url}/api/v1/spans`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${project.api_key}`, 'Content-Type': 'application/json', 'Accept-Encoding': 'identity' },
      body,
    })
    const answer = await response.text()
    const requestId = response.headers.get('x-request-id')
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/)

    const given = await fetch(`${server.url}/api/v1/traces/${'9'.repeat(32)}`, { headers: { Authorization: `Bearer ${project.api_key}`, 'X-Request-Id': 'caller-chosen-id.42' } })
    expect(given.headers.get('x-request-id')).toBe('caller-chosen-id.42')
    const unfit = await fetch(`${server.url}/api/health`, { headers: { 'X-Request-Id': 'no spaces or "quotes" allowed' } })
    expect(unfit.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)

    let lines: Record<string, unknown>[] = []
    const deadline = Date.now() + 10_000
    while (Date.now() < deadline) {
      lines = server
        .output()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>)
      if (lines.some((l) => l.request_id === 'caller-chosen-id.42')) break
      await new Promise((r) => setTimeout(r, 100))
    }
    const line = lines.find((l) => l.request_id === requestId)
    expect(line).toMatchObject({
      level: 'info',
      msg: 'request',
      method: 'POST',
      route: '/api/v1/spans',
      status: 200,
      project_id: project.id,
      bytes_in: Buffer.byteLength(body),
      bytes_out: Buffer.byteLength(answer),
    })
    expect(typeof line!.duration_ms).toBe('number')
    expect(typeof line!.time).toBe('string')
    expect(lines.find((l) => l.request_id === 'caller-chosen-id.42')).toMatchObject({ route: '/api/v1/traces/[traceId]', project_id: project.id, status: 200 })
    // Every request line names a template, never a raw path; no key or payload reaches the log.
    const requests = lines.filter((l) => l.msg === 'request')
    expect(requests.length).toBeGreaterThan(20)
    for (const l of requests) expect(Object.keys(l)).not.toContain('path')
    expect(server.output()).not.toContain(project.api_key)
    expect(server.output()).not.toContain('secret payload text')
  })

  it('writes only failures at FLIGHTLINE_LOG_LEVEL=warn; a metrics port without a metrics token asks for none', async () => {
    const port = await freePort()
    const quiet = await startServer({ env: { FLIGHTLINE_LOG_LEVEL: 'warn', FLIGHTLINE_METRICS_PORT: String(port) } })
    try {
      const health = await fetch(`${quiet.url}/api/health`)
      expect(health.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
      expect(health.status).toBe(200)
      await health.text()
      const open = await fetch(`http://127.0.0.1:${port}/metrics`)
      expect(open.status).toBe(200)
      expect(await open.text()).toMatch(/^flightline_http_requests_total\{route="\/api\/health",status="200"\} \d+$/m)
      expect((await fetch(`${quiet.url}/metrics`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } })).status).toBe(404)
      const jsonLines = quiet
        .output()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { msg: string; level: string })
      expect(jsonLines.filter((line) => line.msg === 'request')).toEqual([])
      expect(jsonLines.every((line) => line.level === 'warn' || line.level === 'error' || line.level === 'fatal')).toBe(true)
    } finally {
      await quiet.stop()
      fs.rmSync(quiet.dataDir, { recursive: true, force: true })
    }
  }, 180_000)

  it('refuses to start with a log level it does not know, naming the variable', async () => {
    const bad = await startServer({ waitReady: false, env: { FLIGHTLINE_LOG_LEVEL: 'loud' } })
    expect(await bad.exited).toBe(1)
    expect(bad.output()).toMatch(/FLIGHTLINE_LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent \(got "loud"\)/)
    fs.rmSync(bad.dataDir, { recursive: true, force: true })
  })
})
