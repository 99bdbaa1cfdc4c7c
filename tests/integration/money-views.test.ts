// Where the money goes, end to end over HTTP: planted traffic goes in through the ingest API and
// the retries, structured-output, tokenizer and energy endpoints answer with the planted facts -
// a six-hour retry loop as one runaway with its exact attempts and cost beside ordinary 429
// retries (marked with attributes, and only inferred), first-try validity and loop depths per
// model, tokenizer ratios by script with exact breach counts, and a task's energy from
// coefficients set through the admin API - for the caller's project only.
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { ADMIN_TOKEN, createProject, type FlightlineClient } from '../harness'

const baseUrl = inject('baseUrl')
const HOUR = 3_600_000
const windowStart = Math.floor(Date.now() / HOUR) * HOUR - 30 * HOUR
const at = (ms: number) => new Date(windowStart + ms)
const iso = (ms: number) => at(ms).toISOString()
const range = { from: iso(0), to: iso(24 * HOUR) }

type Span = Record<string, unknown>

async function send(client: FlightlineClient, spans: Span[]) {
  for (let i = 0; i < spans.length; i += 2000) {
    const response = await client.sendSpans(spans.slice(i, i + 2000))
    expect(response.status, JSON.stringify(response.json)).toBe(200)
  }
}

const get = (client: FlightlineClient, path: string, query: Record<string, string> = {}) => client.request('GET', `${path}?${new URLSearchParams({ ...range, ...query })}`)

const admin = (method: string, path: string, body?: unknown, token = ADMIN_TOKEN) =>
  fetch(`${baseUrl}${path}`, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })

let ids = 0
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0')
const newTrace = () => hex(++ids, 32)
const newSpan = () => hex(++ids, 16)

function span(trace: string, fields: Span & { start: number; ms: number }): Span & { span_id: string } {
  const { start, ms, ...rest } = fields
  return { trace_id: trace, span_id: newSpan(), name: 'chat', kind: 'llm', start_time: iso(start), end_time: iso(start + ms), status: 'ok', ...rest } as Span & { span_id: string }
}

const LOOP_ATTEMPTS = 300
const LOOP_COST = 0.102 // 40,000 input and 200 output tokens of gpt-4o at list price, reported per attempt

/**
 * The planted retry traffic of one project: a six-hour loop of 300 failing attempts of a
 * 40k-token call (capped exponential backoff), 50 ordinary 429 retries of which 40 are served on
 * the retry, and 200 calls that succeed at once. `marked`: retries carry retry_attempt/retry_of.
 */
function retryTraffic(marked: boolean): { spans: Span[]; loopFirst: number; loopLast: number; loopTrace: string } {
  const spans: Span[] = []
  const loopTrace = newTrace()
  const root = span(loopTrace, { start: 2 * HOUR, ms: 6 * HOUR + 60_000, name: 'research-agent', kind: 'agent', session_id: 'ses-loop', user_id: 'svc-research' })
  spans.push(root)
  let t = 2 * HOUR + 1000
  let first: string | undefined
  let loopLast = 0
  for (let n = 0; n < LOOP_ATTEMPTS; n++) {
    const attempt = span(loopTrace, {
      start: t,
      ms: 1500,
      parent_span_id: root.span_id,
      name: 'replay tool chain',
      status: 'error',
      error_type: 'tool_timeout',
      model_requested: 'gpt-4o',
      input_tokens: 40_000,
      output_tokens: 200,
      cost_usd: LOOP_COST,
      session_id: 'ses-loop',
      user_id: 'svc-research',
      ...(marked && n > 0 ? { retry_attempt: n, retry_of: first } : {}),
    })
    first ??= attempt.span_id
    spans.push(attempt)
    loopLast = t + 1500
    t += 1500 + Math.min(2 ** n * 1000, 70_000)
  }
  for (let i = 0; i < 250; i++) {
    const trace = newTrace()
    const start = 9 * HOUR + i * 60_000
    const agent = span(trace, { start, ms: 20_000, name: 'support-agent', kind: 'agent', session_id: `ses-${i}`, user_id: `u-${i % 40}` })
    const call = (s: number, extra: Span) =>
      span(trace, { start: s, ms: 800, parent_span_id: agent.span_id, model_requested: 'money-test-model', input_tokens: 1000, output_tokens: 100, session_id: `ses-${i}`, user_id: `u-${i % 40}`, ...extra })
    spans.push(agent)
    if (i < 50) {
      const failed = call(start + 100, { status: 'error', error_type: '429', input_tokens: 0, output_tokens: 0 })
      const served = i < 40
      const retry = call(start + 2000, { ...(served ? {} : { status: 'error', error_type: '429', input_tokens: 0, output_tokens: 0 }), ...(marked ? { retry_attempt: 1, retry_of: failed.span_id } : {}) })
      spans.push(failed, retry)
    } else {
      spans.push(call(start + 100, {}))
    }
  }
  return { spans, loopFirst: 2 * HOUR + 1000, loopLast, loopTrace }
}

describe('retries', () => {
  const projects: Record<'marked' | 'inferred', { client: FlightlineClient; loopFirst: number; loopLast: number; loopTrace: string }> = {} as never
  let other: FlightlineClient

  beforeAll(async () => {
    // A price only this test uses: ordinary calls are priced from the table (1000 in, 100 out).
    const priced = await admin('PUT', '/api/v1/prices/money-test-model', { provider: 'test', input_per_mtok: 2, output_per_mtok: 10 })
    expect(priced.status).toBe(200)
    for (const kind of ['marked', 'inferred'] as const) {
      const project = await createProject(baseUrl, `retries-${kind}`)
      const traffic = retryTraffic(kind === 'marked')
      await send(project.client, traffic.spans)
      projects[kind] = { client: project.client, ...traffic }
    }
    other = (await createProject(baseUrl, 'retries-other')).client
  })

  for (const kind of ['marked', 'inferred'] as const) {
    it(`finds the six-hour loop as one runaway beside ordinary 429 retries (${kind})`, async () => {
      const { client, loopFirst, loopLast, loopTrace } = projects[kind]
      const response = await get(client, '/api/v1/analytics/retries')
      expect(response.status, JSON.stringify(response.json)).toBe(200)
      const body = response.json
      expect(Object.keys(body).sort()).toEqual(['by_error', 'by_model', 'runaways', 'totals'])
      const callCost = (1000 * 2 + 100 * 10) / 1e6
      expect(body.totals).toMatchObject({ logical_calls: 200 + 50 + 1, attempts: 200 + 100 + LOOP_ATTEMPTS, retried_calls: 51 })
      expect(body.totals.cost_usd).toBeCloseTo(LOOP_ATTEMPTS * LOOP_COST + (200 + 40) * callCost, 9)
      expect(body.totals.retry_cost_usd).toBeCloseTo((LOOP_ATTEMPTS - 1) * LOOP_COST + 40 * callCost, 9)
      expect(body.totals.retry_tokens).toBe((LOOP_ATTEMPTS - 1) * 40_200 + 40 * 1100)

      expect(body.runaways).toHaveLength(1)
      const [runaway] = body.runaways
      expect(runaway).toMatchObject({ trace_id: loopTrace, name: 'replay tool chain', attempts: LOOP_ATTEMPTS, tokens: LOOP_ATTEMPTS * 40_200, found_by: kind === 'marked' ? 'explicit' : 'inferred' })
      expect(runaway.cost_usd).toBeCloseTo(LOOP_ATTEMPTS * LOOP_COST, 9)
      expect(runaway.first_at).toBe(iso(loopFirst))
      expect(runaway.last_at).toBe(iso(loopLast))
      expect(runaway.duration_ms).toBe(loopLast - loopFirst)
      expect(runaway.duration_ms).toBeGreaterThan(5.5 * HOUR)
      // The traces list, the trace header and the retries view agree on what the loop cost, and
      // on an ordinary call priced from the table.
      const list = await client.listTraces({ ...range, limit: '500', sort: 'cost', order: 'desc' })
      expect(list.status).toBe(200)
      const [costliest] = list.json.traces
      expect(costliest.trace_id).toBe(loopTrace)
      expect(costliest.cost_usd).toBeCloseTo(runaway.cost_usd, 9)
      expect((await client.getTrace(loopTrace)).json.summary.cost_usd).toBeCloseTo(runaway.cost_usd, 9)
      const ordinary = list.json.traces.filter((t: { name: string; cost_usd: number }) => t.name === 'support-agent' && t.cost_usd > 0)
      expect(ordinary.length).toBe(200 + 40)
      for (const trace of ordinary) expect(trace.cost_usd).toBeCloseTo(callCost, 12)

      const e429 = body.by_error.find((e: { error_type: string }) => e.error_type === '429')
      expect(e429).toMatchObject({ attempts: 100, retried_calls: 50, eventual_success_rate: 0.8 })
      expect(e429.retry_cost_usd).toBeCloseTo(40 * callCost, 9)
      const timeouts = body.by_error.find((e: { error_type: string }) => e.error_type === 'tool_timeout')
      expect(timeouts).toMatchObject({ attempts: LOOP_ATTEMPTS, retried_calls: 1, eventual_success_rate: 0 })
      expect(body.by_model.find((m: { model: string }) => m.model === 'money-test-model')).toMatchObject({ logical_calls: 250, attempts: 300 })
      expect(body.by_model.find((m: { model: string }) => m.model === 'gpt-4o')).toMatchObject({ logical_calls: 1, attempts: LOOP_ATTEMPTS })
    })
  }

  it('answers for the caller project only, and names a bad parameter', async () => {
    const empty = await get(other, '/api/v1/analytics/retries')
    expect(empty.status).toBe(200)
    expect(empty.json).toEqual({ totals: { logical_calls: 0, attempts: 0, retried_calls: 0, cost_usd: 0, retry_cost_usd: 0, retry_tokens: 0 }, by_error: [], by_model: [], runaways: [] })
    const bad = await other.request('GET', '/api/v1/analytics/retries?from=yesterday')
    expect(bad.status).toBe(400)
    expect(bad.json.error).toMatch(/^from/)
    const unknown = await other.request('GET', '/api/v1/analytics/retries?bucket=60')
    expect(unknown.status).toBe(400)
    expect(unknown.json.error).toMatch(/bucket/)
  })
})

describe('structured-output loops', () => {
  let client: FlightlineClient

  beforeAll(async () => {
    const project = await createProject(baseUrl, 'structured')
    client = project.client
    const spans: Span[] = []
    // Model A: 1000 objects, 98.4% valid first; 12 valid at the second try, 4 invalid three times.
    // Model B: 200 objects, 85% valid first; 20 valid at the second try, 10 at the third. B's
    // retries are marked (retry_of the first attempt), A's are only inferred.
    const plant = (model: string, objects: number, outcomes: (i: number) => boolean[], cost: number, extra: (n: number, first: string | undefined) => Span, offset: number) => {
      for (let i = 0; i < objects; i++) {
        const trace = newTrace()
        const start = offset + i * 30_000
        const root = span(trace, { start, ms: 20_000, name: 'ticket-agent', kind: 'agent' })
        spans.push(root)
        let first: string | undefined
        outcomes(i).forEach((valid, n) => {
          const attempt = span(trace, {
            start: start + 100 + n * 3000,
            ms: 2000,
            parent_span_id: root.span_id,
            name: 'generate reply',
            model_requested: model,
            input_tokens: 800,
            output_tokens: 150,
            cost_usd: cost,
            schema_valid: valid,
            ...extra(n, first),
          })
          first ??= attempt.span_id
          spans.push(attempt)
        })
      }
    }
    plant('gpt-4o-mini', 1000, (i) => (i < 984 ? [true] : i < 996 ? [false, true] : [false, false, false]), 0.001, () => ({ attributes: { 'flightline.output.schema': 'TicketReply' } }), 1 * HOUR)
    plant(
      'claude-sonnet-4-5',
      200,
      (i) => (i < 170 ? [true] : i < 190 ? [false, true] : [false, false, true]),
      0.01,
      (n, first) => ({ params: { response_format: { type: 'json_schema', json_schema: { name: 'Invoice' } } }, ...(n > 0 ? { retry_attempt: n, retry_of: first } : {}) }),
      12 * HOUR,
    )
    await send(client, spans)
  })

  it('gives first-try validity per model, loop depths and the loop cost share exactly', async () => {
    const response = await get(client, '/api/v1/analytics/structured-output')
    expect(response.status, JSON.stringify(response.json)).toBe(200)
    const body = response.json
    expect(Object.keys(body).sort()).toEqual(['by_model', 'by_schema', 'depth', 'overall'])
    const a = body.by_model.find((m: { model: string }) => m.model === 'gpt-4o-mini')
    const b = body.by_model.find((m: { model: string }) => m.model === 'claude-sonnet-4-5')
    expect(a).toMatchObject({ objects: 1000, first_try_valid_rate: 0.984, eventual_valid_rate: 0.996, attempts_p95: 1 })
    expect(b).toMatchObject({ objects: 200, first_try_valid_rate: 0.85, eventual_valid_rate: 1, attempts_p95: 2 })
    expect(a.mean_attempts).toBeCloseTo(1020 / 1000, 12)
    expect(b.mean_attempts).toBeCloseTo(240 / 200, 12)
    expect(body.depth).toEqual([
      { attempts: 1, objects: 1154, valid: 1154 },
      { attempts: 2, objects: 32, valid: 32 },
      { attempts: 3, objects: 14, valid: 10 },
    ])
    // Cost: A 1020 attempts x $0.001, B 240 x $0.01; after the first attempt: A 20, B 40.
    expect(body.overall.cost_per_valid_object_usd).toBeCloseTo(3.42 / 1196, 12)
    expect(body.overall.loop_cost_share).toBeCloseTo(0.42 / 3.42, 12)
    expect(a.loop_cost_share).toBeCloseTo(0.02 / 1.02, 12)
    expect(b.loop_cost_share).toBeCloseTo(0.4 / 2.4, 12)
    expect(b.tokens_per_valid_object).toBeCloseTo((240 * 950) / 200, 9)
    expect(body.by_schema.map((s: { schema: string }) => s.schema).sort()).toEqual(['Invoice', 'TicketReply'])
    expect(body.overall.first_try_valid_rate).toBeCloseTo(1154 / 1200, 12)
  })
})

describe('tokenizer drift', () => {
  let client: FlightlineClient

  beforeAll(async () => {
    client = (await createProject(baseUrl, 'tokenizer')).client
    const spans: Span[] = []
    const call = (start: number, text: string, local: number, billed: number) =>
      span(newTrace(), { start, ms: 900, model_requested: 'gpt-4.1', input_tokens: billed, output_tokens: 50, local_input_tokens: local, input: [{ role: 'user', content: text }] })
    // 40 Japanese calls: the provider bills 11% more than the local count.
    for (let i = 0; i < 40; i++) spans.push(call(3 * HOUR + i * 60_000, '注文した商品がまだ届きません。配送状況を確認してください。注文番号はA-1042です。', 1000, 1110))
    // 60 English calls: 57 at +2%, 3 at +6%.
    for (let i = 0; i < 60; i++) spans.push(call(5 * HOUR + i * 60_000, 'Where is my order? It was due on Friday and the tracking page has not moved since Monday.', 1000, i < 57 ? 1020 : 1060))
    await send(client, spans)
  })

  it('gives ratios by script to two decimals and the exact number of margin breaches', async () => {
    const response = await get(client, '/api/v1/analytics/tokenizer')
    expect(response.status, JSON.stringify(response.json)).toBe(200)
    expect(response.json.margin).toBe(0.05)
    const rows = response.json.by_model_script as Array<Record<string, any>>
    const cjk = rows.find((r) => r.script === 'cjk')!
    const latin = rows.find((r) => r.script === 'latin')!
    expect(rows).toHaveLength(2)
    expect(cjk).toMatchObject({ model: 'gpt-4.1', calls: 40, local_tokens: 40_000, billed_tokens: 44_400, breaches: 40 })
    expect(cjk.ratio.toFixed(2)).toBe('1.11')
    expect(latin).toMatchObject({ model: 'gpt-4.1', calls: 60, local_tokens: 60_000, billed_tokens: 57 * 1020 + 3 * 1060, breaches: 3 })
    expect(latin.ratio.toFixed(2)).toBe('1.02')
    expect(response.json.breaches_over_time.reduce((sum: number, b: { breaches: number }) => sum + b.breaches, 0)).toBe(43)

    const wider = await get(client, '/api/v1/analytics/tokenizer', { margin: '0.1' })
    const wide = wider.json.by_model_script as Array<Record<string, any>>
    expect(wide.find((r) => r.script === 'cjk')!.breaches).toBe(40)
    expect(wide.find((r) => r.script === 'latin')!.breaches).toBe(0)

    const bad = await get(client, '/api/v1/analytics/tokenizer', { margin: 'lots' })
    expect(bad.status).toBe(400)
    expect(bad.json.error).toMatch(/^margin/)
  })
})

describe('energy per task', () => {
  let client: FlightlineClient

  beforeAll(async () => {
    for (const [model, body] of [
      ['energy-test-model', { wh_per_1k_input: 0.3, wh_per_1k_cached_input: 0.03, wh_per_1k_output: 0.9 }],
      ['energy-test-mini', { wh_per_1k_input: 0.02, wh_per_1k_cached_input: 0.002, wh_per_1k_output: 0.05 }],
    ] as const) {
      const response = await admin('PUT', `/api/v1/energy-coefficients/${model}`, body)
      expect(response.status, await response.clone().text()).toBe(200)
    }
    client = (await createProject(baseUrl, 'energy')).client
    const spans: Span[] = []
    for (let i = 0; i < 10; i++) {
      const trace = newTrace()
      const root = span(trace, { start: 2 * HOUR + i * 60_000, ms: 30_000, name: 'answer-ticket', kind: 'agent' })
      spans.push(
        root,
        span(trace, { start: 2 * HOUR + i * 60_000 + 100, ms: 2000, parent_span_id: root.span_id, model_requested: 'energy-test-model', input_tokens: 5000, cache_read_tokens: 3000, output_tokens: 400 }),
        span(trace, { start: 2 * HOUR + i * 60_000 + 3000, ms: 500, parent_span_id: root.span_id, model_requested: 'energy-test-mini-2026-01-01', input_tokens: 1000, output_tokens: 100 }),
      )
    }
    for (let i = 0; i < 5; i++) {
      const trace = newTrace()
      const root = span(trace, { start: 4 * HOUR + i * 60_000, ms: 30_000, name: 'cron', kind: 'chain', attributes: { 'flightline.task': 'nightly-digest' } })
      spans.push(root, span(trace, { start: 4 * HOUR + i * 60_000 + 100, ms: 9000, parent_span_id: root.span_id, model_requested: 'energy-test-model', input_tokens: 20_000, output_tokens: 2000 }))
    }
    await send(client, spans)
  })

  it("equals the hand-computed sum with the coefficients set through the API", async () => {
    const response = await get(client, '/api/v1/analytics/energy')
    expect(response.status, JSON.stringify(response.json)).toBe(200)
    const body = response.json
    expect(Object.keys(body).sort()).toEqual(['by_model', 'coefficients', 'tasks'])
    // answer-ticket, per trace: 2000 x 0.3 + 3000 x 0.03 + 400 x 0.9 = 1050 mWh, plus 1000 x 0.02 + 100 x 0.05 = 25 mWh.
    const ticket = body.tasks.find((t: { task: string }) => t.task === 'answer-ticket')
    expect(ticket).toMatchObject({ requests: 20, tokens: 10 * (5400 + 1100), tasks: 10 })
    expect(ticket.energy_wh).toBeCloseTo(10 * 1.075, 12)
    expect(ticket.wh_per_task).toBeCloseTo(1.075, 12)
    expect(ticket.cache_share).toBeCloseTo(30_000 / 60_000, 12)
    expect(ticket.tokens_per_wh).toBeCloseTo(65_000 / 10.75, 9)
    // nightly-digest (flightline.task on a root named 'cron'): 20000 x 0.3 + 2000 x 0.9 = 7.8 Wh per trace.
    const digest = body.tasks.find((t: { task: string }) => t.task === 'nightly-digest')
    expect(digest).toMatchObject({ requests: 5, tasks: 5 })
    expect(digest.energy_wh).toBeCloseTo(39, 12)
    expect(body.tasks.map((t: { task: string }) => t.task)).not.toContain('cron')
    expect(body.coefficients).toContainEqual({ model: 'energy-test-mini-2026-01-01', wh_per_1k_input: 0.02, wh_per_1k_cached_input: 0.002, wh_per_1k_output: 0.05, source: { kind: 'table', entry: 'energy-test-mini' } })
    expect(body.by_model.find((m: { model: string }) => m.model === 'energy-test-model').energy_wh).toBeCloseTo(10 * 1.05 + 39, 12)
  })

  it('edits the coefficient table as the admin only, with errors that name the field', async () => {
    const list = await admin('GET', '/api/v1/energy-coefficients')
    expect(list.status).toBe(200)
    const { coefficients } = await list.json()
    expect(coefficients.find((c: { model: string }) => c.model === 'gpt-4o')).toMatchObject({ size_class: 'large', wh_per_1k_output: 0.6 })
    const missing = await admin('PUT', '/api/v1/energy-coefficients/some-model', { wh_per_1k_input: 0.1, wh_per_1k_output: 0.2 })
    expect(missing.status).toBe(400)
    expect((await missing.json()).error).toMatch(/wh_per_1k_cached_input/)
    const negative = await admin('PUT', '/api/v1/energy-coefficients/some-model', { wh_per_1k_input: -1, wh_per_1k_cached_input: 0, wh_per_1k_output: 0.2 })
    expect((await negative.json()).error).toMatch(/^wh_per_1k_input/)
    expect((await admin('GET', '/api/v1/energy-coefficients', undefined, client.key)).status).toBe(403)
    const created = await admin('PUT', '/api/v1/energy-coefficients/Temp-Model', { wh_per_1k_input: 0.1, wh_per_1k_cached_input: 0.01, wh_per_1k_output: 0.2 })
    expect(await created.json()).toMatchObject({ model: 'temp-model', size_class: 'large', wh_per_1k_output: 0.2 })
    expect((await admin('DELETE', '/api/v1/energy-coefficients/temp-model')).status).toBe(204)
    expect((await admin('DELETE', '/api/v1/energy-coefficients/temp-model')).status).toBe(404)
  })
})
