// The analytics endpoints end to end: planted traffic goes in through the ingest API, the
// rollups fill from it, and each endpoint answers the documented shape with the planted facts
// (an incident at its hour naming its culprit, switchers counted exactly, eval hours apart from
// peak hours), for the caller's project only. The price table is read and edited by the admin.
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { findPrice } from '@/lib/pricing/seed-prices'
import { ADMIN_TOKEN, createProject, type FlightlineClient } from '../harness'

const baseUrl = inject('baseUrl')
const HOUR = 3_600_000

/** A window of 24 whole hours that ended at least 6 hours ago. */
const windowStart = Math.floor(Date.now() / HOUR) * HOUR - 30 * HOUR
const at = (hour: number, minute = 0, second = 0) => new Date(windowStart + hour * HOUR + minute * 60_000 + second * 1000)
const iso = (date: Date) => date.toISOString()
const range = { from: iso(at(0)), to: iso(at(24)) }

type PlantedSpan = { trace_id: string; span_id: string; start_time: string; end_time: string; [field: string]: unknown }

let traceCounter = 0
function modelCall(fields: Record<string, unknown> & { start: Date; duration_ms?: number }): PlantedSpan {
  const { start, duration_ms = 800, ...rest } = fields
  const trace = `t${(++traceCounter).toString(16).padStart(8, '0')}`
  return {
    trace_id: trace,
    span_id: `${trace}-llm`,
    name: 'chat',
    kind: 'llm',
    start_time: iso(start),
    end_time: iso(new Date(start.getTime() + duration_ms)),
    model_requested: 'gpt-4o',
    input_tokens: 1000,
    output_tokens: 100,
    ...rest,
  }
}

async function send(client: FlightlineClient, spans: unknown[]) {
  for (let i = 0; i < spans.length; i += 2000) {
    const response = await client.sendSpans(spans.slice(i, i + 2000))
    expect(response.status, JSON.stringify(response.json)).toBe(200)
  }
}

const get = (client: FlightlineClient, path: string, query: Record<string, string>) => client.request('GET', `${path}?${new URLSearchParams(query)}`)

const adminFetch = (method: string, path: string, body?: unknown, token = ADMIN_TOKEN) =>
  fetch(`${baseUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })

describe('cache-thrash timeline', () => {
  const TENANTS = ['acme', 'globex', 'initech', 'hooli']
  let project: Awaited<ReturnType<typeof createProject>>
  let other: Awaited<ReturnType<typeof createProject>>
  let planted: PlantedSpan[]

  beforeAll(async () => {
    project = await createProject(baseUrl, 'cache-thrash')
    other = await createProject(baseUrl, 'cache-other')
    planted = []
    // 24 hours of 4 tenants at a steady 80% hit rate; from 17:00 to 19:00 (2 hours) 'initech'
    // sends 4x its traffic with a new system prompt per request, and everyone's hit rate falls.
    for (let hour = 0; hour < 24; hour++) {
      const thrash = hour === 17 || hour === 18
      for (const tenant of TENANTS) {
        const culprit = thrash && tenant === 'initech'
        const requests = culprit ? 20 : 5
        for (let r = 0; r < requests; r++) {
          const input = 2000
          const rate = culprit ? 0 : thrash ? 0.1 : 0.8 + (((hour * 7 + r) % 5) - 2) * 0.01
          planted.push(
            modelCall({
              start: at(hour, r * 2 + 1),
              tenant_id: tenant,
              user_id: `${tenant}-u${r % 3}`,
              input_tokens: input,
              cache_read_tokens: Math.round(input * rate),
              system_prompt_hash: culprit ? `onboarding-${hour}-${r}` : `${tenant}-prompt-v1`,
              // A reported cost wins over the price table.
              ...(tenant === 'hooli' && hour === 3 ? { cost_usd: 0.5 } : {}),
            }),
          )
        }
      }
    }
    await send(project.client, planted)
    await send(other.client, [modelCall({ start: at(5), tenant_id: 'someone-else', cache_read_tokens: 10 })])
  })

  it('finds the planted incident at its time and names the culprit', async () => {
    const { status, json } = await get(project.client, '/api/v1/analytics/cache', { ...range, bucket: '3600' })
    expect(status).toBe(200)
    expect(Object.keys(json).sort()).toEqual(['bucket_seconds', 'incidents', 'min_extra_cost_usd', 'overall', 'tenants'])
    expect(json.bucket_seconds).toBe(3600)
    expect(json.overall).toHaveLength(24)
    expect(json.incidents).toHaveLength(1)
    const [incident] = json.incidents
    expect(Object.keys(incident).sort()).toEqual(['baseline_hit_rate', 'end', 'evidence', 'extra_cost_usd', 'hit_rate', 'start', 'suspect_tenant_id'])
    // Its evidence: the 2 x 35 calls of the thrash against the 12 hours before (4 x 5 calls each).
    expect(incident.evidence).toMatchObject({ calls: 70, input_tokens: 140_000, baseline_calls: 240, baseline_input_tokens: 480_000 })
    expect(incident.evidence.p_value).toBeLessThan(incident.evidence.alpha)
    expect(incident.start).toBe(iso(at(17)))
    expect(incident.end).toBe(iso(at(19)))
    expect(incident.suspect_tenant_id).toBe('initech')
    expect(incident.baseline_hit_rate).toBeGreaterThan(0.78)
    expect(incident.baseline_hit_rate).toBeLessThan(0.82)
    // During the thrash: 3 tenants x 5 x 200 read of 2 hours x (15 + 20) x 2000 input.
    expect(incident.hit_rate).toBeCloseTo((2 * 15 * 200) / (2 * 35 * 2000), 6)
    // Lost hits: baseline rate x input - reads, each worth gpt-4o's input minus cache-read price.
    const price = findPrice('gpt-4o')!
    const lost = incident.baseline_hit_rate * 2 * 35 * 2000 - 2 * 15 * 200
    expect(incident.extra_cost_usd).toBeCloseTo((lost * (price.input_per_mtok - price.cache_read_per_mtok)) / 1e6, 9)
  })

  it('answers token-weighted hit rates, volumes and costs per tenant and for the organisation', async () => {
    const { json } = await get(project.client, '/api/v1/analytics/cache', { ...range, bucket: '3600' })
    const at17 = json.overall.find((p: { t: string }) => p.t === iso(at(17)))
    expect(at17).toMatchObject({ requests: 35, input_tokens: 70_000, cache_read_tokens: 3000 })
    expect(at17.hit_rate).toBeCloseTo(3000 / 70_000, 10)
    expect(json.tenants.map((t: { tenant_id: string }) => t.tenant_id).sort()).toEqual([...TENANTS].sort())
    const hooli = json.tenants.find((t: { tenant_id: string }) => t.tenant_id === 'hooli')
    expect(hooli.points).toHaveLength(24)
    const price = findPrice('gpt-4o')!
    const priced = (calls: PlantedSpan[]) =>
      calls.reduce((sum, c) => {
        const read = Number(c.cache_read_tokens)
        return sum + (((2000 - read) * price.input_per_mtok + read * price.cache_read_per_mtok + 100 * price.output_per_mtok) / 1e6)
      }, 0)
    const hooliAt = (hour: number) => hooli.points.find((p: { t: string }) => p.t === iso(at(hour)))
    expect(hooliAt(3).cost_usd).toBeCloseTo(5 * 0.5, 9)
    const hooliCalls4 = planted.filter((c) => c.tenant_id === 'hooli' && c.start_time >= iso(at(4)) && c.start_time < iso(at(5)))
    expect(hooliAt(4).cost_usd).toBeCloseTo(priced(hooliCalls4), 9)
  })

  it('reads whole blocks from the rollups and the edges from spans, with the same totals as spans alone', async () => {
    // bucket=300 is finer than the rollups' 15-minute blocks: every row comes from spans.
    const fromSpans = await get(project.client, '/api/v1/analytics/cache', { ...range, bucket: '300' })
    // An unaligned range: partial blocks at both ends come from spans, the rest from the rollup.
    const unaligned = { from: iso(at(0, 7)), to: iso(at(23, 52)) }
    const mixed = await get(project.client, '/api/v1/analytics/cache', { ...unaligned, bucket: '3600' })
    const raw = await get(project.client, '/api/v1/analytics/cache', { ...unaligned, bucket: '300' })
    const total = (points: Array<Record<string, number>>, key: string) => points.reduce((sum, p) => sum + p[key], 0)
    for (const key of ['requests', 'input_tokens', 'cache_read_tokens']) {
      expect(total(fromSpans.json.overall, key)).toBe(planted.reduce((sum, c) => sum + (key === 'requests' ? 1 : Number((c as Record<string, unknown>)[key] ?? 0)), 0))
      expect(total(mixed.json.overall, key)).toBe(total(raw.json.overall, key))
    }
    expect(total(mixed.json.overall, 'cost_usd')).toBeCloseTo(total(raw.json.overall, 'cost_usd'), 9)
    expect(total(mixed.json.overall, 'requests')).toBe(planted.filter((c) => c.start_time >= unaligned.from && c.start_time < unaligned.to).length)
  })

  it('chooses a bucket from the range when none is given', async () => {
    const { json } = await get(project.client, '/api/v1/analytics/cache', range)
    expect(json.bucket_seconds).toBe(900)
    expect(json.overall).toHaveLength(96)
  })

  it('shows a project nothing of another project', async () => {
    const { json } = await get(other.client, '/api/v1/analytics/cache', { ...range, bucket: '3600' })
    expect(json.tenants.map((t: { tenant_id: string }) => t.tenant_id)).toEqual(['someone-else'])
    expect(json.overall.reduce((sum: number, p: { requests: number }) => sum + p.requests, 0)).toBe(1)
    expect(json.incidents).toEqual([])
    const admin = await fetch(`${baseUrl}/api/v1/analytics/cache?${new URLSearchParams({ ...range, bucket: '3600', project: project.id })}`, {
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
    })
    expect((await admin.json()).incidents).toHaveLength(1)
  })

  it('names each bad parameter', async () => {
    const bad = async (query: Record<string, string>, pattern: RegExp) => {
      const { status, json } = await get(project.client, '/api/v1/analytics/cache', query)
      expect(status).toBe(400)
      expect(json.error).toMatch(pattern)
    }
    await bad({ from: 'yesterday' }, /^from: /)
    await bad({ ...range, bucket: '10' }, /^bucket: must be at least 60/)
    await bad({ ...range, bucket: 'hourly' }, /^bucket: /)
    await bad({ from: range.to, to: range.from }, /^from: must be before to/)
    await bad({ ...range, bucket: '60', from: iso(new Date(Date.now() - 5 * 86_400_000)) }, /^bucket: makes \d+ buckets/)
    await bad({ ...range, tenant: 'acme' }, /unknown field 'tenant'/)
    const anonymous = await fetch(`${baseUrl}/api/v1/analytics/cache`)
    expect(anonymous.status).toBe(401)
  })
})

describe('routing cohorts', () => {
  let project: Awaited<ReturnType<typeof createProject>>
  const calls: PlantedSpan[] = []

  beforeAll(async () => {
    project = await createProject(baseUrl, 'routing')
    const segment = (name: string) => ({ route_segment: name, model_requested: name === 'economy' ? 'gpt-4o-mini' : 'claude-sonnet-4-5' })
    // 10 users of two tenants; u1..u3 switch: economy -> premium, premium -> economy, and
    // economy -> premium -> economy. Everyone also triggers an unrouted classifier call.
    const users = Array.from({ length: 10 }, (_, i) => `u${i}`)
    users.forEach((user, i) => {
      const tenant = i < 5 ? 'acme' : 'globex'
      const path = user === 'u1' ? ['economy', 'premium'] : user === 'u2' ? ['premium', 'economy'] : user === 'u3' ? ['economy', 'premium', 'economy'] : [i % 2 ? 'premium' : 'economy']
      path.forEach((name, step) => {
        for (let r = 0; r < 4; r++) {
          calls.push(modelCall({ start: at(2 + step * 6, i * 4 + r), user_id: user, tenant_id: tenant, duration_ms: name === 'premium' ? 2000 : 500, ...segment(name) }))
        }
      })
      calls.push(modelCall({ start: at(20, i), user_id: user, tenant_id: tenant, model_requested: 'gpt-4.1-nano', name: 'guard prompt-injection' }))
    })
    // Many anonymous requests with very different structured-output failure rates per path.
    for (let r = 0; r < 400; r++) {
      const name = r % 2 ? 'premium' : 'economy'
      const failing = name === 'economy' ? r % 20 < 6 : r % 200 === 1
      calls.push(modelCall({ start: at(10, Math.floor(r / 10), r % 10), tenant_id: 'acme', duration_ms: name === 'premium' ? 2000 : 500, schema_valid: !failing, refusal: name === 'premium' && r % 40 === 1, ...segment(name) }))
    }
    // A few errors and an eval-run call, which routing leaves out.
    calls.push(modelCall({ start: at(11), tenant_id: 'acme', user_id: 'u4', status: 'error', error_type: '500', ...segment('economy') }))
    calls.push(modelCall({ start: at(12), tenant_id: 'evals', user_id: 'eval-runner', eval_run_id: 'nightly-1', ...segment('premium') }))
    await send(project.client, calls)
    // Judge scores on two economy and two premium traces.
    const economy = calls.filter((c) => c.route_segment === 'economy' && c.user_id === 'u0').slice(0, 2)
    const premium = calls.filter((c) => c.route_segment === 'premium' && c.user_id === 'u5').slice(0, 2)
    const scores = [...economy.map((c, i) => ({ trace_id: c.trace_id, name: 'helpfulness', value: 0.6 + i * 0.1, source: 'judge' })), ...premium.map((c) => ({ trace_id: c.trace_id, name: 'helpfulness', value: 0.9, source: 'judge' }))]
    const sent = await project.client.sendScores(scores)
    expect(sent.status).toBe(200)
  })

  it('compares segments and counts the planted switchers exactly', async () => {
    const { status, json } = await get(project.client, '/api/v1/analytics/routing', range)
    expect(status).toBe(200)
    expect(json.segments.map((s: { segment: string }) => s.segment).sort()).toEqual(['economy', 'premium'])
    const economy = json.segments.find((s: { segment: string }) => s.segment === 'economy')
    const premium = json.segments.find((s: { segment: string }) => s.segment === 'premium')
    for (const field of ['segment', 'users', 'requests', 'error_rate', 'refusal_rate', 'format_failure_rate', 'p50_ms', 'p95_ms', 'mean_score', 'cost_per_request_usd']) {
      expect(economy).toHaveProperty(field)
    }
    const routed = (name: string) => calls.filter((c) => c.route_segment === name && !c.eval_run_id)
    expect(economy.requests).toBe(routed('economy').length)
    expect(premium.requests).toBe(routed('premium').length)
    // Users: u0 u2 u4 u6 u8 on economy plus switchers u1 u3 (u2 both); premium: odd ones plus u2.
    expect(economy.users).toBe(new Set(routed('economy').map((c) => c.user_id).filter(Boolean)).size)
    expect(premium.users).toBe(new Set(routed('premium').map((c) => c.user_id).filter(Boolean)).size)
    expect(economy.error_rate).toBeCloseTo(1 / routed('economy').length, 10)
    expect(economy.format_failure_rate).toBeCloseTo(60 / 200, 10)
    expect(premium.format_failure_rate).toBeCloseTo(2 / 200, 10)
    expect(economy.mean_score).toBeCloseTo(0.65, 10)
    expect(premium.mean_score).toBeCloseTo(0.9, 10)
    expect(premium.p50_ms).toBeGreaterThan(economy.p95_ms)
    expect(premium.cost_per_request_usd).toBeGreaterThan(economy.cost_per_request_usd)
    // 30% vs 1% format failures over 200 calls each is far beyond chance.
    expect(economy.differences).toContainEqual(expect.objectContaining({ metric: 'format_failure_rate', direction: 'higher' }))

    expect(json.switchers.users).toBe(3)
    expect(json.switchers.share).toBeCloseTo(3 / 10, 10)
    const top = Object.fromEntries(json.switchers.top.map((s: { user_id: string; segments: string[] }) => [s.user_id, s.segments]))
    expect(top).toEqual({ u1: ['economy', 'premium'], u2: ['premium', 'economy'], u3: ['economy', 'premium'] })
    expect(json.switchers.tenants.count).toBe(2)
  })

  it('compares serving models with by=model', async () => {
    const { json } = await get(project.client, '/api/v1/analytics/routing', { ...range, by: 'model' })
    expect(json.segments.map((s: { segment: string }) => s.segment).sort()).toEqual(['claude-sonnet-4-5', 'gpt-4o-mini'])
    expect(json.switchers.users).toBe(3)
  })

  it('shows one user\'s timeline of segments', async () => {
    const { status, json } = await get(project.client, '/api/v1/analytics/routing/timeline', { ...range, user_id: 'u3' })
    expect(status).toBe(200)
    expect(json.requests).toHaveLength(12)
    expect(json.runs.map((r: { segment: string; requests: number }) => [r.segment, r.requests])).toEqual([
      ['economy', 4],
      ['premium', 4],
      ['economy', 4],
    ])
    expect(json.requests[0].t).toBe(calls.find((c) => c.user_id === 'u3')!.start_time)
    const missing = await get(project.client, '/api/v1/analytics/routing/timeline', range)
    expect(missing.status).toBe(400)
    expect(missing.json.error).toMatch(/^user_id: /)
  })

  it('names a bad by', async () => {
    const { status, json } = await get(project.client, '/api/v1/analytics/routing', { ...range, by: 'tenant' })
    expect(status).toBe(400)
    expect(json.error).toMatch(/^by: must be segment or model/)
  })

  it('shows a project nothing of another project', async () => {
    const other = await createProject(baseUrl, 'routing-other')
    const { json } = await get(other.client, '/api/v1/analytics/routing', range)
    expect(json).toEqual({ by: 'segment', segments: [], switchers: { users: 0, share: 0, top: [], tenants: { count: 0, share: 0, top: [] } } })
  })
})

describe('diurnal comparison', () => {
  let project: Awaited<ReturnType<typeof createProject>>
  const tz = 'America/New_York'
  const localHour = (date: Date) => Number(new Intl.DateTimeFormat('en-US', { timeZone: tz, hour: 'numeric', hourCycle: 'h23' }).format(date))
  const calls: PlantedSpan[] = []
  const busy = [14, 15, 16]
  const evalHour = 7

  beforeAll(async () => {
    project = await createProject(baseUrl, 'diurnal')
    for (let hour = 0; hour < 24; hour++) {
      const peak = busy.includes(hour)
      const requests = peak ? 30 : 6
      for (let r = 0; r < requests; r++) {
        const overloaded = peak && r % 10 === 0
        calls.push(
          modelCall({
            start: at(hour, r),
            tenant_id: 'acme',
            duration_ms: peak ? 3000 : 1000,
            ttft_ms: peak ? 900 : 300,
            fallback: peak && r % 10 === 1,
            ...(overloaded ? { status: 'error', ...(r % 20 === 0 ? { error_type: '429' } : { status_message: 'HTTP 529: overloaded' }) } : {}),
          }),
        )
      }
    }
    // The eval run: its own calls and scores at one hour of the night.
    for (let r = 0; r < 5; r++) calls.push(modelCall({ start: at(evalHour, r), tenant_id: 'evals', eval_run_id: 'nightly-1', duration_ms: 900 }))
    await send(project.client, calls)
    const hourOf = (c: PlantedSpan) => Math.floor((Date.parse(c.start_time) - windowStart) / HOUR)
    const scored = calls.filter((c) => !c.eval_run_id && busy.includes(hourOf(c))).slice(0, 20)
    const evalCalls = calls.filter((c) => c.eval_run_id)
    const response = await project.client.sendScores([
      ...scored.map((c) => ({ trace_id: c.trace_id, name: 'helpfulness', value: 0.7, source: 'judge', timestamp: c.end_time })),
      ...evalCalls.map((c) => ({ trace_id: c.trace_id, name: 'helpfulness', value: 0.9, source: 'eval', run_id: 'nightly-1', timestamp: c.end_time })),
    ])
    expect(response.status).toBe(200)
  })

  it('answers by hour of day in the time zone, with eval hours and peak hours', async () => {
    const { status, json } = await get(project.client, '/api/v1/analytics/diurnal', { ...range, tz })
    expect(status).toBe(200)
    expect(json.tz).toBe(tz)
    expect(json.hours).toHaveLength(24)
    const peakLocal = busy.map((h) => localHour(at(h))).sort((a, b) => a - b)
    expect(json.traffic_peak_hours).toEqual(peakLocal)
    expect(json.eval_hours).toEqual([localHour(at(evalHour))])
    const peakHour = json.hours[peakLocal[0]]
    for (const field of ['hour', 'requests', 'p50_ms', 'p95_ms', 'error_rate', 'overload_rate', 'fallback_rate', 'mean_score', 'score_count']) expect(peakHour).toHaveProperty(field)
    expect(peakHour.requests).toBe(30)
    expect(peakHour.overload_rate).toBeCloseTo(3 / 30, 10)
    expect(peakHour.error_rate).toBeCloseTo(3 / 30, 10)
    expect(peakHour.fallback_rate).toBeCloseTo(3 / 30, 10)
    expect(peakHour.p50_ms).toBeCloseTo(3000, 0)
    expect(peakHour.ttft_p50_ms).toBeCloseTo(900, 0)
    expect(peakHour.mean_score).toBeCloseTo(0.7, 10)
    // Eval traffic is not production traffic.
    expect(json.hours[localHour(at(evalHour))].requests).toBe(6)
    expect(json.eval_vs_production.eval.mean_score).toBeCloseTo(0.9, 10)
    expect(json.eval_vs_production.peak.mean_score).toBeCloseTo(0.7, 10)
    expect(json.eval_vs_production.score_gap).toBeCloseTo(-0.2, 10)
    expect(json.eval_vs_production.eval.requests).toBe(5)
    expect(json.heatmap.metric).toBe('p95_ms')
    expect(json.heatmap.cells).toHaveLength(7 * 24)
    const weekday = (date: Date) => ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(new Intl.DateTimeFormat('en-US', { timeZone: tz, weekday: 'short' }).format(date)) + 1
    const cell = json.heatmap.cells.find((c: { weekday: number; hour: number }) => c.weekday === weekday(at(busy[0])) && c.hour === peakLocal[0])
    expect(cell.requests).toBe(30)
  })

  it('shifts hours with the time zone and rejects unknown zones', async () => {
    const utc = await get(project.client, '/api/v1/analytics/diurnal', range)
    expect(utc.json.tz).toBe('UTC')
    expect(utc.json.traffic_peak_hours).toEqual(busy.map((h) => at(h).getUTCHours()).sort((a, b) => a - b))
    const bad = await get(project.client, '/api/v1/analytics/diurnal', { ...range, tz: 'Mars/Olympus_Mons' })
    expect(bad.status).toBe(400)
    expect(bad.json.error).toMatch(/^tz: must be an IANA time zone/)
    const badMetric = await get(project.client, '/api/v1/analytics/diurnal', { ...range, metric: 'vibes' })
    expect(badMetric.json.error).toMatch(/^metric: must be one of/)
  })

  it('shows a project nothing of another project', async () => {
    const other = await createProject(baseUrl, 'diurnal-other')
    const { json } = await get(other.client, '/api/v1/analytics/diurnal', range)
    expect(json.hours.every((h: { requests: number }) => h.requests === 0)).toBe(true)
    expect(json.eval_hours).toEqual([])
    expect(json.traffic_peak_hours).toEqual([])
  })
})

describe('overview', () => {
  it('answers volume, errors, latency and cost over time with first-appearance markers', async () => {
    const project = await createProject(baseUrl, 'overview')
    const calls = [
      ...Array.from({ length: 12 }, (_, i) => modelCall({ start: at(i * 2, 5), tenant_id: 'a', prompt_name: 'support', prompt_version: '1', system_prompt_hash: 'h1' })),
      ...Array.from({ length: 6 }, (_, i) => modelCall({ start: at(14 + i, 5), tenant_id: 'a', model_requested: 'claude-sonnet-4-5', prompt_name: 'support', prompt_version: '2', system_prompt_hash: 'h2', status: i === 1 ? 'error' : 'ok' })),
      { trace_id: 'tool-1', span_id: 'tool', name: 'execute_tool', kind: 'tool', tool_name: 'lookup_order', start_time: iso(at(3)), end_time: iso(at(3, 0, 2)) },
    ]
    // The project's data begins a day and more before the window: what it used then is no news.
    const before = modelCall({ start: at(-30), tenant_id: 'a', prompt_name: 'support', prompt_version: '1', system_prompt_hash: 'h1' })
    await send(project.client, [...calls, before])
    const { status, json } = await get(project.client, '/api/v1/analytics/overview', { ...range, bucket: '3600' })
    expect(status).toBe(200)
    expect(json.series).toHaveLength(24)
    expect(json.series.reduce((sum: number, p: { spans: number }) => sum + p.spans, 0)).toBe(18)
    expect(json.series.find((p: { t: string }) => p.t === iso(at(15))).errors).toBe(1)
    expect(json.split.components.map((c: { component: string; spans: number }) => [c.component, c.spans])).toEqual([
      ['gpt-4o', 12],
      ['claude-sonnet-4-5', 6],
    ])
    const marked = iso(at(14, 5))
    expect(json.markers).toHaveLength(3)
    expect(json.markers).toEqual(
      expect.arrayContaining([
        { t: marked, kind: 'model', value: 'claude-sonnet-4-5' },
        { t: marked, kind: 'prompt_version', value: 'support v2' },
        { t: marked, kind: 'system_prompt_hash', value: 'h2' },
      ]),
    )
    const tools = await get(project.client, '/api/v1/analytics/overview', { ...range, bucket: '3600', split: 'tool' })
    expect(tools.json.split.components.map((c: { component: string }) => c.component)).toEqual(['lookup_order'])
  })

  it('keeps a model\'s snapshots and failures together and a substituted model apart', async () => {
    const project = await createProject(baseUrl, 'serving-model')
    await send(project.client, [
      ...[0, 1].map((i) => modelCall({ start: at(3, i), model_requested: 'gpt-4.1-mini', model_resolved: 'gpt-4.1-mini-2025-04-14' })),
      modelCall({ start: at(3, 5), model_requested: 'gpt-4.1-mini', status: 'error', error_type: '429' }),
      modelCall({ start: at(3, 6), model_requested: 'gpt-4o', model_resolved: 'gpt-4o-mini-2024-07-18' }),
      modelCall({ start: at(3, 7), model_requested: 'claude-sonnet-4-5', model_resolved: 'claude-sonnet-4-5-20250929' }),
    ])
    const { json } = await get(project.client, '/api/v1/analytics/overview', { ...range, bucket: '3600' })
    expect(json.split.components.map((c: { component: string; spans: number; errors: number }) => [c.component, c.spans, c.errors])).toEqual([
      ['gpt-4.1-mini', 3, 1],
      ['claude-sonnet-4-5', 1, 0],
      ['gpt-4o-mini-2024-07-18', 1, 0],
    ])
  })
})

describe('price table', () => {
  it('is seeded, readable and editable by the admin only, and prices analytics costs', async () => {
    const list = await adminFetch('GET', '/api/v1/prices')
    expect(list.status).toBe(200)
    const { prices } = await list.json()
    expect(prices.find((p: { model: string }) => p.model === 'gpt-4o')).toMatchObject({ provider: 'openai', input_per_mtok: 2.5, input_per_token: 2.5e-6 })

    const project = await createProject(baseUrl, 'prices')
    expect((await adminFetch('GET', '/api/v1/prices', undefined, project.api_key)).status).toBe(403)
    expect((await fetch(`${baseUrl}/api/v1/prices`)).status).toBe(401)

    // A model of our own, priced per token.
    const put = await adminFetch('PUT', '/api/v1/prices/acme-llm-1', { provider: 'acme', input_per_token: 0.000004, output_per_token: 0.00001, cache_read_per_token: 0.000001 })
    expect(put.status).toBe(200)
    expect(await put.json()).toMatchObject({ model: 'acme-llm-1', input_per_mtok: 4, output_per_mtok: 10, cache_read_per_mtok: 1, cache_write_per_mtok: 0 })
    await send(project.client, [modelCall({ start: at(5), tenant_id: 'a', model_requested: 'acme-llm-1-2026-01', input_tokens: 1000, cache_read_tokens: 500, output_tokens: 100 })])
    const cache = await get(project.client, '/api/v1/analytics/cache', { ...range, bucket: '3600' })
    const cost = cache.json.overall.reduce((sum: number, p: { cost_usd: number }) => sum + p.cost_usd, 0)
    expect(cost).toBeCloseTo((500 * 4 + 500 * 1 + 100 * 10) / 1e6, 12)

    const invalid = await adminFetch('PUT', '/api/v1/prices/acme-llm-1', { output_per_mtok: -1 })
    expect(invalid.status).toBe(400)
    expect((await invalid.json()).error).toMatch(/output_per_mtok: must be >= 0/)
    const both = await adminFetch('PUT', '/api/v1/prices', { prices: [...prices.map(({ model, provider, input_per_mtok, output_per_mtok, cache_read_per_mtok, cache_write_per_mtok }: Record<string, unknown>) => ({ model, provider, input_per_mtok, output_per_mtok, cache_read_per_mtok, cache_write_per_mtok })), { model: 'x', input_per_mtok: 1, input_per_token: 1e-6, output_per_mtok: 1 }] })
    expect(both.status).toBe(400)
    expect((await both.json()).error).toMatch(/prices\[\d+\]: input_per_token: give input_per_mtok or input_per_token, not both/)

    expect((await adminFetch('DELETE', '/api/v1/prices/acme-llm-1')).status).toBe(204)
    expect((await adminFetch('DELETE', '/api/v1/prices/acme-llm-1')).status).toBe(404)
    const after = await (await adminFetch('GET', '/api/v1/prices')).json()
    expect(after.prices).toHaveLength(prices.length)
  })
})
