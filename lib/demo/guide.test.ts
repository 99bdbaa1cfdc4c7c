import { describe, expect, it } from 'vitest'
import { demoGuide } from './guide'
import { planDemo } from './plan'

describe('demoGuide', () => {
  it('links each planted story to a page on a window that contains it', () => {
    const job = { seed: 7, days: 7, spans_planned: 100_000, range_end: '2026-12-01T04:17:00Z' }
    const plan = planDemo({ seed: 7, days: 7, spans: 100_000, end: job.range_end })
    const guide = demoGuide('p_1', job)
    expect(guide.map((g) => g.title)).toContain('A cache-thrash incident')
    const cache = guide.find((g) => g.title === 'A cache-thrash incident')!
    const params = new URLSearchParams(cache.href.split('?')[1])
    expect(cache.href.startsWith('/projects/p_1/analytics/cache?')).toBe(true)
    expect(Date.parse(params.get('from')!)).toBeLessThanOrEqual(plan.cacheIncident.onset)
    expect(Date.parse(params.get('to')!)).toBeGreaterThanOrEqual(plan.cacheIncident.pushEnd)
    const loop = guide.find((g) => g.title === 'A tool that re-enters itself')!
    expect(loop.href).toContain('has_cycle=true')
  })
})
