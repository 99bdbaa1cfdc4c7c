import { describe, expect, it } from 'vitest'
import { planDemo } from './plan'
import { localHour, localWeekday, tzOffsetMinutes } from './schedule'

const iso = (ms: number) => new Date(ms).toISOString()

describe('planDemo', () => {
  it('places the stories on the promised local days and hours of a week ending now', () => {
    const plan = planDemo({ seed: 7, end: '2026-11-27T05:00:30Z' })
    expect(iso(plan.end)).toBe('2026-11-27T05:00:00.000Z')
    expect(iso(plan.start)).toBe('2026-11-20T05:00:00.000Z')
    expect(iso(plan.cacheIncident.onset)).toBe('2026-11-23T14:00:00.000Z') // Monday 09:00 New York
    expect(iso(plan.cacheIncident.pushEnd)).toBe('2026-11-23T18:00:00.000Z')
    expect(iso(plan.routingChange.at)).toBe('2026-11-24T15:00:00.000Z') // Tuesday 10:00 New York
    expect(iso(plan.retryStorm.start)).toBe('2026-11-25T20:00:00.000Z') // Wednesday 14:00 Chicago
    expect(plan.evalRuns.map((r) => iso(r.start))).toContain('2026-11-26T07:00:00.000Z') // 02:00 New York
  })

  it('keeps every story inside short ranges and on weekdays in summer time', () => {
    for (const end of ['2026-07-05T12:00:00Z', '2026-03-09T03:00:00Z', '2026-11-01T06:00:00Z']) {
      for (const days of [1, 2, 7, 28]) {
        const plan = planDemo({ end, days })
        const ny = tzOffsetMinutes('America/New_York', plan.cacheIncident.onset)
        for (const at of [plan.cacheIncident.onset, plan.cacheIncident.recovered, plan.routingChange.at, plan.retryStorm.start, plan.retryStorm.end, plan.loopDeploy.at]) {
          expect(at).toBeGreaterThanOrEqual(plan.start)
          expect(at).toBeLessThanOrEqual(plan.end)
        }
        if (days >= 7) {
          expect(localHour(plan.cacheIncident.onset, ny)).toBe(9)
          expect([1, 2, 3, 4, 5]).toContain(localWeekday(plan.cacheIncident.onset, ny))
          expect([2, 3, 4]).toContain(localWeekday(plan.routingChange.at, tzOffsetMinutes('America/New_York', plan.routingChange.at)))
        }
        for (const run of plan.evalRuns) expect(localHour(run.start, tzOffsetMinutes('America/New_York', run.start))).toBe(2)
      }
    }
  })

  it('refuses sizes and ranges out of bounds with a clear message', () => {
    expect(() => planDemo({ spans: 10 })).toThrow(/spans must be between/)
    expect(() => planDemo({ days: 90 })).toThrow(/days must be between/)
    expect(() => planDemo({ end: 'yesterday' })).toThrow(/end must be a date/)
  })
})
