// The demo-based expectations at many pinned "now"s: the demo week is generated to end at a given
// instant and its random draws depend on absolute time, so what the analytics views find in it
// shifts with the hour, weekday and season the suite runs in. These checks run the expectations
// of tests/integration/analytics-demo.test.ts and e2e/analytics.spec.ts (the same seeds and sizes)
// through the views' own pure detectors on the generated spans, at weeks ending on every weekday,
// at hours round the clock, in winter and summer time, so a dependence on the wall clock fails
// here rather than in CI some day. The integration test checks that these in-memory views agree
// with the server's answers at the pinned week.
import { describe, expect, it } from 'vitest'
import { collectDemo } from './generate'
import { pinnedWeekEnd } from './plan'
import { DAY, HOUR, localHour, tzOffsetMinutes } from './schedule'
import { cacheIncidentsInMemory, promptFirstUseInMemory, switchersInMemory } from './views-in-memory'

/**
 * Weeks ending on each weekday (Sunday first), at hours spread over the day, across the seasons;
 * and the hour a fresh clone of main first failed at.
 */
const ENDS = [
  '2026-12-01T03:00:00Z',
  '2026-03-01T07:00:00Z',
  '2026-06-15T23:00:00Z',
  '2026-09-22T13:00:00Z',
  '2026-12-02T04:00:00Z',
  '2027-01-14T18:00:00Z',
  '2026-04-03T10:00:00Z',
  '2026-07-11T01:00:00Z',
]
/** The seed each demo-based suite loads: 11 for the integration test, 7 for the end-to-end test. */
const RUNS = [...ENDS.map((end) => ({ seed: 11, end })), ...ENDS.filter((_, i) => i % 2 === 0).map((end) => ({ seed: 7, end }))]

describe('pinnedWeekEnd', () => {
  it('ends the week at the latest Monday 00:00 UTC, the same all week long', () => {
    const monday = Date.parse('2026-11-30T00:00:00Z')
    for (let at = monday; at < monday + 7 * DAY; at += 5 * HOUR + 17 * 60_000) expect(pinnedWeekEnd(at).toISOString()).toBe('2026-11-30T00:00:00.000Z')
    expect(pinnedWeekEnd(monday - 1).toISOString()).toBe('2026-11-23T00:00:00.000Z')
    expect(pinnedWeekEnd(monday + 7 * DAY).toISOString()).toBe('2026-12-07T00:00:00.000Z')
  })
})

describe('the demo-based expectations at any hour, weekday and season', () => {
  it.each(RUNS)('seed $seed, week ending $end', ({ seed, end }) => {
    const { spans, summary } = collectDemo({ seed, spans: 40_000, days: 7, end, batchSpans: 2000 })
    const { plan } = summary

    // Cache view (hourly buckets): exactly one incident, the planted one, at its onset, naming its tenant.
    const incidents = cacheIncidentsInMemory(spans, plan.start, plan.end, HOUR)
    const described = incidents.map((i) => `${new Date(i.start).toISOString()} ${i.suspect_tenant_id} ${i.hit_rate.toFixed(3)} n=${i.evidence.calls} p=${i.evidence.p_value}`)
    expect(incidents, described.join('; ')).toHaveLength(1)
    const [incident] = incidents
    expect(Math.abs(incident.start - plan.cacheIncident.onset)).toBeLessThanOrEqual(HOUR)
    expect(incident.suspect_tenant_id).toBe(plan.cacheIncident.tenant)
    expect(incident.end).toBeGreaterThanOrEqual(plan.cacheIncident.pushEnd)
    expect(incident.baseline_hit_rate - incident.hit_rate).toBeGreaterThan(0.3)

    // Routing view: the generator's count of switchers is what lies in the range.
    expect(switchersInMemory(spans, plan.start, plan.end)).toBe(summary.switchers)
    expect(summary.switchers).toBeGreaterThan(5)

    // Overview: the prompt rollout's marker within an hour of the rollout.
    const rollout = promptFirstUseInMemory(spans, plan.start, plan.end, 'support-triage', plan.promptRollout.to)
    expect(rollout).toBeDefined()
    expect(Math.abs(rollout! - plan.promptRollout.at)).toBeLessThan(HOUR)

    // Diurnal view: every eval call starts in the 02:00 hour, New York time.
    const evalHours = new Set(spans.filter((s) => s.eval_run_id && s.kind === 'llm').map((s) => Math.floor(localHour(Date.parse(String(s.start_time)), tzOffsetMinutes('America/New_York', Date.parse(String(s.start_time)))))))
    expect([...evalHours]).toEqual([2])
  }, 180_000)
})
