// One caller's bad input never costs another caller anything: values the engine cannot store are
// cleaned or rejected per item, a request that fails in the database fails alone, one request
// cannot freeze the server, and span identity within a request is explicit. Runs on a server of
// its own with a long retention window, so a request can span more than 100 daily partitions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createProject, startServer, type FlightlineClient, type TestServer } from '../harness'
import { deeplyNestedProtobufBody, nanos, otlpJsonBody, otlpProtobufBody, type OtlpSpanSpec } from '../ingest-bodies'
import { RpcStatus } from '@/lib/otlp/otlp-proto'

let server: TestServer
let client: FlightlineClient
let apiKey: string

beforeAll(async () => {
  server = await startServer({ env: { FLIGHTLINE_RETENTION_DAYS: '400' } })
  const project = await createProject(server.url, 'hostile')
  client = project.client
  apiKey = project.api_key
}, 120_000)

afterAll(async () => {
  await server?.stop()
})

const hex = (bytes: number) => Array.from({ length: bytes }, () => Math.floor(Math.random() * 256).toString(16).padStart(2, '0')).join('')
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString()
const DAY = 86_400_000

function post(path: string, body: string | Uint8Array, contentType: string) {
  return fetch(`${server.url}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': contentType }, body: body as BodyInit })
}

function cleanSpans(traceId: string, count: number) {
  return Array.from({ length: count }, (_, i) => ({
    trace_id: traceId,
    span_id: `${traceId}-${i}`,
    parent_span_id: i === 0 ? undefined : `${traceId}-0`,
    name: i === 0 ? 'agent' : `step ${i}`,
    kind: i === 0 ? 'agent' : 'llm',
    start_time: minutesAgo(5),
    end_time: minutesAgo(4),
    model_requested: 'gpt-4o',
    input: [{ role: 'user', content: `question ${i}` }],
  }))
}

async function storedCount(traceId: string): Promise<number> {
  const got = await client.getTrace(traceId)
  return got.status === 200 ? got.json.spans.length : 0
}

/** Polls /api/health every 25 ms until `work` settles; returns the slowest answer in ms. */
async function slowestHealthDuring<T>(work: Promise<T>): Promise<{ result: T; slowestMs: number }> {
  let done = false
  let slowestMs = 0
  const probe = (async () => {
    while (!done) {
      const started = performance.now()
      await fetch(`${server.url}/api/health`)
      slowestMs = Math.max(slowestMs, performance.now() - started)
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
  })()
  const result = await work.finally(() => (done = true))
  await probe
  return { result, slowestMs }
}

describe('finding 1: a poison row fails only its own request', () => {
  it('clean requests sent at the same moment as hostile ones are all stored', async () => {
    const cleanTraces = Array.from({ length: 24 }, () => `clean-${hex(6)}`)
    const otlpTrace = hex(16)
    const protoTrace = hex(16)
    const now = Date.now() - 60_000
    const lone: OtlpSpanSpec = {
      traceId: otlpTrace,
      spanId: hex(8),
      name: 'otlp x\ud800',
      startNanos: nanos(now),
      endNanos: nanos(now + 5),
      attributes: [
        { key: 'k\udc00ey', value: { stringValue: 'v\ud83d' } },
        { key: 'gen_ai.request.model', value: { stringValue: 'gpt\udfff' } },
      ],
    }
    const wideTrace = `wide-${hex(6)}`
    const hostile = [
      // lone UTF-16 surrogates in a name, an attribute key and an attribute value
      client.sendSpans([{ trace_id: `sur-${hex(6)}`, span_id: 's1', name: 'x\ud800', start_time: minutesAgo(3), attributes: { 'a\ud800': 'b\udc00' }, tags: ['t\ud800'] }]),
      // a start time the column cannot hold
      client.sendSpans([{ trace_id: `y2300-${hex(6)}`, span_id: 's1', name: 'future', start_time: '2300-01-01T00:00:00Z' }]),
      // 150 different days in one request
      client.sendSpans(Array.from({ length: 150 }, (_, i) => ({ trace_id: wideTrace, span_id: `d${i}`, name: 'old', start_time: new Date(Date.now() - (i + 1) * DAY).toISOString() }))),
      post('/v1/traces', otlpJsonBody([lone]), 'application/json'),
      post('/v1/traces', otlpProtobufBody([{ ...lone, traceId: protoTrace, spanId: hex(8) }]), 'application/x-protobuf'),
    ]
    // Clean requests interleaved with more poison, so that group commit puts them in the same inserts.
    const clean = cleanTraces.map((traceId, i) => {
      if (i % 4 === 1) hostile.push(client.sendSpans([{ trace_id: `sur-${hex(6)}`, span_id: 's1', name: 'y\udfff', start_time: minutesAgo(3) }]))
      if (i % 4 === 3) hostile.push(client.sendSpans([{ trace_id: `y2300-${hex(6)}`, span_id: 's1', name: 'future', start_time: '2300-06-01T00:00:00Z' }]))
      return client.sendSpans(cleanSpans(traceId, 20))
    })
    const [hostileAnswers, cleanAnswers] = await Promise.all([Promise.all(hostile), Promise.all(clean)])

    const failedClean = cleanAnswers.filter((answer) => answer.status !== 200)
    expect(failedClean.length, `${failedClean.length} of ${cleanAnswers.length} clean requests failed: ${JSON.stringify(failedClean[0]?.json)}`).toBe(0)
    for (const answer of cleanAnswers) expect(answer).toMatchObject({ status: 200, json: { accepted: 20 } })
    for (const traceId of cleanTraces) expect(await storedCount(traceId)).toBe(20)

    const [surrogates, y2300, wide, otlpJson, otlpProto] = hostileAnswers as [
      Awaited<ReturnType<FlightlineClient['sendSpans']>>,
      Awaited<ReturnType<FlightlineClient['sendSpans']>>,
      Awaited<ReturnType<FlightlineClient['sendSpans']>>,
      Response,
      Response,
    ]
    for (const extra of hostileAnswers.slice(5) as Awaited<ReturnType<FlightlineClient['sendSpans']>>[]) expect([200, 207]).toContain(extra.status)
    // Lone surrogates become U+FFFD.
    expect(surrogates).toMatchObject({ status: 200, json: { accepted: 1 } })
    // The year 2300 is rejected with a reason, not a 500.
    expect(y2300.status).toBe(207)
    expect(y2300.json.rejected[0]).toMatchObject({ index: 0, error: expect.stringMatching(/start_time.*(future|2300)/) })
    // 150 daily partitions in one insert are fine.
    expect(wide).toMatchObject({ status: 200, json: { accepted: 150 } })
    expect(await storedCount(wideTrace)).toBe(150)
    expect(otlpJson.status).toBe(200)
    expect(await otlpJson.json()).toEqual({})
    // A protobuf string must be UTF-8; a lone surrogate cannot be, so the request is refused as
    // malformed (400), never a 500.
    expect(otlpProto.status).toBeLessThan(500)

    const stored = await client.getTrace(otlpTrace)
    expect(stored.status).toBe(200)
    const span = stored.json.spans[0]
    expect(span.name).toBe('otlp x\ufffd')
    expect(span.attributes['k\ufffdey']).toBe('v\ufffd')
    expect(span.model_requested).toBe('gpt\ufffd')
  })

  it('stores lone surrogates as U+FFFD everywhere, and keeps NUL characters as sent', async () => {
    const traceId = `text-${hex(6)}`
    const sent = {
      trace_id: traceId,
      span_id: 'root',
      name: 'a\u0000b\ud800',
      start_time: minutesAgo(2),
      tenant_id: 'acme\ud800',
      input: { messages: [{ content: 'hi\ud800 there\u0000' }] },
      output: 'out\udc00put\u0000',
      attributes: { 'k\u0000ey': 'v\u0000alue', 'nested\ud800': { deep: ['x\ud800'] } },
      events: [{ name: 'ev\ud800', attributes: { 'e\ud800': 1 } }],
    }
    expect(await client.sendSpans([sent])).toMatchObject({ status: 200, json: { accepted: 1 } })
    const span = (await client.getTrace(traceId)).json.spans[0]
    expect(span.name).toBe('a\u0000b\ufffd')
    expect(span.tenant_id).toBe('acme\ufffd')
    expect(JSON.parse(span.input)).toEqual({ messages: [{ content: 'hi\ufffd there\u0000' }] })
    expect(span.output).toBe('out\ufffdput\u0000')
    expect(span.attributes['k\u0000ey']).toBe('v\u0000alue')
    expect(JSON.parse(span.attributes['nested\ufffd'])).toEqual({ deep: ['x\ufffd'] })
    expect(span.events[0].name).toBe('ev\ufffd')
  })

  it('rejects times outside what the columns hold, per item, naming the field', async () => {
    const traceId = `times-${hex(6)}`
    const base = { trace_id: traceId, name: 'span' }
    const answer = await client.sendSpans([
      { ...base, span_id: 'ok', start_time: minutesAgo(1) },
      { ...base, span_id: 'future', start_time: new Date(Date.now() + 2 * DAY).toISOString() },
      { ...base, span_id: 'y1999', start_time: '1999-12-31T23:59:59Z' },
      { ...base, span_id: 'end2300', start_time: minutesAgo(1), end_time: '2300-01-01T00:00:00Z' },
      { ...base, span_id: 'event2300', start_time: minutesAgo(1), events: [{ name: 'e', time: '2300-01-01T00:00:00Z' }] },
      { ...base, span_id: 'nanos', start_time: '99999999999999999999' },
    ])
    expect(answer.status).toBe(207)
    expect(answer.json.accepted).toBe(1)
    const errors = Object.fromEntries(answer.json.rejected.map((r: { index: number; error: string }) => [r.index, r.error]))
    expect(errors[1]).toMatch(/^start_time: .*future/)
    expect(errors[2]).toMatch(/^start_time: .*2000/)
    expect(errors[3]).toMatch(/^end_time: .*future/)
    expect(errors[4]).toMatch(/^events\.0\.time: .*future/)
    expect(errors[5]).toMatch(/^start_time: /)

    const otlp = await post('/v1/traces', otlpJsonBody([{ traceId: hex(16), spanId: hex(8), name: 'far', startNanos: nanos(Date.UTC(2300, 0, 1)), endNanos: nanos(Date.UTC(2300, 0, 1)) }]), 'application/json')
    expect(otlp.status).toBe(200)
    expect((await otlp.json()).partialSuccess).toMatchObject({ rejectedSpans: 1, errorMessage: expect.stringMatching(/start_time.*future/) })

    const scores = await client.sendScores([{ trace_id: traceId, name: 'q', value: 1, timestamp: '2300-01-01T00:00:00Z' }])
    expect(scores.status).toBe(207)
    expect(scores.json.rejected[0].error).toMatch(/^timestamp: .*future/)
  })
})

describe('finding 2: one request cannot freeze the server', () => {
  it('refuses a request with more items than the documented maximum, quickly, with health answering', async () => {
    const objects = `{"spans":[${Array(600_000).fill('{}').join(',')}]}`
    const nulls = `{"spans":[${Array(60_000).fill('null').join(',')}]}`
    const { result, slowestMs } = await slowestHealthDuring(Promise.all([post('/api/v1/spans', objects, 'application/json'), post('/api/v1/spans', nulls, 'application/json')]))
    const [manyObjects, manyNulls] = result
    expect(manyObjects.status).toBe(413)
    expect((await manyObjects.json()).error).toMatch(/1,000,000 JSON values/)
    expect(manyNulls.status).toBe(413)
    expect((await manyNulls.json()).error).toMatch(/at most 50,000 spans/)
    console.log(`health: slowest answer ${slowestMs.toFixed(0)} ms while oversized requests were refused`)
    // A loose bound (machines running these tests are shared): before the fix the 600,000-item
    // request alone held the event loop for about 30 s. The strict target is in `npm run bench -- hostile`.
    expect(slowestMs).toBeLessThan(5_000)
  })

  it('summarises long rejection lists: the first errors and counts by reason', async () => {
    const items = [...Array(30_000).fill(null), ...Array(20_000).fill({ trace_id: 't', span_id: 's' })]
    const answer = await post('/api/v1/spans', JSON.stringify({ spans: items }), 'application/json')
    expect(answer.status).toBe(207)
    const text = await answer.text()
    expect(text.length).toBeLessThan(50_000)
    const json = JSON.parse(text)
    expect(json.accepted).toBe(0)
    expect(json.rejected).toHaveLength(100)
    expect(json.rejected[0]).toEqual({ index: 0, error: expect.any(String) })
    expect(json.rejected_total).toBe(50_000)
    const counts = Object.values(json.rejected_by_reason as Record<string, number>)
    expect(counts.reduce((a, b) => a + b, 0)).toBe(50_000)
    expect(counts.sort((a, b) => b - a)[0]).toBe(30_000)
  })

  it('applies the same maximum to OTLP requests, in their encoding', async () => {
    const now = nanos(Date.now() - 60_000)
    const spans = Array.from({ length: 50_001 }, () => ({ traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), name: 's', startNanos: now, endNanos: now }))
    const json = await post('/v1/traces', otlpJsonBody(spans), 'application/json')
    expect(json.status).toBe(413)
    expect((await json.json()).message).toMatch(/50,000/)
    const proto = await post('/v1/traces', otlpProtobufBody(spans), 'application/x-protobuf')
    expect(proto.status).toBe(413)
    expect(RpcStatus.decode(new Uint8Array(await proto.arrayBuffer())).toJSON().message).toMatch(/50,000/)
  })
})

describe('finding 3: span identity within one request', () => {
  it('rejects a repeated span id with different content, naming the first; an identical repeat is acknowledged once', async () => {
    const traceId = `dup-${hex(6)}`
    const first = { trace_id: traceId, span_id: 'a', name: 'first', start_time: minutesAgo(2) }
    const answer = await client.sendSpans([first, { ...first, name: 'second' }, { ...first }, { trace_id: traceId, span_id: 'b', name: 'other', start_time: minutesAgo(2) }])
    expect(answer.status).toBe(207)
    expect(answer.json.accepted).toBe(3)
    expect(answer.json.rejected).toEqual([{ index: 1, error: expect.stringMatching(/span_id 'a'.*index 0/) }])
    const spans = (await client.getTrace(traceId)).json.spans
    expect(spans.map((s: { name: string }) => s.name).sort()).toEqual(['first', 'other'])

    const otlpTrace = hex(16)
    const spanId = hex(8)
    const now = nanos(Date.now() - 60_000)
    const otlp = await post(
      '/v1/traces',
      otlpJsonBody([
        { traceId: otlpTrace, spanId, name: 'one', startNanos: now, endNanos: now },
        { traceId: otlpTrace, spanId, name: 'two', startNanos: now, endNanos: now },
      ]),
      'application/json',
    )
    expect((await otlp.json()).partialSuccess).toMatchObject({ rejectedSpans: 1, errorMessage: expect.stringMatching(/span 'two'.*index 0/) })
    expect((await client.getTrace(otlpTrace)).json.spans.map((s: { name: string }) => s.name)).toEqual(['one'])
  })
})

describe('finding 6: a payload nested 100,000 levels deep', () => {
  it('is rejected per item naming the field, on the native API and over OTLP', async () => {
    const traceId = `deep-${hex(6)}`
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`
    const body = `{"spans":[{"trace_id":"${traceId}","span_id":"deep","name":"deep","start_time":"${minutesAgo(1)}","input":${deep}},{"trace_id":"${traceId}","span_id":"fine","name":"fine","start_time":"${minutesAgo(1)}"}]}`
    const answer = await post('/api/v1/spans', body, 'application/json')
    expect(answer.status).toBe(207)
    const json = await answer.json()
    expect(json).toMatchObject({ accepted: 1, rejected: [{ index: 0, error: expect.stringMatching(/^input: .*nested/) }] })
    expect(await storedCount(traceId)).toBe(1)

    // OTLP: the same depth as a JSON string attribute, and as nested kvlists in protobuf.
    const otlpTrace = hex(16)
    const now = nanos(Date.now() - 60_000)
    const asString = await post(
      '/v1/traces',
      otlpJsonBody([{ traceId: otlpTrace, spanId: hex(8), name: 'deep', startNanos: now, endNanos: now, attributes: [{ key: 'input.value', value: { stringValue: deep } }] }]),
      'application/json',
    )
    expect(asString.status).toBeLessThan(500)
    const proto = await post('/v1/traces', deeplyNestedProtobufBody(hex(16), hex(8), 100_000, now), 'application/x-protobuf')
    expect(proto.status).toBe(400)
    expect(RpcStatus.decode(new Uint8Array(await proto.arrayBuffer())).toJSON().message).toMatch(/deep|depth/)
  })
})
