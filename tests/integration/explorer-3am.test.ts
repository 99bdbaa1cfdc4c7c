// The explorer's numbers and links against the real server: one cost for a trace everywhere
// (list, sort, filter, trace summary, analytics), the list's root name, service, first error,
// total count and histogram input; a shared traces list opening only its own traces; the 403
// and 404 pages and the favicon.
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { ADMIN_EMAIL, ADMIN_PASSWORD, createProject, createUser, FlightlineClient, login } from '../harness'

const baseUrl = inject('baseUrl')
let client: FlightlineClient
let projectId: string
let apiKey: string
const at = (minutesAgo: number, plusMs = 0) => new Date(Date.now() - minutesAgo * 60_000 + plusMs).toISOString()
const hourAgo = () => at(60)

// gpt-4o at $2.5 / $1.25 cached / $10 per 1M tokens: 200 uncached + 1000 cached in, 300 out.
const ESTIMATED = (200 * 2.5 + 1000 * 1.25 + 300 * 10) / 1e6 // 0.00475

beforeAll(async () => {
  const project = await createProject(baseUrl)
  client = project.client
  projectId = project.id
  apiKey = project.api_key
  const sent = await client.sendSpans([
    // Tokens, no cost: priced from the price table.
    { trace_id: 'priced-a', span_id: 'root', name: 'answer-question', kind: 'agent', start_time: at(10), end_time: at(10, 1500), status: 'ok', tenant_id: 'acme', resource: { 'service.name': 'helpdesk-api' } },
    { trace_id: 'priced-a', span_id: 'call', parent_span_id: 'root', name: 'chat gpt-4o', kind: 'llm', start_time: at(10, 100), end_time: at(10, 1300), model_requested: 'gpt-4o', input_tokens: 1200, output_tokens: 300, cache_read_tokens: 1000, tenant_id: 'acme' },
    // A reported cost that is smaller than trace a's estimate.
    { trace_id: 'reported-b', span_id: 'root', name: 'triage', kind: 'agent', start_time: at(20), end_time: at(20, 900), tenant_id: 'acme', resource: { 'service.name': 'triage-worker' } },
    { trace_id: 'reported-b', span_id: 'call', parent_span_id: 'root', name: 'chat gpt-4o', kind: 'llm', start_time: at(20, 10), end_time: at(20, 800), model_requested: 'gpt-4o', input_tokens: 10, output_tokens: 10, cost_usd: 0.001, tenant_id: 'acme' },
    // Failing: the tool fails first; the root fails when it ends, later. The tool's is the first error.
    { trace_id: 'failing-c', span_id: 'root', name: 'refund', kind: 'agent', start_time: at(30), end_time: at(30, 3000), status: 'error', status_message: 'agent gave up', tenant_id: 'globex' },
    { trace_id: 'failing-c', span_id: 'tool', parent_span_id: 'root', name: 'call refund-api', kind: 'tool', start_time: at(30, 5), end_time: at(30, 2000), status: 'error', error_type: 'timeout', status_message: 'refund-api timed out after 2s', tenant_id: 'globex' },
  ])
  expect(sent.status, JSON.stringify(sent.json)).toBe(200)
})

async function list(query: Record<string, string> = {}) {
  const response = await client.listTraces({ from: hourAgo(), ...query })
  expect(response.status, JSON.stringify(response.json)).toBe(200)
  return response.json as { traces: any[]; total: number; next_cursor: string | null }
}

describe('one cost for a trace', () => {
  it('prices a call that reports tokens but no cost from the price table, the same in the list, the trace summary and the analytics', async () => {
    const { traces } = await list()
    const priced = traces.find((t) => t.trace_id === 'priced-a')
    expect(priced.cost_usd).toBeCloseTo(ESTIMATED, 9)
    expect(priced).toMatchObject({ estimated_cost_calls: 1, unpriced_cost_calls: 0 })
    expect(traces.find((t) => t.trace_id === 'reported-b')).toMatchObject({ cost_usd: 0.001, estimated_cost_calls: 0 })

    const detail = await client.getTrace('priced-a')
    expect(detail.json.summary.cost_usd).toBeCloseTo(ESTIMATED, 9)
    expect(detail.json.summary.estimated_cost_calls).toBe(1)

    const overview = await client.request('GET', `/api/v1/analytics/overview?${new URLSearchParams({ from: at(11), to: at(9) })}`)
    expect(overview.status, JSON.stringify(overview.json)).toBe(200)
    const analyticsCost = (overview.json.series as { cost_usd: number }[]).reduce((sum, point) => sum + point.cost_usd, 0)
    expect(analyticsCost).toBeCloseTo(ESTIMATED, 9)
  })

  it('sorts and filters by that cost', async () => {
    const sorted = await list({ sort: 'cost' })
    expect(sorted.traces.map((t) => t.trace_id)).toEqual(['priced-a', 'reported-b', 'failing-c'])
    const costly = await list({ min_cost: '0.002' })
    expect(costly.traces.map((t) => t.trace_id)).toEqual(['priced-a'])
    expect(costly.total).toBe(1)
    const bad = await client.listTraces({ from: hourAgo(), min_cost: 'lots' })
    expect(bad.status).toBe(400)
    expect(JSON.stringify(bad.json)).toContain('min_cost')
  })
})

describe('the list row', () => {
  it('names the root span and the service apart, gives the first error and the total count', async () => {
    const { traces, total } = await list({ limit: '1' })
    expect(total).toBe(3)
    expect(traces).toHaveLength(1)
    const all = (await list()).traces
    expect(all.find((t) => t.trace_id === 'priced-a')).toMatchObject({ name: 'answer-question', service_name: 'helpdesk-api', first_error: null })
    expect(all.find((t) => t.trace_id === 'failing-c').first_error).toEqual({ type: 'timeout', message: 'refund-api timed out after 2s', span_name: 'call refund-api' })
  })
})

describe('a shared traces list', () => {
  it('opens the traces within its filters and range, read-only, and no other', async () => {
    const view = await client.request('POST', '/api/v1/views', { name: 'acme now', path: `/projects/${projectId}/traces`, state: { tenant_id: 'acme', from: hourAgo(), to: at(-1) } })
    expect(view.status, JSON.stringify(view.json)).toBe(201)
    const share = await client.request('POST', `/api/v1/views/${view.json.id}/share`, {})
    const token: string = share.json.token
    const listPage = await fetch(`${baseUrl}/s/${token}`)
    const html = await listPage.text()
    expect(listPage.status).toBe(200)
    expect(html).toContain(`/s/${token}/traces/priced-a`)
    expect(html).toContain('data-testid="shared-filters"')
    const inList = await fetch(`${baseUrl}/s/${token}/traces/priced-a`)
    expect(inList.status).toBe(200)
    expect(await inList.text()).toContain('answer-question')
    // globex's trace is outside the view's filter: it does not exist for this link.
    expect((await fetch(`${baseUrl}/s/${token}/traces/failing-c`)).status).toBe(404)
    expect((await fetch(`${baseUrl}/s/not-a-token/traces/priced-a`)).status).toBe(404)
  })
})

describe('an empty range in a project with data', () => {
  it('says when the newest trace started and links to the 24 hours up to it', async () => {
    const cookie = (await login(baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD)).cookie!
    const from = new Date(Date.now() + 2 * 86_400_000).toISOString()
    const to = new Date(Date.now() + 3 * 86_400_000).toISOString()
    const page = await fetch(`${baseUrl}/projects/${projectId}/traces?${new URLSearchParams({ from, to })}`, { headers: { cookie } })
    const html = await page.text()
    expect(page.status).toBe(200)
    expect(html).toContain('data-testid="latest-data"')
    expect(html).toContain('Show the 24 hours up to it')
  })
})

describe('pages around the product', () => {
  it('answers a viewer on /admin with a 403 page in the app frame, an unknown page with a 404 page, and serves /favicon.ico', async () => {
    const email = `viewer-${Date.now()}@x.test`
    await createUser(baseUrl, { email, password: 'viewer-password', role: 'viewer', projects: [projectId] })
    const cookie = (await login(baseUrl, email, 'viewer-password')).cookie!
    const admin = await fetch(`${baseUrl}/admin`, { headers: { cookie } })
    expect(admin.status).toBe(403)
    const adminHtml = await admin.text()
    expect(adminHtml).toContain('status-403')
    expect(adminHtml).toContain('Go to your projects')
    const missing = await fetch(`${baseUrl}/no-such-page`, { headers: { cookie } })
    expect(missing.status).toBe(404)
    expect(await missing.text()).toContain('status-404')
    const icon = await fetch(`${baseUrl}/favicon.ico`)
    expect(icon.status).toBe(200)
    expect(icon.headers.get('content-type')).toContain('icon')
    expect(apiKey).toBeTruthy()
  })
})
