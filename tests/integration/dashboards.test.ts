// The query engine and dashboards over real HTTP: planted spans of known counts, errors,
// durations, tokens, costs and scores per model and tenant come back exactly from
// POST /api/v1/query - grouped, bucketed, filtered, the rest pooled in `other` - and only for the
// caller's project. Hostile bodies (unknown fields, injection attempts, runaway ranges) get a 400
// naming the field. Dashboards are created, changed and deleted through the API, scoped to
// their project, saved as views and opened read-only through a share link.
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { ADMIN_TOKEN, createProject, type FlightlineClient } from '../harness'

const baseUrl = inject('baseUrl')
const HOUR = 3_600_000
const windowStart = Math.floor(Date.now() / HOUR) * HOUR - 30 * HOUR
const iso = (ms: number) => new Date(windowStart + ms).toISOString()
const range = { from: iso(0), to: iso(24 * HOUR) }

// A model of our own in the price table, so its calls are priced from known rates.
const PRICED = `planted-model-${Math.random().toString(36).slice(2, 8)}`
const RATES = { input: 2, cache_read: 0.5, output: 8 } // USD per 1M tokens

let ids = 0
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0')

type Span = Record<string, unknown>
interface Planted {
  model: string
  tenant: string
  hour: number
  durations: number[]
  errors: number
  cost?: number
  input: number
  output: number
  cacheRead: number
  feature?: string
  score?: number
}

/** Model calls, each its own trace (so a trace's score belongs to exactly one call). */
function calls(p: Planted): { spans: Span[]; scores: Span[] } {
  const spans: Span[] = []
  const scores: Span[] = []
  p.durations.forEach((ms, i) => {
    const trace = hex(++ids, 32)
    const start = p.hour * HOUR + i * 60_000
    spans.push({
      trace_id: trace,
      span_id: hex(++ids, 16),
      name: 'chat',
      kind: 'llm',
      start_time: iso(start),
      end_time: iso(start + ms),
      status: i < p.errors ? 'error' : 'ok',
      model_requested: p.model,
      tenant_id: p.tenant,
      input_tokens: p.input,
      output_tokens: p.output,
      cache_read_tokens: p.cacheRead,
      ...(p.cost !== undefined ? { cost_usd: p.cost } : {}),
      ...(p.feature ? { attributes: { 'app.feature': p.feature } } : {}),
    })
    if (p.score !== undefined) scores.push({ trace_id: trace, name: 'helpfulness', value: p.score, timestamp: iso(start + ms + 1000) })
  })
  return { spans, scores }
}

const range10 = (from: number, step: number, n: number) => Array.from({ length: n }, (_, i) => from + i * step)

// gpt-4o for acme: 10 calls in hour 2 (3 errors), 20 in hour 5 (2 errors); reported cost.
const ACME_A = calls({ model: 'gpt-4o', tenant: 'acme', hour: 2, durations: range10(100, 10, 10), errors: 3, cost: 0.01, input: 1000, output: 100, cacheRead: 500, feature: 'refunds', score: 0.8 })
const ACME_B = calls({ model: 'gpt-4o', tenant: 'acme', hour: 5, durations: range10(200, 10, 20), errors: 2, cost: 0.01, input: 1000, output: 100, cacheRead: 0, score: 0.6 })
// The priced model for globex: 5 calls in hour 5, no reported cost.
const GLOBEX = calls({ model: PRICED, tenant: 'globex', hour: 5, durations: [1000, 1000, 1000, 1000, 1000], errors: 0, input: 2000, output: 500, cacheRead: 400, score: 0.3 })
// A third tenant with one call, to be pooled in "other".
const INITECH = calls({ model: PRICED, tenant: 'initech', hour: 7, durations: [50], errors: 1, input: 10, output: 10, cacheRead: 0 })
const PRICED_CALL_COST = ((2000 - 400) * RATES.input + 400 * RATES.cache_read + 500 * RATES.output) / 1e6
const INITECH_COST = (10 * RATES.input + 10 * RATES.output) / 1e6

// Tool spans: not requests, so not counted unless a filter asks for them.
const TOOLS: Span[] = range10(0, 1, 4).map((i) => ({
  trace_id: hex(++ids, 32),
  span_id: hex(++ids, 16),
  name: 'refund',
  kind: 'tool',
  tool_name: 'refund',
  tenant_id: 'acme',
  start_time: iso(3 * HOUR + i * 1000),
  end_time: iso(3 * HOUR + i * 1000 + 300),
  status: i === 0 ? 'error' : 'ok',
}))

let project: { id: string; client: FlightlineClient }
let other: { id: string; client: FlightlineClient }

const query = (client: FlightlineClient, body: unknown) => client.request('POST', '/api/v1/query', body)
const q = (body: Record<string, unknown>) => query(project.client, { ...range, ...body })

beforeAll(async () => {
  project = await createProject(baseUrl, 'dashboards-it')
  other = await createProject(baseUrl, 'dashboards-other')
  const price = await fetch(`${baseUrl}/api/v1/prices/${PRICED}`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ provider: 'test', input_per_mtok: RATES.input, output_per_mtok: RATES.output, cache_read_per_mtok: RATES.cache_read, cache_write_per_mtok: 0 }),
  })
  expect(price.status, await price.text()).toBeLessThan(300)
  const all = [ACME_A, ACME_B, GLOBEX, INITECH]
  const sent = await project.client.sendSpans([...all.flatMap((c) => c.spans), ...TOOLS])
  expect(sent.status, JSON.stringify(sent.json)).toBe(200)
  const scored = await project.client.sendScores(all.flatMap((c) => c.scores))
  expect(scored.status, JSON.stringify(scored.json)).toBe(200)
  // The other project holds the same tenants and models: it must never show up in project's answers.
  const mirror = calls({ model: 'gpt-4o', tenant: 'acme', hour: 2, durations: range10(5000, 10, 7), errors: 7, cost: 5, input: 9, output: 9, cacheRead: 9 })
  expect((await other.client.sendSpans(mirror.spans)).status).toBe(200)
})

describe('POST /api/v1/query: each metric exactly', () => {
  it('counts requests (model calls), not tool spans, per model and per hour', async () => {
    const total = await q({ metric: 'count' })
    expect(total.status, JSON.stringify(total.json)).toBe(200)
    expect(total.json.series).toEqual([{ group: null, total: 36 }])
    expect(total.json.other).toBeNull()

    const byModel = await q({ metric: 'count', group_by: 'model', bucket: 3600 })
    expect(byModel.status).toBe(200)
    expect(byModel.json.series.map((s: any) => [s.group, s.total])).toEqual([['gpt-4o', 30], [PRICED, 6]])
    const gpt = byModel.json.series[0]
    expect(gpt.points).toHaveLength(24)
    expect(gpt.points[2]).toEqual({ t: iso(2 * HOUR), value: 10 })
    expect(gpt.points[5]).toEqual({ t: iso(5 * HOUR), value: 20 })
    expect(gpt.points.reduce((sum: number, p: any) => sum + p.value, 0)).toBe(30)
    expect(byModel.json.series[1].points[7].value).toBe(1)
  })

  it('error rate per tenant, and the tenants beyond the limit pooled in other', async () => {
    const answer = await q({ metric: 'error_rate', group_by: 'tenant_id', limit: 2 })
    expect(answer.status).toBe(200)
    // Ordered by total: initech 1/1, acme 5/30, globex 0/5 -> globex is the rest.
    expect(answer.json.series).toEqual([
      { group: 'initech', total: 1 },
      { group: 'acme', total: 5 / 30 },
    ])
    expect(answer.json.other).toEqual({ groups: 1, total: 0 })
  })

  it('p50/p95/p99 of durations within the engine quantile error', async () => {
    const acme = [...range10(100, 10, 10), ...range10(200, 10, 20)].sort((a, b) => a - b)
    const exact = (p: number) => acme[Math.min(acme.length - 1, Math.floor(p * acme.length))]
    for (const [metric, p] of [['p50_ms', 0.5], ['p95_ms', 0.95], ['p99_ms', 0.99]] as const) {
      const answer = await q({ metric, filters: { tenant_id: 'acme' } })
      expect(answer.status).toBe(200)
      expect(Math.abs(answer.json.series[0].total - exact(p)), `${metric}: ${answer.json.series[0].total} vs ${exact(p)}`).toBeLessThanOrEqual(15)
    }
    const globex = await q({ metric: 'p95_ms', filters: { tenant_id: 'globex' } })
    expect(globex.json.series[0].total).toBe(1000)
  })

  it('cost: reported where the span has it, else tokens at the price table', async () => {
    const answer = await q({ metric: 'cost_usd', group_by: 'tenant_id' })
    expect(answer.status).toBe(200)
    const totals = Object.fromEntries(answer.json.series.map((s: any) => [s.group, s.total]))
    expect(totals.acme).toBeCloseTo(0.3, 9)
    expect(totals.globex).toBeCloseTo(5 * PRICED_CALL_COST, 12)
    expect(totals.initech).toBeCloseTo(INITECH_COST, 12)
    expect(answer.json.unit).toBe('usd')
  })

  it('token sums and the token-weighted cache hit rate', async () => {
    const input = await q({ metric: 'input_tokens', group_by: 'model' })
    expect(input.json.series.map((s: any) => [s.group, s.total])).toEqual([['gpt-4o', 30_000], [PRICED, 10_010]])
    const output = await q({ metric: 'output_tokens' })
    expect(output.json.series[0].total).toBe(30 * 100 + 5 * 500 + 10)
    const hit = await q({ metric: 'cache_hit_rate', group_by: 'tenant_id' })
    const rates = Object.fromEntries(hit.json.series.map((s: any) => [s.group, s.total]))
    expect(rates.acme).toBeCloseTo((10 * 500) / 30_000, 12)
    expect(rates.globex).toBeCloseTo(400 / 2000, 12)
    expect(rates.initech).toBe(0)
  })

  it('mean score per model, bucketed by the scored call', async () => {
    const answer = await q({ metric: 'score_mean', score_name: 'helpfulness', group_by: 'model', bucket: 3600 })
    expect(answer.status, JSON.stringify(answer.json)).toBe(200)
    const gpt = answer.json.series.find((s: any) => s.group === 'gpt-4o')
    expect(gpt.total).toBeCloseTo((10 * 0.8 + 20 * 0.6) / 30, 12)
    expect(gpt.points[2].value).toBeCloseTo(0.8, 12)
    expect(gpt.points[5].value).toBeCloseTo(0.6, 12)
    expect(gpt.points[3].value).toBeNull()
    expect(answer.json.series.find((s: any) => s.group === PRICED).total).toBeCloseTo(0.3, 12)
  })

  it('a score counts once for every model its trace used', async () => {
    const own = await createProject(baseUrl, 'dashboards-scores')
    const span = (trace: string, id: string, model: string, at: number) => ({ trace_id: trace, span_id: id, name: 'chat', kind: 'llm', model_requested: model, start_time: iso(at), end_time: iso(at + 500) })
    expect((await own.client.sendSpans([span('a1', 's1', 'big', HOUR), span('a1', 's2', 'guard', HOUR + 1000), span('b1', 's3', 'guard', 2 * HOUR)])).status).toBe(200)
    expect((await own.client.sendScores([{ trace_id: 'a1', name: 'quality', value: 1, timestamp: iso(HOUR + 5000) }, { trace_id: 'b1', name: 'quality', value: 0, timestamp: iso(2 * HOUR + 5000) }])).status).toBe(200)
    const byModel = await query(own.client, { ...range, metric: 'score_mean', score_name: 'quality', group_by: 'model' })
    expect(byModel.json.series).toEqual([
      { group: 'big', total: 1 },
      { group: 'guard', total: 0.5 },
    ])
    const overall = await query(own.client, { ...range, metric: 'score_mean', score_name: 'quality' })
    expect(overall.json.series).toEqual([{ group: null, total: 0.5 }])
  })

  it('filters: status, kind with tool name, attributes; and group by an attribute', async () => {
    expect((await q({ metric: 'count', filters: { status: 'error' } })).json.series[0].total).toBe(6)
    expect((await q({ metric: 'count', filters: { kind: 'tool', tool_name: 'refund' } })).json.series[0].total).toBe(4)
    expect((await q({ metric: 'error_rate', filters: { kind: 'tool' } })).json.series[0].total).toBe(0.25)
    expect((await q({ metric: 'count', filters: { attributes: { 'app.feature': 'refunds' } } })).json.series[0].total).toBe(10)
    const byFeature = await q({ metric: 'count', group_by: 'attribute:app.feature' })
    expect(byFeature.json.series).toEqual([
      { group: '', total: 26 },
      { group: 'refunds', total: 10 },
    ])
    const byKind = await q({ metric: 'count', group_by: 'kind' })
    expect(byKind.json.series).toEqual([
      { group: 'llm', total: 36 },
      { group: 'tool', total: 4 },
    ])
  })

  it("isolation: another project's key sees none of it", async () => {
    const mine = await query(other.client, { ...range, metric: 'count', group_by: 'tenant_id' })
    expect(mine.status).toBe(200)
    expect(mine.json.series).toEqual([{ group: 'acme', total: 7 }])
    const theirs = await query(other.client, { ...range, metric: 'cost_usd', filters: { tenant_id: 'globex' } })
    expect(theirs.json.series).toEqual([])
  })
})

describe('POST /api/v1/query: hostile input', () => {
  const bad = async (body: unknown, field: RegExp) => {
    const answer = await query(project.client, body)
    expect(answer.status, JSON.stringify(answer.json)).toBe(400)
    expect(answer.json.error).toMatch(field)
  }

  it('names the bad field', async () => {
    await bad({ ...range, metric: 'count', sql: 'SELECT 1' }, /unknown field 'sql'/)
    await bad({ ...range, metric: 'count', filters: { tenant: 'acme' } }, /^filters: unknown field 'tenant'/)
    await bad({ ...range, metric: 'sum(cost_usd)' }, /^metric: must be one of/)
    await bad({ ...range, metric: 'count', group_by: 'tenant_id; DROP TABLE spans' }, /^group_by: must be one of/)
    await bad({ ...range, metric: 'count', group_by: 'user_id' }, /^group_by:/)
    await bad({ ...range, metric: 'count', filters: { kind: "llm' OR 1=1" } }, /^filters\.kind: must be one of/)
    await bad({ ...range, metric: 'count', bucket: 60 }, /^bucket: makes 1440 buckets/)
    await bad({ ...range, metric: 'count', bucket: 1.5 }, /^bucket:/)
    await bad({ ...range, metric: 'count', limit: 1000 }, /^limit: must be at most 50/)
    await bad({ from: '2020-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z', metric: 'count' }, /^from: the range may span at most 92 days/)
    await bad({ ...range, metric: 'score_mean' }, /^score_name: is required/)
    await bad({ ...range, metric: 'count', score_name: 'x' }, /^score_name: is only for/)
    await bad({ ...range, metric: 'count', filters: { attributes: Object.fromEntries(range10(0, 1, 11).map((i) => [`k${i}`, 'v'])) } }, /^filters\.attributes: at most 10/)
    await bad('not json', /not valid JSON/)
  })

  it('treats injection attempts in values, keys and names as plain data', async () => {
    const attempts = ["acme' OR '1'='1", "x') UNION ALL SELECT project_id FROM spans --", '{project_id:String}', "\\'; DROP TABLE spans; --"]
    for (const attempt of attempts) {
      const byTenant = await q({ metric: 'count', filters: { tenant_id: attempt } })
      expect(byTenant.status, JSON.stringify(byTenant.json)).toBe(200)
      expect(byTenant.json.series).toEqual([])
      const byAttribute = await q({ metric: 'count', group_by: `attribute:${attempt}`, filters: { attributes: { [attempt]: attempt } } })
      expect(byAttribute.status).toBe(200)
      expect(byAttribute.json.series).toEqual([])
      const byScore = await q({ metric: 'score_mean', score_name: attempt })
      expect(byScore.status).toBe(200)
      expect(byScore.json.series).toEqual([])
    }
    // Still all there.
    expect((await q({ metric: 'count' })).json.series[0].total).toBe(36)
  })

  it('refuses callers without a key', async () => {
    const response = await fetch(`${baseUrl}/api/v1/query`, { method: 'POST', body: JSON.stringify({ metric: 'count' }) })
    expect(response.status).toBe(401)
  })
})

const widget = (overrides: Record<string, unknown> = {}) => ({
  title: 'Errors by tenant',
  query: { metric: 'error_rate', group_by: 'tenant_id', bucket: 3600 },
  chart: 'line',
  layout: { x: 0, y: 0, w: 6, h: 4 },
  ...overrides,
})

describe('dashboards API', () => {
  it('creates, lists, reads, changes and deletes a dashboard of the project', async () => {
    const created = await project.client.request('POST', '/api/v1/dashboards', { name: 'On-call', widgets: [widget()] })
    expect(created.status, JSON.stringify(created.json)).toBe(201)
    expect(created.json).toMatchObject({ name: 'On-call', project_id: project.id, widgets: [widget()] })
    const id = created.json.id

    const list = await project.client.request('GET', '/api/v1/dashboards')
    expect(list.json.dashboards.map((d: any) => d.id)).toContain(id)
    expect((await project.client.request('GET', `/api/v1/dashboards/${id}`)).json.name).toBe('On-call')

    const cost = widget({ title: 'Cost by model', query: { metric: 'cost_usd', group_by: 'model' }, chart: 'bar', layout: { x: 6, y: 0, w: 6, h: 4 } })
    const patched = await project.client.request('PATCH', `/api/v1/dashboards/${id}`, { name: 'On-call (refunds)', widgets: [widget(), cost] })
    expect(patched.status, JSON.stringify(patched.json)).toBe(200)
    expect(patched.json.widgets).toHaveLength(2)
    expect(patched.json.name).toBe('On-call (refunds)')

    expect((await project.client.request('DELETE', `/api/v1/dashboards/${id}`)).status).toBe(204)
    expect((await project.client.request('GET', `/api/v1/dashboards/${id}`)).status).toBe(404)
  })

  it('refuses bad dashboards, naming the field', async () => {
    const bad = async (body: unknown, field: RegExp) => {
      const answer = await project.client.request('POST', '/api/v1/dashboards', body)
      expect(answer.status, JSON.stringify(answer.json)).toBe(400)
      expect(answer.json.error).toMatch(field)
    }
    await bad({ name: '', widgets: [] }, /^name: must not be empty/)
    await bad({ name: 'x', widgets: [widget({ chart: 'pie' })] }, /^widgets\.0\.chart: must be one of/)
    await bad({ name: 'x', widgets: [widget({ layout: { x: 8, y: 0, w: 6, h: 4 } })] }, /^widgets\.0\.layout\.w: x \+ w must be at most 12/)
    await bad({ name: 'x', widgets: [widget({ query: { metric: 'count', group_by: 'password' } })] }, /^widgets\.0\.query\.group_by:/)
    await bad({ name: 'x', widgets: [widget({ query: { metric: 'count', filters: { nope: 1 } } })] }, /^widgets\.0\.query\.filters: unknown field 'nope'/)
    await bad({ name: 'x', widgets: [], owner: 'me' }, /unknown field 'owner'/)
  })

  it("keeps dashboards in their project: another project's key cannot read, change or delete them", async () => {
    const created = await project.client.request('POST', '/api/v1/dashboards', { name: 'Private', widgets: [widget()] })
    const id = created.json.id
    expect((await other.client.request('GET', `/api/v1/dashboards/${id}`)).status).toBe(404)
    expect((await other.client.request('PATCH', `/api/v1/dashboards/${id}`, { name: 'pwned' })).status).toBe(404)
    expect((await other.client.request('DELETE', `/api/v1/dashboards/${id}`)).status).toBe(404)
    expect((await other.client.request('GET', '/api/v1/dashboards')).json.dashboards.map((d: any) => d.id)).not.toContain(id)
    expect((await project.client.request('GET', `/api/v1/dashboards/${id}`)).json.name).toBe('Private')
    // Nor save it as a view of theirs.
    const view = await other.client.request('POST', '/api/v1/views', { name: 'x', path: `/projects/${other.id}/dashboards/${id}`, state: {} })
    expect(view.status).toBe(400)
    expect(view.json.error).toMatch(/no dashboard of this project/)
  })

  it('serves the three starting dashboards, each valid as a dashboard', async () => {
    const templates = await project.client.request('GET', '/api/v1/dashboards/templates')
    expect(templates.json.templates.map((t: any) => t.id)).toEqual(['on-call', 'cost', 'quality'])
    for (const template of templates.json.templates) {
      const copy = await project.client.request('POST', '/api/v1/dashboards', { name: template.name, widgets: template.widgets })
      expect(copy.status, JSON.stringify(copy.json)).toBe(201)
    }
  })

  it('a dashboard saved as a view opens read-only through its share link, without login', async () => {
    const created = await project.client.request('POST', '/api/v1/dashboards', { name: 'Shared board', widgets: [widget({ title: 'Requests by model', query: { metric: 'count', group_by: 'model' }, chart: 'table' })] })
    const view = await project.client.request('POST', '/api/v1/views', { name: 'Shared board', path: `/projects/${project.id}/dashboards/${created.json.id}`, state: range })
    expect(view.status, JSON.stringify(view.json)).toBe(201)
    const share = await project.client.request('POST', `/api/v1/views/${view.json.id}/share`, {})
    expect(share.status).toBe(201)
    const page = await fetch(share.json.url.startsWith('http') ? share.json.url : `${baseUrl}${share.json.url}`)
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('Requests by model')
    expect(html).toContain('shared view · read-only')
    expect(html).toContain(PRICED)
    expect(html).not.toContain('Edit dashboard')
  })
})
