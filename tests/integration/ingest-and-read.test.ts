// The native ingest API end to end: what goes in comes back, field for field; bad items are
// rejected with reasons while the good ones are stored; re-sends never double count.
import { gzipSync } from 'node:zlib'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { ADMIN_TOKEN, createProject, FlightlineClient } from '../harness'

const baseUrl = inject('baseUrl')
let client: FlightlineClient
let projectId: string

const iso = (offsetMs = 0) => new Date(Date.now() - 60_000 + offsetMs).toISOString()
const uid = () => Math.random().toString(16).slice(2, 14)

beforeAll(async () => {
  const project = await createProject(baseUrl)
  client = project.client
  projectId = project.id
})

function fullSpan(traceId: string) {
  return {
    trace_id: traceId,
    span_id: `${traceId}-llm`,
    parent_span_id: `${traceId}-root`,
    name: 'chat gpt-4o',
    kind: 'llm',
    start_time: '2026-11-27T00:00:00.000000001Z'.replace('2026-11-27T00:00:00', iso().slice(0, 19)),
    end_time: iso(1500),
    status: 'error',
    status_message: 'rate limited',
    error_type: '429',
    tenant_id: 'acme',
    user_id: 'user-1',
    session_id: 'session-1',
    agent_name: 'support-agent',
    model_requested: 'gpt-4o',
    model_resolved: 'gpt-4o-2024-08-06',
    provider: 'openai',
    input_tokens: 1200,
    output_tokens: 300,
    reasoning_tokens: 12,
    cache_read_tokens: 1000,
    cache_write_tokens: 50,
    local_input_tokens: 1180,
    cost_usd: 0.0123,
    params: { temperature: 0.2, top_p: 0.9, max_tokens: 512 },
    prompt_name: 'support',
    prompt_version: '7',
    system_prompt_hash: 'abc123',
    tool_name: '',
    tool_call_id: '',
    retry_attempt: 2,
    retry_of: `${traceId}-first`,
    route_segment: 'premium',
    fallback: true,
    refusal: false,
    schema_valid: false,
    finish_reason: 'length',
    ttft_ms: 210.5,
    eval_run_id: 'run-9',
    tags: ['beta', 'eu'],
    input: [{ role: 'user', content: 'Where is my order? <script>alert(1)</script>' }],
    output: 'It ships tomorrow.',
    events: [{ name: 'retry', time: iso(100), attributes: { attempt: 2 } }],
    attributes: { 'app.region': 'eu-west', 'app.flag': true },
    resource: { 'service.name': 'support-api', 'service.version': '1.4.2', 'deployment.environment': 'prod' },
  }
}

describe('POST /api/v1/spans then GET /api/v1/traces/{id}', () => {
  it('reads back every field that was sent', async () => {
    const traceId = `t-${uid()}`
    const sent = fullSpan(traceId)
    const root = { trace_id: traceId, span_id: `${traceId}-root`, name: 'agent', kind: 'agent', start_time: iso(), end_time: iso(2000) }
    const post = await client.sendSpans([root, sent])
    expect(post.status).toBe(200)
    expect(post.json).toEqual({ accepted: 2 })

    const got = await client.getTrace(traceId)
    expect(got.status).toBe(200)
    const span = got.json.spans.find((s: { span_id: string }) => s.span_id === sent.span_id)
    const { input, events, resource, attributes, start_time, end_time, ...scalars } = sent
    expect(span).toMatchObject(scalars)
    expect(span.start_time).toBe(start_time)
    expect(span.end_time).toBe(end_time)
    expect(JSON.parse(span.input)).toEqual(input)
    expect(span.events).toEqual(events)
    expect(span.attributes).toEqual({ 'app.region': 'eu-west', 'app.flag': 'true' })
    expect(span.resource).toMatchObject(resource)
    expect(span.service_name).toBe('support-api')
    expect(span.service_version).toBe('1.4.2')
    expect(span.environment).toBe('prod')
    expect(span.duration_ms).toBeGreaterThan(1400)
    expect(span.input_truncated).toBe(false)
  })

  it('accepts a span read back as a span to send again (same names both ways)', async () => {
    const traceId = `t-${uid()}`
    await client.sendSpans([fullSpan(traceId)])
    const first = (await client.getTrace(traceId)).json.spans[0]
    const other = await createProject(baseUrl)
    const resent = await other.client.sendSpans([first])
    expect(resent.status).toBe(200)
    const copy = (await other.client.getTrace(traceId)).json.spans[0]
    const { ingested_at: _a, ...a } = first
    const { ingested_at: _b, ...b } = copy
    expect(b).toEqual(a)
  })

  it('accepts unix nanoseconds as times and keeps nanosecond precision', async () => {
    const traceId = `t-${uid()}`
    const start = BigInt(Date.now() - 5000) * 1_000_000n + 123_456n
    const post = await client.sendSpans([{ trace_id: traceId, span_id: 's', name: 'n', start_time: start.toString(), end_time: (start + 2_500_000n).toString() }])
    expect(post.status).toBe(200)
    const span = (await client.getTrace(traceId)).json.spans[0]
    expect(span.duration_ms).toBeCloseTo(2.5)
    expect(span.start_time).toMatch(/\.\d{3}123456Z$/)
  })

  it('answers 207 naming each bad span, and stores the good ones', async () => {
    const traceId = `t-${uid()}`
    const post = await client.sendSpans([
      { trace_id: traceId, span_id: 'good-1', name: 'ok', start_time: iso() },
      { trace_id: traceId, span_id: 'bad', name: 'bad', start_time: 'yesterday' },
      { trace_id: traceId, span_id: 'good-2', name: 'ok', start_time: iso(), kind: 'tool' },
      { trace_id: traceId, span_id: 'bad-kind', name: 'x', start_time: iso(), kind: 'wizard', tenantId: 'x' },
      'not an object',
      { trace_id: traceId, span_id: 'old', name: 'old', start_time: '2020-01-01T00:00:00Z' },
    ])
    expect(post.status).toBe(207)
    expect(post.json.accepted).toBe(2)
    const errors = Object.fromEntries(post.json.rejected.map((r: { index: number; error: string }) => [r.index, r.error]))
    expect(Object.keys(errors).map(Number)).toEqual([1, 3, 4, 5])
    expect(errors[1]).toMatch(/start_time/)
    expect(errors[3]).toMatch(/kind/)
    expect(errors[3]).toMatch(/unknown field 'tenantId'/)
    expect(errors[5]).toMatch(/retention/)
    const stored = (await client.getTrace(traceId)).json.spans.map((s: { span_id: string }) => s.span_id).sort()
    expect(stored).toEqual(['good-1', 'good-2'])
  })

  it('never double counts a re-sent span', async () => {
    const traceId = `t-${uid()}`
    const spans = [
      { trace_id: traceId, span_id: 'root', name: 'agent', start_time: iso(), end_time: iso(10) },
      { trace_id: traceId, span_id: 'call', parent_span_id: 'root', name: 'chat', model_requested: 'm', input_tokens: 100, cost_usd: 0.5, start_time: iso() },
    ]
    expect((await client.sendSpans(spans)).status).toBe(200)
    expect((await client.sendSpans(spans)).status).toBe(200)
    // Same span twice in one request, and concurrently.
    await Promise.all([client.sendSpans([spans[1], spans[1]]), client.sendSpans(spans), client.sendSpans(spans)])
    const trace = await client.getTrace(traceId)
    expect(trace.json.spans).toHaveLength(2)
    const list = await client.listTraces({ from: new Date(Date.now() - 3600_000).toISOString() })
    const row = list.json.traces.find((t: { trace_id: string }) => t.trace_id === traceId)
    expect(row.span_count).toBe(2)
    expect(row.input_tokens).toBe(100)
    expect(row.cost_usd).toBeCloseTo(0.5)
  })

  it('keeps payloads whole up to 1 MiB and marks larger ones as cut with their size', async () => {
    const traceId = `t-${uid()}`
    const whole = 'a'.repeat(1024 * 1024 - 10)
    const big = 'é'.repeat(700_000) // 1,400,000 bytes of UTF-8
    const post = await client.sendSpans([
      { trace_id: traceId, span_id: 'whole', name: 'x', start_time: iso(), input: whole },
      { trace_id: traceId, span_id: 'big', name: 'x', start_time: iso(), output: big },
    ])
    expect(post.status).toBe(200)
    const spans = (await client.getTrace(traceId)).json.spans
    const wholeSpan = spans.find((s: { span_id: string }) => s.span_id === 'whole')
    expect(wholeSpan.input).toHaveLength(whole.length)
    expect(wholeSpan.input_truncated).toBe(false)
    const bigSpan = spans.find((s: { span_id: string }) => s.span_id === 'big')
    expect(bigSpan.output_truncated).toBe(true)
    expect(bigSpan.output_original_bytes).toBe(1_400_000)
    expect(Buffer.byteLength(bigSpan.output)).toBeLessThanOrEqual(1024 * 1024)
    expect(bigSpan.output.endsWith('é')).toBe(true)
  })

  it('stores a system prompt once, by hash', async () => {
    const traceId = `t-${uid()}`
    const post = await client.sendSpans([
      { trace_id: traceId, span_id: 'a', name: 'chat', start_time: iso(), system_prompt: 'You are a careful support agent.' },
      { trace_id: traceId, span_id: 'b', name: 'chat', start_time: iso(), system_prompt: 'You are a careful support agent.' },
    ])
    expect(post.status).toBe(200)
    const spans = (await client.getTrace(traceId)).json.spans
    expect(spans[0].system_prompt_hash).toMatch(/^[0-9a-f]{64}$/)
    expect(spans[1].system_prompt_hash).toBe(spans[0].system_prompt_hash)
  })

  it('accepts gzip bodies', async () => {
    const traceId = `t-${uid()}`
    const body = gzipSync(JSON.stringify({ spans: [{ trace_id: traceId, span_id: 'z', name: 'zipped', start_time: iso() }] }))
    const post = await client.request('POST', '/api/v1/spans', new Uint8Array(body), { 'Content-Encoding': 'gzip', 'Content-Type': 'application/json' })
    expect(post.status).toBe(200)
    expect((await client.getTrace(traceId)).json.spans[0].name).toBe('zipped')
  })
})

describe('errors', () => {
  it('400 for a body that is not JSON or not the shape', async () => {
    const notJson = await client.request('POST', '/api/v1/spans', '{"spans": [', { 'Content-Type': 'application/json' })
    expect(notJson.status).toBe(400)
    expect(notJson.json.error).toMatch(/not valid JSON/)
    const wrongShape = await client.request('POST', '/api/v1/spans', { items: [] })
    expect(wrongShape.status).toBe(400)
    expect(wrongShape.json.error).toMatch(/\{"spans": \[\.\.\.\]\}/)
  })

  it('401 without a key or with an unknown one; 403 for a key without the scope', async () => {
    const none = await fetch(`${baseUrl}/api/v1/spans`, { method: 'POST', body: '{"spans":[]}' })
    expect(none.status).toBe(401)
    const unknown = await new FlightlineClient(baseUrl, 'fl_not-a-real-key').sendSpans([])
    expect(unknown.status).toBe(401)
    const keyResponse = await fetch(`${baseUrl}/api/v1/projects/${projectId}/keys`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
      body: JSON.stringify({ name: 'dashboards', scopes: ['read'] }),
    })
    expect(keyResponse.status).toBe(201)
    const readOnly = new FlightlineClient(baseUrl, (await keyResponse.json()).key)
    const forbidden = await readOnly.sendSpans([])
    expect(forbidden.status).toBe(403)
    expect(forbidden.json.error).toMatch(/ingest/)
    expect((await readOnly.listTraces()).status).toBe(200)
  })

  it('accepts the key as the password of HTTP Basic auth', async () => {
    const basic = Buffer.from(`anything:${client.key}`).toString('base64')
    const response = await fetch(`${baseUrl}/api/v1/traces`, { headers: { Authorization: `Basic ${basic}` } })
    expect(response.status).toBe(200)
  })

  it('413 for a body over the limit, and for a gzip bomb', async () => {
    const huge = new Uint8Array(17 * 1024 * 1024).fill(32)
    const tooBig = await client.request('POST', '/api/v1/spans', huge, { 'Content-Type': 'application/json' })
    expect(tooBig.status).toBe(413)
    const bomb = gzipSync(Buffer.alloc(200 * 1024 * 1024, 32))
    expect(bomb.length).toBeLessThan(1024 * 1024)
    const bombed = await client.request('POST', '/api/v1/spans', new Uint8Array(bomb), { 'Content-Encoding': 'gzip' })
    expect(bombed.status).toBe(413)
    expect(bombed.json.error).toMatch(/decompressed/)
    expect((await fetch(`${baseUrl}/api/health`)).status).toBe(200)
  })

  it('404 for an unknown trace, and for another project\'s trace', async () => {
    const traceId = `t-${uid()}`
    await client.sendSpans([{ trace_id: traceId, span_id: 'a', name: 'mine', start_time: iso(), tenant_id: 'secret-tenant' }])
    expect((await client.getTrace('no-such-trace')).status).toBe(404)
    const other = await createProject(baseUrl)
    expect((await other.client.getTrace(traceId)).status).toBe(404)
    const list = await other.client.listTraces({ from: new Date(Date.now() - 3600_000).toISOString() })
    expect(list.json.traces).toEqual([])
  })

  it('400 for bad list parameters, with the parameter named', async () => {
    const bad = await client.listTraces({ from: 'last tuesday' })
    expect(bad.status).toBe(400)
    expect(bad.json.error).toMatch(/from/)
    const unknown = await client.listTraces({ colour: 'red' })
    expect(unknown.status).toBe(400)
    expect(unknown.json.error).toMatch(/colour/)
  })
})

describe('scores', () => {
  it('stores scores and rejects bad ones with reasons', async () => {
    const traceId = `t-${uid()}`
    const post = await client.sendScores([
      { trace_id: traceId, name: 'helpfulness', value: 0.75, source: 'judge', evaluator: 'gpt-judge', run_id: 'nightly-1' },
      { trace_id: traceId, name: 'label-only', label: 'pass', source: 'human' },
      { trace_id: traceId, name: 'empty' },
      { name: 'no-trace', value: 1 },
    ])
    expect(post.status).toBe(207)
    expect(post.json.accepted).toBe(2)
    expect(post.json.rejected.map((r: { index: number }) => r.index)).toEqual([2, 3])
    expect(post.json.rejected[0].error).toMatch(/value, a label, or both/)
    expect(post.json.rejected[1].error).toMatch(/trace_id/)
  })
})

describe('cursor paging', () => {
  it('walks every trace exactly once', async () => {
    const project = await createProject(baseUrl)
    const spans = Array.from({ length: 25 }, (_, i) => ({ trace_id: `page-${i}`, span_id: 'root', name: `t${i}`, start_time: iso(i * 10) }))
    expect((await project.client.sendSpans(spans)).status).toBe(200)
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const page: { json: { traces: { trace_id: string }[]; next_cursor: string | null } } = await project.client.listTraces({
        limit: '10',
        from: new Date(Date.now() - 3600_000).toISOString(),
        ...(cursor ? { cursor } : {}),
      })
      seen.push(...page.json.traces.map((t) => t.trace_id))
      cursor = page.json.next_cursor
    } while (cursor)
    expect(seen).toHaveLength(25)
    expect(new Set(seen).size).toBe(25)
    expect(seen[0]).toBe('page-24')
  })
})
