// The analytics views on the demo workload: a week of generated traffic goes in through the HTTP
// ingest API, and each view finds the story planted in it - the cache-thrash incident at its
// onset naming Brightpath (and nothing else), exactly the generator's count of routing switchers,
// and the nightly evals at 02:00 New York apart from the peak hours.
//
// The week ends at the latest Monday 00:00 UTC, so it is aligned the same whenever the suite
// runs; lib/demo/any-hour.test.ts checks the same expectations at weeks ending at other hours
// and weekdays, through in-memory views that this test checks against the server's answers.
// DEMO_WEEK_END=<ISO date> replays the test with the week ending then (for instance the hour a
// run failed at).
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { collectDemo, type DemoSummary } from '@/lib/demo/generate'
import { httpSink } from '@/lib/demo/http-sink'
import { loadDemo } from '@/lib/demo/load'
import { pinnedWeekEnd, type DemoOptions } from '@/lib/demo/plan'
import type { DemoSpan } from '@/lib/demo/recorder'
import { cacheIncidentsInMemory, switchersInMemory } from '@/lib/demo/views-in-memory'
import { createProject } from '../harness'

const baseUrl = inject('baseUrl')
const HOUR = 3_600_000

let project: Awaited<ReturnType<typeof createProject>>
let summary: DemoSummary
let range: { from: string; to: string }
/** The same week in memory, generated before any request (a long pause between requests lets the server close an idle connection under the client). */
let spans: DemoSpan[]
const demo: DemoOptions = { seed: 11, spans: 40_000, days: 7, end: process.env.DEMO_WEEK_END ?? pinnedWeekEnd(), batchSpans: 2000 }

beforeAll(async () => {
  spans = collectDemo(demo).spans
  project = await createProject(baseUrl, 'analytics-demo')
  const result = await loadDemo({
    demo,
    sink: httpSink({ baseUrl, apiKey: project.api_key }),
    concurrency: 2,
  })
  expect(result.rejected).toBe(0)
  summary = result.summary
  range = { from: new Date(summary.plan.start).toISOString(), to: new Date(summary.plan.end).toISOString() }
}, 240_000)

const get = (path: string, query: Record<string, string>) => project.client.request('GET', `${path}?${new URLSearchParams(query)}`)

describe('analytics on the demo workload', () => {
  it('finds the cache-thrash incident at its onset and names Brightpath', async () => {
    const { status, json } = await get('/api/v1/analytics/cache', { ...range, bucket: '3600' })
    expect(status).toBe(200)
    const { onset, pushEnd, tenant } = summary.plan.cacheIncident
    expect(json.incidents.length).toBeGreaterThanOrEqual(1)
    const incident = json.incidents.find((i: { start: string }) => Math.abs(Date.parse(i.start) - onset) <= HOUR)
    expect(incident, JSON.stringify(json.incidents)).toBeDefined()
    expect(incident.suspect_tenant_id).toBe(tenant)
    expect(Date.parse(incident.end)).toBeGreaterThanOrEqual(pushEnd)
    expect(incident.baseline_hit_rate - incident.hit_rate).toBeGreaterThan(0.3)
    expect(incident.extra_cost_usd).toBeGreaterThan(0)
    // Nothing else in the week is called an incident.
    expect(json.incidents).toHaveLength(1)
    // The evidence it rests on.
    expect(incident.evidence.calls).toBeGreaterThanOrEqual(30)
    expect(incident.evidence.input_tokens).toBeGreaterThanOrEqual(20_000)
    expect(incident.evidence.p_value).toBeLessThan(incident.evidence.alpha)
    expect(incident.evidence.hit_rate_interval.high).toBeLessThan(incident.evidence.baseline_hit_rate_interval.low)
    expect(json.min_extra_cost_usd).toBe(0.1)
  })

  it('raises only incidents whose lost hits cost at least min_extra_cost_usd, and names a bad floor', async () => {
    const { json } = await get('/api/v1/analytics/cache', { ...range, bucket: '3600' })
    const cost = json.incidents[0].extra_cost_usd
    const above = await get('/api/v1/analytics/cache', { ...range, bucket: '3600', min_extra_cost_usd: String(cost * 1.01) })
    expect(above.status).toBe(200)
    expect(above.json.incidents).toEqual([])
    const below = await get('/api/v1/analytics/cache', { ...range, bucket: '3600', min_extra_cost_usd: String(cost * 0.99) })
    expect(below.json.incidents.map((i: { start: string }) => i.start)).toEqual([json.incidents[0].start])
    for (const bad of ['-1', 'cheap']) {
      const refused = await get('/api/v1/analytics/cache', { ...range, min_extra_cost_usd: bad })
      expect(refused.status).toBe(400)
      expect(JSON.stringify(refused.json)).toMatch(/min_extra_cost_usd/)
    }
  })

  it('agrees with the in-memory views the any-hour check runs the same expectations through', async () => {
    const { plan } = summary
    const cache = await get('/api/v1/analytics/cache', { ...range, bucket: '3600' })
    const server = cache.json.incidents.map((i: { start: string; end: string; suspect_tenant_id: string; evidence: { calls: number } }) => [Date.parse(i.start), Date.parse(i.end), i.suspect_tenant_id, i.evidence.calls])
    const local = cacheIncidentsInMemory(spans, plan.start, plan.end, HOUR).map((i) => [i.start, i.end, i.suspect_tenant_id, i.evidence.calls])
    expect(local).toEqual(server)
    const routing = await get('/api/v1/analytics/routing', range)
    expect(switchersInMemory(spans, plan.start, plan.end)).toBe(routing.json.switchers.users)
  })

  it('counts exactly the switchers the generator planted', async () => {
    const { status, json } = await get('/api/v1/analytics/routing', range)
    expect(status).toBe(200)
    expect(json.segments.map((s: { segment: string }) => s.segment).sort()).toEqual(['economy', 'premium'])
    expect(json.switchers.users).toBe(summary.switchers)
    const economy = json.segments.find((s: { segment: string }) => s.segment === 'economy')
    const premium = json.segments.find((s: { segment: string }) => s.segment === 'premium')
    expect(premium.refusal_rate).toBeGreaterThan(economy.refusal_rate)
    expect(economy.format_failure_rate).toBeGreaterThan(premium.format_failure_rate)
    expect(premium.cost_per_request_usd).toBeGreaterThan(3 * economy.cost_per_request_usd)
    const timeline = await get('/api/v1/analytics/routing/timeline', { ...range, user_id: json.switchers.top[0].user_id })
    expect(new Set(timeline.json.requests.map((r: { segment: string }) => r.segment))).toEqual(new Set(['economy', 'premium']))
  })

  it('puts the nightly evals at 02:00 New York, away from the traffic peak', async () => {
    const { status, json } = await get('/api/v1/analytics/diurnal', { ...range, tz: 'America/New_York' })
    expect(status).toBe(200)
    expect(json.eval_hours).toEqual([2])
    expect(json.traffic_peak_hours).not.toContain(2)
    expect(json.eval_vs_production.hours_apart).toBeGreaterThanOrEqual(4)
    expect(json.eval_vs_production.score_gap).toBeLessThan(0)
    const peak = json.hours[json.traffic_peak_hours[0]]
    const night = json.hours[3]
    expect(peak.p95_ms).toBeGreaterThan(night.p95_ms)
    expect(peak.overload_rate).toBeGreaterThan(night.overload_rate)
  })

  it('marks the prompt rollout on the overview', async () => {
    const { json } = await get('/api/v1/analytics/overview', { ...range, split: 'prompt' })
    const rollout = json.markers.filter((m: { kind: string; value: string }) => m.kind === 'prompt_version' && m.value.endsWith(summary.plan.promptRollout.to))
    expect(rollout.length).toBeGreaterThanOrEqual(1)
    expect(Math.abs(Date.parse(rollout[0].t) - summary.plan.promptRollout.at)).toBeLessThan(HOUR)
  })
})
