// The flight recorder end to end on a real server: completeness scores per trace and service,
// redaction before storage on the native and OTLP ways in, sampling that keeps whole traces
// (across a crash), and audited deletion of a user from every view - with hostile input and
// attempts on other projects' settings and data.
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto'
import { resourceFromAttributes } from '@opentelemetry/resources'
import { SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node'
import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_TOKEN, createProject, FlightlineClient, startServer, type TestServer } from '../harness'
import { recorderTrace, TOOL_RESULT, type RecorderHabits } from '../fixtures/recorder-traces'

let server: TestServer
const uid = () => Math.random().toString(16).slice(2, 14)
const at = (msAgo: number) => new Date(Date.now() - msAgo).toISOString()
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

// A server of its own: sampling judges a trace 8 s after its last span (30 s by default), long
// enough for the error request to follow the first spans on a loaded machine.
const SERVER_ENV = { FLIGHTLINE_SAMPLING_WINDOW_SECONDS: '8' }

beforeAll(async () => {
  server = await startServer({ env: SERVER_ENV })
}, 180_000)

afterAll(async () => {
  await server?.stop()
  if (server) fs.rmSync(server.dataDir, { recursive: true, force: true })
})

function admin(method: string, path: string, body?: unknown) {
  return new FlightlineClient(server.url, ADMIN_TOKEN).request(method, path, body)
}

async function keyWithScopes(projectId: string, scopes: string[]): Promise<FlightlineClient> {
  const created = await admin('POST', `/api/v1/projects/${projectId}/keys`, { name: scopes.join('+'), scopes })
  expect(created.status).toBe(201)
  return new FlightlineClient(server.url, created.json.key)
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${server.output().slice(-3000)}`)
    await sleep(500)
  }
}

describe('completeness', () => {
  const traceOf = (service: string, version: string, i: number, habits: RecorderHabits) => recorderTrace(service, version, i, habits)

  it('gives exact present rates per field and per service, and names the missing fields on each trace', async () => {
    const { client } = await createProject(server.url, 'recorder-completeness')
    // checkout-agent omits temperature and cuts tool results at 1 KB; support-agent sends everything
    // except a finish reason on 3 of its 30 model calls.
    const checkout = Array.from({ length: 20 }, (_, i) => traceOf('checkout-agent', '1.2.0', i, { temperature: false, cutTool: true, finishReason: true }))
    const support = Array.from({ length: 30 }, (_, i) => traceOf('support-agent', '2.0.0', i, { temperature: true, cutTool: false, finishReason: i >= 3 }))
    const sent = await client.sendSpans([...checkout, ...support].flatMap((t) => t.spans))
    expect(sent.status).toBe(200)
    expect(sent.json.accepted).toBe(150)
    expect(TOOL_RESULT.length).toBeGreaterThan(2048)

    const report = await client.request('GET', '/api/v1/analytics/recorder?range=24h')
    expect(report.status).toBe(200)
    const rate = (fields: { field: string; present_rate: number }[], field: string) => fields.find((f) => f.field === field)?.present_rate
    const fieldsOf = (service: string) => report.json.by_service.find((s: { service: string }) => s.service === service)
    const checkoutRow = fieldsOf('checkout-agent')
    const supportRow = fieldsOf('support-agent')
    expect(checkoutRow.version).toBe('1.2.0')
    expect(supportRow.version).toBe('2.0.0')
    expect(rate(checkoutRow.fields, 'sampling_params')).toBe(0)
    expect(rate(checkoutRow.fields, 'tool_results')).toBe(0)
    for (const field of ['resolved_model', 'system_prompt', 'full_input', 'output', 'token_usage', 'finish_reason', 'tool_arguments', 'user_or_tenant', 'service_version']) {
      expect(rate(checkoutRow.fields, field), `checkout ${field}`).toBe(1)
      expect(rate(supportRow.fields, field), `support ${field}`).toBe(field === 'finish_reason' ? 27 / 30 : 1)
    }
    expect(rate(supportRow.fields, 'sampling_params')).toBe(1)
    expect(rate(supportRow.fields, 'tool_results')).toBe(1)
    // Overall: exact counts over both services.
    expect(rate(report.json.fields, 'sampling_params')).toBe(30 / 50)
    expect(rate(report.json.fields, 'tool_results')).toBe(30 / 50)
    expect(rate(report.json.fields, 'finish_reason')).toBe(47 / 50)
    expect(report.json.fields.find((f: { field: string }) => f.field === 'tool_results')).toMatchObject({ present: 30, applicable: 50 })
    expect(checkoutRow.score).toBeLessThan(supportRow.score)
    expect(supportRow.score).toBeLessThan(1)
    expect(report.json.score).toBeGreaterThan(checkoutRow.score)
    expect(report.json.score).toBeLessThan(supportRow.score)
    // The worst service comes first.
    expect(report.json.by_service[0].service).toBe('checkout-agent')

    const bad = await client.getTrace(checkout[0].traceId)
    expect(bad.status).toBe(200)
    expect(bad.json.recorder.missing).toEqual([
      { field: 'sampling_params', spans: ['llm'] },
      { field: 'tool_results', spans: ['tool'] },
    ])
    expect(bad.json.recorder.score).toBeGreaterThan(0)
    expect(bad.json.recorder.score).toBeLessThan(1)
    const good = await client.getTrace(support[10].traceId)
    expect(good.json.recorder).toEqual({ score: 1, missing: [] })

    const badRange = await client.request('GET', '/api/v1/analytics/recorder?from=yesterday')
    expect(badRange.status).toBe(400)
    expect(badRange.json.error).toMatch(/from/)
  })
})

describe('redaction', () => {
  const EMAIL = 'jane.doe@example.com'
  const CARD = '4111 1111 1111 1111'
  const BEARER = 'Bearer eyJhbGciOiJIUzI1NiJ9.c2VjcmV0.abc123'
  const NOT_A_CARD = '4111 1111 1111 1112' // fails the Luhn check: kept

  it('refuses bad rules with a clear 400, keeps rules per project, and refuses other projects', async () => {
    const a = await createProject(server.url, 'redaction-rules-a')
    const b = await createProject(server.url, 'redaction-rules-b')
    const put = (body: unknown) => admin('PUT', `/api/v1/projects/${a.id}/redaction`, body)
    const catastrophic = await put({ rules: [{ name: 'evil', pattern: '(a+)+$' }] })
    expect(catastrophic.status).toBe(400)
    expect(catastrophic.json.error).toMatch(/rules\.0\.pattern: .*backtrack/)
    const overlapping = await put({ rules: [{ name: 'alt', pattern: '(\\w|\\d)*x' }] })
    expect(overlapping.status).toBe(400)
    const backref = await put({ rules: [{ name: 'br', pattern: '(a)\\1' }] })
    expect(backref.json.error).toMatch(/back-reference/)
    expect((await put({ rules: [{ name: 'x', pattern: '(' }] })).json.error).toMatch(/not a valid regular expression/)
    expect((await put({ rules: [{ detector: 'passport' }] })).json.error).toMatch(/detector: must be one of/)
    expect((await put({ rules: [{ detector: 'email', pattern: 'x' }] })).status).toBe(400)
    expect((await put({ rules: [{ detector: 'email' }, { detector: 'email' }] })).json.error).toMatch(/used twice/)
    expect((await put({ rules: [{ name: 'empty', pattern: 'x*' }] })).json.error).toMatch(/empty/)
    expect((await put({ rules: [{ detector: 'email', fields: ['headers'] }] })).status).toBe(400)
    expect((await put('not json at all')).status).toBe(400)

    const saved = await put({ rules: [{ detector: 'email' }, { name: 'order', pattern: 'ORD-\\d{6}', flags: 'i', replacement: '[order]', fields: ['input'] }] })
    expect(saved.status).toBe(200)
    expect(saved.json.rules).toEqual([
      { name: 'email', detector: 'email', replacement: '[REDACTED:email]', fields: ['input', 'output', 'attributes', 'events', 'status_message', 'user_id'] },
      { name: 'order', pattern: 'ORD-\\d{6}', flags: 'i', replacement: '[order]', fields: ['input'] },
    ])
    expect(saved.json.note).toMatch(/from now on/)
    expect((await a.client.request('GET', `/api/v1/projects/${a.id}/redaction`)).json.rules).toHaveLength(2)

    // Another project's key can neither read nor change these rules; a project key cannot change its own.
    expect((await b.client.request('GET', `/api/v1/projects/${a.id}/redaction`)).status).toBe(404)
    expect((await b.client.request('PUT', `/api/v1/projects/${a.id}/redaction`, { rules: [] })).status).toBe(403)
    expect((await a.client.request('PUT', `/api/v1/projects/${a.id}/redaction`, { rules: [] })).status).toBe(403)
    expect((await b.client.request('GET', `/api/v1/projects/${b.id}/redaction`)).json.rules).toEqual([])
    expect((await admin('GET', `/api/v1/projects/p_missing/redaction`)).status).toBe(404)
  })

  it('stores only the replacements from native and OTLP ingest, and no endpoint or search returns a secret', async () => {
    const { id, client, api_key } = await createProject(server.url, 'redaction-ingest')
    const rules = await admin('PUT', `/api/v1/projects/${id}/redaction`, { rules: [{ detector: 'email' }, { detector: 'credit_card' }, { detector: 'bearer_token' }, { detector: 'api_key' }] })
    expect(rules.status).toBe(200)

    const traceId = `redact-${uid()}`
    const sent = await client.sendSpans([
      {
        trace_id: traceId,
        span_id: 'llm',
        name: 'chat',
        kind: 'llm',
        start_time: at(30_000),
        end_time: at(29_000),
        user_id: EMAIL,
        model_requested: 'gpt-4o',
        system_prompt: `Escalate to ${EMAIL} when stuck.`,
        input: [{ role: 'user', content: `My card is ${CARD}, mail me at ${EMAIL}. Not a card: ${NOT_A_CARD}` }],
        output: { role: 'assistant', content: `Calling the API with ${BEARER}` },
        status: 'error',
        status_message: `upstream refused ${BEARER}`,
        attributes: { 'http.request.header.authorization': BEARER, nested: { contact: [EMAIL] }, key: 'sk-proj-abcdefghijklmnopqrstuvwx' },
        events: [{ name: `notified ${EMAIL}`, attributes: { card: CARD } }],
      },
      // Bad input beside it: rejected on its own, the good span is still stored (redacted).
      { trace_id: traceId, span_id: 'bad', name: '', start_time: 'never', input: EMAIL },
    ])
    expect(sent.status).toBe(207)
    expect(sent.json.accepted).toBe(1)

    // OTLP: a real exporter with the secrets in GenAI attributes and the status message.
    const provider = new NodeTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'otlp-redaction' }),
      spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${server.url}/v1/traces`, headers: { Authorization: `Bearer ${api_key}` } }))],
    })
    const tracer = provider.getTracer('redaction-test')
    let otlpTrace = ''
    tracer.startActiveSpan('chat gpt-4o', (span) => {
      otlpTrace = span.spanContext().traceId
      span.setAttributes({
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: `card ${CARD} and ${EMAIL}` }] }]),
        'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: `token ${BEARER}` }] }]),
        'user.id': EMAIL,
      })
      span.setStatus({ code: 2, message: `failed for ${EMAIL}` })
      span.end()
    })
    await provider.forceFlush()
    await provider.shutdown()

    const native = await client.getTrace(traceId)
    expect(native.status).toBe(200)
    const span = native.json.spans.find((s: { span_id: string }) => s.span_id === 'llm')
    expect(span.user_id).toBe('[REDACTED:email]')
    expect(JSON.parse(span.input)[0].content).toBe(`My card is [REDACTED:credit_card], mail me at [REDACTED:email]. Not a card: ${NOT_A_CARD}`)
    expect(JSON.parse(span.output).content).toBe('Calling the API with [REDACTED:bearer_token]')
    expect(span.status_message).toBe('upstream refused [REDACTED:bearer_token]')
    expect(span.attributes['http.request.header.authorization']).toBe('[REDACTED:bearer_token]')
    expect(span.attributes.key).toBe('[REDACTED:api_key]')
    expect(span.events[0].name).toBe('notified [REDACTED:email]')
    expect(span.redactions).toEqual({ email: 5, credit_card: 2, bearer_token: 3, api_key: 1 })

    const otlp = await until('the OTLP span', async () => {
      const r = await client.getTrace(otlpTrace)
      return r.status === 200 ? r : undefined
    })
    const otlpSpan = otlp.json.spans[0]
    expect(JSON.stringify(otlpSpan.input)).toContain('[REDACTED:credit_card]')
    expect(otlpSpan.user_id).toBe('[REDACTED:email]')
    expect(otlpSpan.status_message).toBe('failed for [REDACTED:email]')
    expect(Object.keys(otlpSpan.redactions).sort()).toEqual(['bearer_token', 'credit_card', 'email'])

    // Nothing of the secrets anywhere: trace detail, spans, list, search, prompt snapshot.
    const secrets = [EMAIL, CARD, CARD.replace(/ /g, ''), 'eyJhbGciOiJIUzI1NiJ9', 'sk-proj-abcdefghijklmnopqrstuvwx']
    const bodies = [
      native.json,
      otlp.json,
      (await client.request('GET', `/api/v1/traces/${traceId}/spans/llm`)).json,
      (await client.listTraces({ range: '24h' })).json,
      (await client.listTraces({ range: '24h', user_id: EMAIL })).json,
      (await client.listTraces({ range: '24h', q: 'example.com' })).json,
      (await client.listTraces({ range: '24h', q: '4111' })).json,
      (await client.request('GET', '/api/v1/analytics/recorder?range=24h')).json,
    ]
    for (const body of bodies) for (const secret of secrets) expect(JSON.stringify(body)).not.toContain(secret)
    expect((await client.listTraces({ range: '24h', user_id: EMAIL })).json.traces).toHaveLength(0)
    expect((await client.listTraces({ range: '24h', q: 'example.com' })).json.traces).toHaveLength(0)
    expect((await client.listTraces({ range: '24h', q: 'REDACTED:credit_card' })).json.traces.length).toBeGreaterThanOrEqual(1)

    // The ways in that store parts of spans: a GenAI log record and Langfuse events.
    const logTrace = 'e'.repeat(32)
    const logs = await client.request('POST', '/v1/logs', {
      resourceLogs: [
        {
          resource: { attributes: [] },
          scopeLogs: [
            {
              scope: { name: 'raw' },
              logRecords: [
                {
                  timeUnixNano: String(BigInt(Date.now()) * 1_000_000n),
                  traceId: logTrace,
                  spanId: 'f'.repeat(16),
                  attributes: [{ key: 'event.name', value: { stringValue: 'gen_ai.user.message' } }],
                  body: { kvlistValue: { values: [{ key: 'content', value: { stringValue: `write to ${EMAIL}, card ${CARD}` } }] } },
                },
              ],
            },
          ],
        },
      ],
    })
    expect(logs.status).toBe(200)
    const lfTrace = `lf-${uid()}`
    const now = new Date().toISOString()
    const langfuse = await fetch(`${server.url}/api/public/ingestion`, {
      method: 'POST',
      headers: { Authorization: `Basic ${Buffer.from(`pk-lf-x:${api_key}`).toString('base64')}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        batch: [
          { id: `${lfTrace}-1`, type: 'trace-create', timestamp: now, body: { id: lfTrace, name: 'lf', userId: EMAIL } },
          { id: `${lfTrace}-2`, type: 'generation-create', timestamp: now, body: { id: `${lfTrace}-g`, traceId: lfTrace, name: 'gen', model: 'gpt-4o', startTime: now, input: `auth ${BEARER}`, output: `mailed ${EMAIL}` } },
        ],
      }),
    })
    expect(langfuse.status).toBe(207)
    for (const id of [logTrace, lfTrace]) {
      const parts = await client.getTrace(id)
      expect(parts.status).toBe(200)
      const text = JSON.stringify(parts.json)
      for (const secret of secrets) expect(text).not.toContain(secret)
      expect(text).toContain('[REDACTED:')
    }
  })
})

describe('sampling', () => {
  it('keeps every failing trace whole and about the rate of the rest, across a crash, with an honest weighted count', async () => {
    const { id, client, api_key } = await createProject(server.url, 'sampling')
    const other = await createProject(server.url, 'sampling-other')
    const bad = await admin('PUT', `/api/v1/projects/${id}/sampling`, { rate: 1.5 })
    expect(bad.status).toBe(400)
    expect(bad.json.error).toMatch(/rate must be at most 1/)
    expect((await admin('PUT', `/api/v1/projects/${id}/sampling`, { rate: 0.1, keep: 'all' })).json.error).toMatch(/unknown field 'keep'/)
    expect((await other.client.request('PUT', `/api/v1/projects/${id}/sampling`, { rate: 1 })).status).toBe(403)
    expect((await other.client.request('GET', `/api/v1/projects/${id}/sampling`)).status).toBe(404)
    const put = await admin('PUT', `/api/v1/projects/${id}/sampling`, { rate: 0.1, keep_errors: true })
    expect(put.status).toBe(200)
    expect(put.json).toMatchObject({ rate: 0.1, keep_errors: true, keep_slower_than_ms: null, keep_tenants: [], enabled: true })

    const TRACES = 1000
    const traceIds = Array.from({ length: TRACES }, (_, i) => `s${String(i).padStart(4, '0')}-${uid()}`)
    const failing = new Set(traceIds.filter((_, i) => i % 20 === 7))
    expect(failing.size).toBe(50)
    const start = Date.now() - 10 * 60_000
    const first = traceIds.flatMap((traceId, i) => [
      { trace_id: traceId, span_id: 'root', name: 'agent run', kind: 'agent', start_time: new Date(start + i * 100).toISOString(), end_time: new Date(start + i * 100 + 900).toISOString() },
      { trace_id: traceId, span_id: 'llm', parent_span_id: 'root', name: 'chat', kind: 'llm', start_time: new Date(start + i * 100 + 10).toISOString(), end_time: new Date(start + i * 100 + 500).toISOString(), model_requested: 'gpt-4o', input_tokens: 100, output_tokens: 10 },
    ])
    for (let i = 0; i < first.length; i += 500) {
      const r = await client.sendSpans(first.slice(i, i + 500))
      expect(r.status).toBe(200)
    }
    // The errors arrive in a later request than the traces' first spans.
    const errors = [...failing].map((traceId) => {
      const i = traceIds.indexOf(traceId)
      return { trace_id: traceId, span_id: 'tool', parent_span_id: 'root', name: 'refund', kind: 'tool', status: 'error', status_message: 'refund service 500', start_time: new Date(start + i * 100 + 600).toISOString(), end_time: new Date(start + i * 100 + 800).toISOString() }
    })
    expect((await client.sendSpans(errors)).status).toBe(200)

    // A crash right after the acknowledgements: what was held is judged after the restart.
    await server.kill9()
    server = await startServer({ dataDir: server.dataDir, env: SERVER_ENV })
    const restarted = new FlightlineClient(server.url, api_key)

    const judged = await until('every trace judged', async () => {
      const r = await restarted.request('GET', `/api/v1/projects/${id}/sampling`)
      const days = r.json.by_day as { kept_traces: number; dropped_traces: number }[]
      const total = days.reduce((sum, d) => sum + d.kept_traces + d.dropped_traces, 0)
      return total >= TRACES ? r.json : undefined
    })
    const kept = judged.by_day.reduce((s: number, d: { kept_traces: number }) => s + d.kept_traces, 0)

    const listed: { trace_id: string; span_count: number }[] = []
    let cursor: string | undefined
    do {
      const page = await restarted.listTraces({ range: '24h', limit: '500', ...(cursor ? { cursor } : {}) })
      expect(page.status).toBe(200)
      listed.push(...page.json.traces)
      cursor = page.json.next_cursor ?? undefined
    } while (cursor)
    expect(listed).toHaveLength(kept)
    const listedIds = new Set(listed.map((t) => t.trace_id))
    for (const traceId of failing) expect(listedIds.has(traceId), traceId).toBe(true)
    // Whole traces only: failing ones with all three spans, others with both.
    for (const t of listed) expect(t.span_count, t.trace_id).toBe(failing.has(t.trace_id) ? 3 : 2)
    const ordinaryKept = listed.filter((t) => !failing.has(t.trace_id)).length
    expect(ordinaryKept).toBeGreaterThan(950 * 0.1 * 0.6)
    expect(ordinaryKept).toBeLessThan(950 * 0.1 * 1.4)

    const detail = await restarted.getTrace([...failing][0])
    expect(detail.json.spans.every((s: { sample_weight: number }) => s.sample_weight === 1)).toBe(true)
    // A trace the rate kept stands for the ordinary traces judged with it: about 1/rate each.
    const sampled = listed.find((t) => !failing.has(t.trace_id))!
    const weights = (await restarted.getTrace(sampled.trace_id)).json.spans.map((s: { sample_weight: number }) => s.sample_weight)
    expect(weights[0]).toBe(weights[1])
    expect(weights[0]).toBeGreaterThan(5)
    expect(weights[0]).toBeLessThan(20)

    // The overview counts model calls weighted by 1/rate: within 15% of the 1,000 sent.
    const from = new Date(start - 60_000).toISOString()
    const to = new Date(Date.now() + 60_000).toISOString()
    const overview = await restarted.request('GET', `/api/v1/analytics/overview?from=${from}&to=${to}&bucket=3600`)
    expect(overview.status).toBe(200)
    const weighted = overview.json.series.reduce((s: number, p: { spans: number }) => s + p.spans, 0)
    console.log(`sampling: ${kept} of ${TRACES} traces kept (all 50 failing + ${ordinaryKept} of 950 ordinary); weighted model calls in the overview: ${weighted}`)
    expect(Math.abs(weighted - TRACES) / TRACES).toBeLessThan(0.15)
    // Unweighted, the kept traces alone would say about 150.
    expect(kept).toBeLessThan(300)
    // A custom chart counts them the same way: one definition of a request.
    const chart = await restarted.request('POST', '/api/v1/query', { metric: 'count', from, to })
    expect(chart.status, JSON.stringify(chart.json)).toBe(200)
    expect(chart.json.series[0].total).toBeCloseTo(weighted, 6)
    const errorRate = await restarted.request('POST', '/api/v1/query', { metric: 'error_rate', from, to })
    const overviewErrors = overview.json.series.reduce((s: number, p: { errors: number }) => s + p.errors, 0)
    expect(errorRate.json.series[0].total).toBeCloseTo(overviewErrors / weighted, 6)

    // Turning sampling off stores new traces at once, weight 1.
    expect((await admin('PUT', `/api/v1/projects/${id}/sampling`, { rate: 1 })).json.enabled).toBe(false)
    const direct = `direct-${uid()}`
    await restarted.sendSpans([{ trace_id: direct, span_id: 'a', name: 'x', start_time: at(1000) }])
    const directTrace = await restarted.getTrace(direct)
    expect(directTrace.status).toBe(200)
    expect(directTrace.json.spans[0].sample_weight).toBe(1)
  }, 300_000)
})

describe('deletion', () => {
  it('removes every trace, score, search hit and analytics contribution of a user, audits it, and leaves others untouched', async () => {
    const { id, client } = await createProject(server.url, 'deletion')
    const other = await createProject(server.url, 'deletion-other')
    const base = Date.now() - 2 * 3600_000
    const traceFor = (user: string, n: number) => {
      const traceId = `${user}-${n}-${uid()}`
      const t = base + n * 60_000
      return {
        traceId,
        spans: [
          { trace_id: traceId, span_id: 'root', name: 'agent run', kind: 'agent', start_time: new Date(t).toISOString(), end_time: new Date(t + 5000).toISOString(), user_id: user, tenant_id: 'acme' },
          {
            trace_id: traceId,
            span_id: 'llm',
            parent_span_id: 'root',
            name: 'chat',
            kind: 'llm',
            start_time: new Date(t + 10).toISOString(),
            end_time: new Date(t + 900).toISOString(),
            user_id: user,
            tenant_id: 'acme',
            model_requested: 'gpt-4o',
            cost_usd: 0.01,
            input: `question from ${user} about invoice ${user}-inv`,
            system_prompt: `Prompt only ${user} ever used.`,
          },
        ],
      }
    }
    const alice = Array.from({ length: 4 }, (_, n) => traceFor('alice', n))
    const bob = Array.from({ length: 3 }, (_, n) => traceFor('bob', n))
    expect((await client.sendSpans([...alice, ...bob].flatMap((t) => t.spans))).json.accepted).toBe(14)
    const scores = [...alice, ...bob].map((t, n) => ({ id: `s-${n}-${uid()}`, trace_id: t.traceId, name: 'helpfulness', value: 0.5 }))
    expect((await client.sendScores(scores)).status).toBe(200)
    // The other project's user with the same id is not touched.
    const outsider = traceFor('alice', 9)
    await other.client.sendSpans(outsider.spans)

    const from = new Date(base - 3600_000).toISOString()
    const to = new Date(Date.now()).toISOString()
    const overviewCount = async () => {
      const r = await client.request('GET', `/api/v1/analytics/overview?from=${from}&to=${to}&bucket=3600`)
      return r.json.series.reduce((s: number, p: { spans: number }) => s + p.spans, 0)
    }
    expect(await overviewCount()).toBe(7)
    // Let the rollup refresher fold the spans, so the overview reads them from the rollups.
    await sleep(8000)
    expect(await overviewCount()).toBe(7)

    // Who may delete: not a plain key, not a key of another project, not bad bodies.
    expect((await client.request('POST', '/api/v1/deletions', { user_id: 'alice' })).status).toBe(403)
    const otherDeleter = await keyWithScopes(other.id, ['delete'])
    const deleter = await keyWithScopes(id, ['delete'])
    expect((await deleter.request('POST', '/api/v1/deletions', { user_id: 'alice', tenant_id: 'acme' })).json.error).toMatch(/exactly one subject/)
    expect((await deleter.request('POST', '/api/v1/deletions', { email: 'alice' })).status).toBe(400)
    expect((await deleter.request('POST', '/api/v1/deletions', {})).status).toBe(400)
    expect((await deleter.request('GET', '/api/v1/traces?range=24h')).status).toBe(403)

    const requested = await deleter.request('POST', '/api/v1/deletions', { user_id: 'alice' })
    expect(requested.status).toBe(202)
    expect(requested.json.id).toMatch(/^del_/)
    expect((await otherDeleter.request('GET', `/api/v1/deletions/${requested.json.id}`)).status).toBe(404)
    const done = await until('the deletion', async () => {
      const r = await deleter.request('GET', `/api/v1/deletions/${requested.json.id}`)
      expect(r.status).toBe(200)
      return r.json.status === 'done' || r.json.status === 'failed' ? r.json : undefined
    })
    expect(done.status).toBe('done')
    expect(done.traces).toBe(4)
    expect(done.rows_removed.spans).toBe(8)
    expect(done.rows_removed.scores).toBe(4)
    expect(done.rows_removed.prompt_snapshots).toBe(1)
    expect(done.rows_removed.trace_stats).toBeGreaterThanOrEqual(4)

    for (const t of alice) {
      expect((await client.getTrace(t.traceId)).status).toBe(404)
      expect((await client.request('GET', `/api/v1/traces/${t.traceId}/scores`)).json.scores ?? []).toEqual([])
    }
    expect((await client.listTraces({ range: '24h', user_id: 'alice' })).json.traces).toHaveLength(0)
    expect((await client.listTraces({ range: '24h', q: 'alice-inv' })).json.traces).toHaveLength(0)
    const remaining = await client.listTraces({ range: '24h' })
    expect(remaining.json.traces.map((t: { trace_id: string }) => t.trace_id).sort()).toEqual(bob.map((t) => t.traceId).sort())
    expect(JSON.stringify(remaining.json)).not.toContain('alice')
    expect(await overviewCount()).toBe(3)
    for (const t of bob) {
      const detail = await client.getTrace(t.traceId)
      expect(detail.json.spans).toHaveLength(2)
      expect((await client.request('GET', `/api/v1/traces/${t.traceId}/scores`)).json.scores).toHaveLength(1)
    }
    expect((await other.client.getTrace(outsider.traceId)).status).toBe(200)

    const audit = await deleter.request('GET', '/api/v1/deletions')
    expect(audit.json.deletions).toHaveLength(1)
    expect(audit.json.deletions[0]).toMatchObject({ id: requested.json.id, status: 'done', subject: { type: 'user_id' }, requested_by: expect.stringMatching(/^key:/) })
    expect(audit.json.deletions[0].rows_removed_total).toBeGreaterThan(12)
    expect(JSON.stringify(audit.json)).not.toContain('alice')
    expect((await otherDeleter.request('GET', '/api/v1/deletions')).json.deletions).toHaveLength(0)
  }, 180_000)
})
