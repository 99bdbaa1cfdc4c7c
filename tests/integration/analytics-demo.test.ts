// The analytics views on the demo workload: a week of generated traffic goes in through the HTTP
// ingest API, and each view finds the story planted in it - the cache-thrash incident at its
// onset naming Brightpath, exactly the generator's count of routing switchers, and the nightly
// evals at 02:00 New York apart from the peak hours.
import { beforeAll, describe, expect, inject, it } from 'vitest'
import type { DemoSummary } from '@/lib/demo/generate'
import { httpSink } from '@/lib/demo/http-sink'
import { loadDemo } from '@/lib/demo/load'
import { createProject } from '../harness'

const baseUrl = inject('baseUrl')
const HOUR = 3_600_000

let project: Awaited<ReturnType<typeof createProject>>
let summary: DemoSummary
let range: { from: string; to: string }

beforeAll(async () => {
  project = await createProject(baseUrl, 'analytics-demo')
  const end = new Date(Math.floor(Date.now() / HOUR) * HOUR)
  const result = await loadDemo({
    demo: { seed: 11, spans: 40_000, days: 7, end, batchSpans: 2000 },
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
