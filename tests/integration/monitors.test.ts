// Monitors end to end: a server of its own with a short evaluation floor, live traffic sent at
// the current time over the ingest API, and a real webhook receiver (node:http) that records
// every delivery. A planted cache-thrash onset opens exactly one incident naming the culprit
// tenant, pages once when it opens and once when it resolves, signed with the channel's secret;
// a failing retrieval tool pages with the tool named, not the model; a receiver answering 500
// is retried with backoff and the monitor shows the failure.
import { createHmac } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { resolveRange } from '@/lib/time/range'
import { createProject, createUser, login, startServer, type FlightlineClient, type TestServer } from '../harness'

const INTERVAL_S = 4

interface Delivery {
  path: string
  at: number
  headers: http.IncomingHttpHeaders
  raw: string
  body: any
}

/** A webhook receiver: records every POST; answers 500 on paths starting with /fail. */
class Receiver {
  readonly deliveries: Delivery[] = []
  private server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk) => chunks.push(chunk))
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8')
      this.deliveries.push({ path: req.url ?? '', at: Date.now(), headers: req.headers, raw, body: JSON.parse(raw) })
      res.statusCode = req.url?.startsWith('/fail') ? 500 : 200
      res.end(req.url?.startsWith('/fail') ? 'receiver is down' : 'ok')
    })
  })
  url = ''
  async start() {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve))
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
  }
  stop() {
    return new Promise<void>((resolve) => this.server.close(() => resolve()))
  }
  at(path: string) {
    return this.deliveries.filter((d) => d.path === path)
  }
  async waitFor(what: string, predicate: () => boolean, timeoutMs: number) {
    const deadline = Date.now() + timeoutMs
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.deliveries.map((d) => [d.path, d.body.event]))}`)
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  }
}

const hmac = (secret: string, raw: string) => `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`
const iso = (t: number) => new Date(t).toISOString()
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

let server: TestServer
let receiver: Receiver

beforeAll(async () => {
  server = await startServer({ env: { FLIGHTLINE_MONITOR_INTERVAL_S: String(INTERVAL_S) } })
  receiver = new Receiver()
  await receiver.start()
})

afterAll(async () => {
  await receiver?.stop()
  await server?.stop()
  if (server) fs.rmSync(server.dataDir, { recursive: true, force: true })
})

let seq = 0
function modelCall(at: number, tenant: string, hitRate: number, promptHash: string, extra: Record<string, unknown> = {}) {
  const id = (++seq).toString(16).padStart(12, '0')
  const input = 2000
  return {
    trace_id: `aaaa${id}aaaa${id}`.slice(0, 32),
    span_id: `b${id}`.slice(0, 16).padEnd(16, '0'),
    name: 'chat gpt-4o',
    kind: 'llm',
    start_time: iso(at),
    end_time: iso(at + 400),
    model_requested: 'gpt-4o',
    input_tokens: input,
    output_tokens: 80,
    cache_read_tokens: Math.round(input * hitRate),
    tenant_id: tenant,
    system_prompt_hash: promptHash,
    ...extra,
  }
}

async function send(client: FlightlineClient, spans: unknown[]) {
  const response = await client.sendSpans(spans)
  expect(response.status, JSON.stringify(response.json)).toBe(200)
}

describe('monitors API', () => {
  it('creates every type from {} with its defaults, validates input, and scopes to the project', async () => {
    const project = await createProject(server.url, 'monitor-types')
    const other = await createProject(server.url, 'monitor-other')
    for (const type of ['cache_thrash', 'error_spike', 'latency', 'reentrancy', 'cost', 'score_drop', 'metric']) {
      const { status, json } = await project.client.request('POST', '/api/v1/monitors', { name: `${type} watch`, type, params: {} })
      expect(status, JSON.stringify(json)).toBe(201)
      expect(json).toMatchObject({ name: `${type} watch`, type, enabled: true, evaluate_every_s: INTERVAL_S, channels: [] })
      expect(Object.keys(json.params).length).toBeGreaterThan(0)
    }
    const bad = await project.client.request('POST', '/api/v1/monitors', { name: 'x', type: 'cpu' })
    expect(bad.status).toBe(400)
    expect(bad.json.error).toMatch(/type/)
    const badParams = await project.client.request('POST', '/api/v1/monitors', { name: 'x', type: 'latency', params: { threshold_ms: -1 } })
    expect(badParams.status).toBe(400)
    expect(badParams.json.error).toMatch(/params\.threshold_ms/)
    const unknownParam = await project.client.request('POST', '/api/v1/monitors', { name: 'x', type: 'cost', params: { treshold_usd: 5 } })
    expect(unknownParam.status).toBe(400)
    expect(unknownParam.json.error).toMatch(/treshold_usd/)
    const badUrl = await project.client.request('POST', '/api/v1/monitors', { name: 'x', type: 'cost', channels: [{ type: 'webhook', url: 'ftp://x' }] })
    expect(badUrl.status).toBe(400)
    expect(badUrl.json.error).toMatch(/channels\.0\.url/)
    const tooOften = await project.client.request('POST', '/api/v1/monitors', { name: 'x', type: 'cost', evaluate_every_s: 1 })
    expect(tooOften.status).toBe(400)
    expect(tooOften.json.error).toMatch(/evaluate_every_s/)

    // Every type evaluates on the real engine without breaking (an empty project: nothing fires).
    const deadline = Date.now() + 60_000
    let listed: any[] = []
    while (Date.now() < deadline) {
      listed = (await project.client.request('GET', '/api/v1/monitors')).json.monitors
      if (listed.every((m: any) => m.evaluations > 0)) break
      await sleep(500)
    }
    expect(listed).toHaveLength(7)
    for (const monitor of listed) {
      expect(monitor.state, `${monitor.type}: ${monitor.last_error}`).toBe('ok')
      expect(monitor.last_error).toBeNull()
    }

    // Another project sees none of them, nor can it change one.
    expect((await other.client.request('GET', '/api/v1/monitors')).json.monitors).toEqual([])
    expect((await other.client.request('PATCH', `/api/v1/monitors/${listed[0].id}`, { enabled: false })).status).toBe(404)
    expect((await other.client.request('DELETE', `/api/v1/monitors/${listed[0].id}`)).status).toBe(404)

    // A viewer reads but cannot create.
    await createUser(server.url, { email: 'viewer@monitors.test', password: 'viewer-password-1', role: 'viewer', projects: [project.id] })
    const { cookie } = await login(server.url, 'viewer@monitors.test', 'viewer-password-1')
    const asViewer = (method: string, body?: unknown) =>
      fetch(`${server.url}/api/v1/monitors?project=${project.id}`, { method, headers: { Cookie: cookie!, 'Content-Type': 'application/json' }, body: body ? JSON.stringify(body) : undefined })
    expect((await asViewer('GET')).status).toBe(200)
    expect((await asViewer('POST', { name: 'x', type: 'cost' })).status).toBe(403)

    // PATCH edits; DELETE removes.
    const patched = await project.client.request('PATCH', `/api/v1/monitors/${listed[0].id}`, { muted: true, name: 'renamed' })
    expect(patched.json).toMatchObject({ muted: true, name: 'renamed' })
    expect((await project.client.request('DELETE', `/api/v1/monitors/${listed[0].id}`)).status).toBe(204)
    expect((await project.client.request('GET', `/api/v1/monitors/${listed[0].id}`)).status).toBe(404)
    // The evaluator runs monitors one after another: leave it to the next tests.
    for (const monitor of listed.slice(1)) expect((await project.client.request('DELETE', `/api/v1/monitors/${monitor.id}`)).status).toBe(204)
  })
})

describe('cache-thrash monitor on live traffic', () => {
  it('opens one incident naming the culprit, pages once on open and once on resolve, signed', async () => {
    const project = await createProject(server.url, 'live-thrash')
    const TENANTS = ['acme', 'globex', 'initech', 'brightpath']
    const BUCKET_S = 10
    // Three minutes of steady history (each tenant 1 call a second at ~80% hit rate), sent now.
    const now = Date.now()
    const history: unknown[] = []
    for (let t = now - 180_000; t < now; t += 1000) {
      for (const [i, tenant] of TENANTS.entries()) history.push(modelCall(t + i * 50, tenant, 0.78 + ((t / 1000 + i) % 5) * 0.01, `${tenant}-prompt-v1`))
    }
    await send(project.client, history)

    const created = await project.client.request('POST', '/api/v1/monitors', {
      name: 'Prompt cache thrash',
      type: 'cache_thrash',
      params: { bucket_s: BUCKET_S, window_s: 900, min_extra_cost_usd: 0.01 },
      channels: [
        { type: 'webhook', url: `${receiver.url}/thrash-json`, format: 'json' },
        { type: 'webhook', url: `${receiver.url}/thrash-slack`, format: 'slack' },
      ],
    })
    expect(created.status, JSON.stringify(created.json)).toBe(201)
    const monitor = created.json
    const [jsonSecret, slackSecret] = monitor.channels.map((c: { secret: string }) => c.secret)
    expect(jsonSecret).toMatch(/^whsec_/)
    expect(slackSecret).toMatch(/^whsec_/)
    // The secret is shown once: not in later answers.
    const read = await project.client.request('GET', `/api/v1/monitors/${monitor.id}`)
    expect(read.json.channels[0]).toEqual({ type: 'webhook', url: `${receiver.url}/thrash-json`, format: 'json' })

    // Live traffic: every second, each tenant's call at the current time.
    let phase = 'steady' as 'steady' | 'thrash'
    let thrashCalls = 0
    let pumping = true
    // The first thrash batch: when its calls start, and when the server acknowledged it (from then
    // on an evaluation can read it).
    let firstThrash: { stamped: number; acknowledged: number } | undefined
    const pump = (async () => {
      while (pumping) {
        const t = Date.now()
        const thrashing = phase === 'thrash'
        const spans: unknown[] = []
        for (const [i, tenant] of TENANTS.entries()) {
          if (thrashing && tenant === 'brightpath') {
            // The culprit: five times its traffic, a new system prompt on every call, no cache hits.
            for (let k = 0; k < 5; k++) spans.push(modelCall(t + k * 100, tenant, 0, `brightpath-onboarding-${++thrashCalls}`))
          } else spans.push(modelCall(t + i * 50, tenant, 0.78 + ((Math.floor(t / 1000) + i) % 5) * 0.01, `${tenant}-prompt-v1`))
        }
        await send(project.client, spans)
        if (thrashing && !firstThrash) firstThrash = { stamped: t, acknowledged: Date.now() }
        await sleep(1000 - (Date.now() - t))
      }
    })()

    try {
      // Steady live traffic for several evaluations: nothing fires.
      await sleep(3 * INTERVAL_S * 1000)
      const steady = (await project.client.request('GET', `/api/v1/monitors/${monitor.id}`)).json
      expect(steady.evaluations).toBeGreaterThanOrEqual(2)
      expect(steady.state).toBe('ok')
      expect(receiver.at('/thrash-json')).toHaveLength(0)

      // The onset. Each evaluation records its time (last_evaluated_at, the end of the window it
      // read) with its count, in the same update as the state; polling faster than the
      // evaluator runs sees every evaluation.
      const seen: Array<{ evaluations: number; at: number; state: string }> = []
      const poll = async () => {
        const m = (await project.client.request('GET', `/api/v1/monitors/${monitor.id}`)).json
        seen.push({ evaluations: m.evaluations, at: Date.parse(m.last_evaluated_at), state: m.state })
        return m
      }
      phase = 'thrash'
      const onset = Date.now()
      await poll()
      const deadline = Date.now() + 60_000
      while ((await poll()).state !== 'firing') {
        expect(Date.now()).toBeLessThan(deadline)
        await sleep(150)
      }
      // Evaluations that could read the thrash (their window ended after its first calls were
      // acknowledged), up to the one that opened the incident: at most two.
      const readable = firstThrash!.acknowledged
      const before = Math.max(...seen.filter((e) => e.at <= readable).map((e) => e.evaluations))
      const opening = seen.find((e) => e.state === 'firing')!
      console.log(
        `[monitors test] incident opened by evaluation ${opening.evaluations - before} after the thrash became readable ` +
          `(${readable - firstThrash!.stamped} ms after its first calls, ${firstThrash!.stamped - onset} ms after the onset); ` +
          `its window ended ${opening.at - readable} ms after that (interval ${INTERVAL_S} s)`,
      )
      expect(opening.evaluations - before).toBeLessThanOrEqual(2)
      await receiver.waitFor('incident.opened', () => receiver.at('/thrash-json').length >= 1, 30_000)
      const opened = receiver.at('/thrash-json')[0]
      console.log(`[monitors test] incident.opened arrived ${opened.at - onset} ms after the onset`)

      expect(opened.headers['x-flightline-event']).toBe('incident.opened')
      expect(opened.headers['x-flightline-signature']).toBe(hmac(jsonSecret, opened.raw))
      expect(opened.headers['x-flightline-signature']).not.toBe(hmac(slackSecret, opened.raw))
      expect(Object.keys(opened.body).sort()).toEqual(['event', 'incident', 'monitor'])
      expect(opened.body.monitor).toEqual({ id: monitor.id, name: 'Prompt cache thrash', type: 'cache_thrash' })
      const incident = opened.body.incident
      expect(Object.keys(incident).sort()).toEqual(['id', 'resolved_at', 'started_at', 'status', 'summary', 'suspect', 'threshold', 'url', 'value'])
      expect(incident.status).toBe('open')
      expect(incident.resolved_at).toBeNull()
      expect(incident.summary).toMatch(/^cache hit rate \d+(\.\d)?% → \d+(\.\d)?% since \d\d:\d\d; suspect tenant: brightpath; extra cost so far \$\d/)
      expect(incident.suspect).toEqual({ tenant: 'brightpath' })
      expect(incident.value).toBeLessThan(incident.threshold)
      expect(Date.parse(incident.started_at)).toBeGreaterThanOrEqual(Math.floor(onset / 10_000) * 10_000 - BUCKET_S * 1000)

      // Slack gets the same facts in its shape, signed with its own channel's secret.
      await receiver.waitFor('the slack copy', () => receiver.at('/thrash-slack').length >= 1, 10_000)
      const slack = receiver.at('/thrash-slack')[0]
      expect(slack.headers['x-flightline-signature']).toBe(hmac(slackSecret, slack.raw))
      expect(slack.body.text).toContain('brightpath')
      expect(slack.body.blocks.length).toBeGreaterThan(1)
      expect(JSON.stringify(slack.body.blocks)).toContain(incident.url)

      // The evidence link opens without signing in and shows the incident's window.
      const evidence = await fetch(incident.url)
      expect(evidence.status).toBe(200)
      const html = await evidence.text()
      const views = (await project.client.request('GET', '/api/v1/views')).json.views
      const view = views.find((v: any) => v.path === `/projects/${project.id}/analytics/cache`)
      expect(Date.parse(view.state.from)).toBeLessThan(Date.parse(incident.started_at))
      expect(Date.parse(view.state.to)).toBeGreaterThan(Date.parse(incident.started_at))
      expect(html).toMatch(/data-testid="shared-range"/)
      expect(html).toContain(resolveRange({ from: view.state.from, to: view.state.to }).label)

      // The incident is listed as open; more evaluations while it goes on send nothing more.
      const openList = (await project.client.request('GET', '/api/v1/incidents?status=open')).json.incidents
      expect(openList).toHaveLength(1)
      expect(openList[0]).toMatchObject({ id: incident.id, monitor: { id: monitor.id, type: 'cache_thrash' } })
      await sleep(2 * INTERVAL_S * 1000)
      expect(receiver.at('/thrash-json')).toHaveLength(1)

      // The thrash stops: one resolve, and nothing after it.
      phase = 'steady'
      await receiver.waitFor('incident.resolved', () => receiver.at('/thrash-json').length >= 2, 120_000)
      const resolved = receiver.at('/thrash-json')[1]
      expect(resolved.headers['x-flightline-event']).toBe('incident.resolved')
      expect(resolved.headers['x-flightline-signature']).toBe(hmac(jsonSecret, resolved.raw))
      expect(resolved.body.incident).toMatchObject({ id: incident.id, status: 'resolved', url: incident.url })
      expect(Date.parse(resolved.body.incident.resolved_at)).toBeGreaterThan(Date.parse(incident.started_at))
      await sleep(3 * INTERVAL_S * 1000)
      expect(receiver.at('/thrash-json').map((d) => d.body.event)).toEqual(['incident.opened', 'incident.resolved'])
      expect(receiver.at('/thrash-slack').map((d) => d.headers['x-flightline-event'])).toEqual(['incident.opened', 'incident.resolved'])

      expect((await project.client.request('GET', '/api/v1/incidents?status=open')).json.incidents).toHaveLength(0)
      const resolvedList = (await project.client.request('GET', '/api/v1/incidents?status=resolved')).json.incidents
      expect(resolvedList).toHaveLength(1)
      expect(resolvedList[0].id).toBe(incident.id)
      expect((await project.client.request('GET', '/api/v1/incidents?status=closed')).status).toBe(400)

      // Deleting the incident revokes its evidence link.
      expect((await project.client.request('DELETE', `/api/v1/incidents/${incident.id}`)).status).toBe(204)
      expect([404, 410]).toContain((await fetch(incident.url)).status)
    } finally {
      pumping = false
      await pump
    }
  }, 300_000)
})

describe('error_spike monitor', () => {
  it('names the failing retrieval tool, not the model', async () => {
    const project = await createProject(server.url, 'failing-tool')
    const now = Date.now()
    // Twenty minutes of an agent that calls its model and its knowledge-base tool, all healthy.
    const step = (t: number, toolFails: boolean) => {
      const id = (++seq).toString(16).padStart(12, '0')
      const trace = `cccc${id}cccc${id}`.slice(0, 32)
      return [
        { trace_id: trace, span_id: `a${id}`.slice(0, 16).padEnd(16, '0'), name: 'agent', kind: 'agent', start_time: iso(t), end_time: iso(t + 3000) },
        {
          trace_id: trace,
          span_id: `d${id}`.slice(0, 16).padEnd(16, '0'),
          parent_span_id: `a${id}`.slice(0, 16).padEnd(16, '0'),
          name: 'execute_tool search_knowledge_base',
          kind: 'tool',
          tool_name: 'search_knowledge_base',
          start_time: iso(t + 100),
          end_time: iso(t + (toolFails ? 2100 : 400)),
          status: toolFails ? 'error' : 'ok',
          ...(toolFails ? { error_type: 'TimeoutError', status_message: 'knowledge base timed out after 2000 ms' } : {}),
        },
        {
          trace_id: trace,
          span_id: `e${id}`.slice(0, 16).padEnd(16, '0'),
          parent_span_id: `a${id}`.slice(0, 16).padEnd(16, '0'),
          name: 'chat gpt-4o-mini',
          kind: 'llm',
          model_requested: 'gpt-4o-mini',
          start_time: iso(t + 2200),
          end_time: iso(t + 2900),
          input_tokens: 900,
          output_tokens: 120,
        },
      ]
    }
    const history: unknown[] = []
    // The history ends before the minute bucket the failures start in (they are stamped from 5 s
    // before they are sent), so the onset bucket holds only failing calls of the tool.
    const historyEnd = Math.floor((now - 10_000) / 60_000) * 60_000
    for (let t = now - 20 * 60_000; t < historyEnd; t += 10_000) history.push(...step(t, false))
    await send(project.client, history)

    const created = await project.client.request('POST', '/api/v1/monitors', {
      name: 'Component errors',
      type: 'error_spike',
      params: {},
      channels: [{ type: 'webhook', url: `${receiver.url}/components`, format: 'json' }],
    })
    expect(created.status, JSON.stringify(created.json)).toBe(201)

    // The tool starts failing; the model keeps answering.
    for (let k = 0; k < 4; k++) {
      const t = Date.now()
      await send(project.client, Array.from({ length: 10 }, (_, i) => step(t - 5000 + i * 400, true)).flat())
      await sleep(500)
    }
    await receiver.waitFor('the error_spike incident', () => receiver.at('/components').length >= 1, 60_000)
    const opened = receiver.at('/components')[0]
    expect(opened.body.event).toBe('incident.opened')
    expect(opened.headers['x-flightline-signature']).toBe(hmac(created.json.channels[0].secret, opened.raw))
    const incident = opened.body.incident
    expect(incident.suspect).toEqual({ component: 'search_knowledge_base', component_kind: 'tool' })
    expect(incident.summary).toMatch(/^search_knowledge_base: \d+% timeouts since \d\d:\d\d, was 0% \(tool\)$/)
    expect(incident.summary).not.toContain('gpt-4o-mini')
    // The error rate since the onset, against the rate before it.
    expect(incident.value).toBeGreaterThan(0.9)
    expect(incident.threshold).toBe(0)
  }, 180_000)
})

describe('a receiver that answers 500', () => {
  it('is retried with backoff and the monitor shows the failure', async () => {
    const project = await createProject(server.url, 'failing-receiver')
    const created = await project.client.request('POST', '/api/v1/monitors', {
      name: 'Spend',
      type: 'cost',
      channels: [{ type: 'webhook', url: `${receiver.url}/fail-spend`, format: 'json' }],
    })
    expect(created.status).toBe(201)
    const test = await project.client.request('POST', `/api/v1/monitors/${created.json.id}/test`)
    expect(test.status).toBe(200)
    expect(test.json.deliveries).toHaveLength(1)
    expect(test.json.deliveries[0]).toMatchObject({ delivered: false, error: 'HTTP 500: receiver is down' })

    // Retries: 2 s, then 4 s later.
    await receiver.waitFor('three attempts', () => receiver.at('/fail-spend').length >= 3, 60_000)
    const attempts = receiver.at('/fail-spend')
    expect(new Set(attempts.map((a) => a.headers['x-flightline-delivery'])).size).toBe(1)
    expect(attempts.every((a) => a.headers['x-flightline-event'] === 'monitor.test')).toBe(true)
    expect(attempts.every((a) => a.headers['x-flightline-signature'] === hmac(created.json.channels[0].secret, a.raw))).toBe(true)
    const gaps = [attempts[1].at - attempts[0].at, attempts[2].at - attempts[1].at]
    expect(gaps[0]).toBeGreaterThanOrEqual(1900)
    expect(gaps[1]).toBeGreaterThan(gaps[0])

    const monitor = (await project.client.request('GET', `/api/v1/monitors/${created.json.id}`)).json
    expect(monitor.deliveries.pending).toBe(1)
    expect(monitor.deliveries.last_failure).toMatchObject({ event: 'monitor.test', url: `${receiver.url}/fail-spend`, error: 'HTTP 500: receiver is down', gave_up: false })
    expect(monitor.deliveries.last_failure.attempts).toBeGreaterThanOrEqual(3)
    // Evaluation went on regardless.
    expect(monitor.evaluations).toBeGreaterThan(0)
    expect(monitor.state).toBe('ok')
  }, 120_000)
})
