import { describe, expect, it } from 'vitest'
import { poolMoments, segmentRuns, significantDifferences, summarizeSwitchers, type SegmentOutcome, type SwitcherInput } from './routing-cohorts'

const outcome = (segment: string, requests: number, errorRate: number, extra: Partial<SegmentOutcome> = {}): SegmentOutcome => ({
  segment,
  requests,
  errors: Math.round(requests * errorRate),
  refusals: Math.round(requests * 0.01),
  format_checked: requests,
  format_failures: Math.round(requests * 0.02),
  score: null,
  ...extra,
})

describe('significantDifferences', () => {
  it('highlights a difference that the sample size supports, on the right side', () => {
    const result = significantDifferences([outcome('fast', 5000, 0.05), outcome('quality', 5000, 0.02)])
    expect(result.get('fast')!.map((d) => [d.metric, d.direction])).toEqual([['error_rate', 'higher']])
    expect(result.get('quality')!.map((d) => [d.metric, d.direction])).toEqual([['error_rate', 'lower']])
    const [difference] = result.get('fast')!
    expect(difference.value).toBeCloseTo(0.05, 10)
    expect(difference.rest_value).toBeCloseTo(0.02, 10)
    expect(difference.interval!.low).toBeLessThan(0.05)
    expect(difference.interval!.high).toBeGreaterThan(0.05)
  })

  it('stays quiet when the same difference rests on too few requests, or there is none', () => {
    expect(significantDifferences([outcome('fast', 50, 0.06), outcome('quality', 50, 0.02)]).get('fast')).toEqual([])
    expect(significantDifferences([outcome('fast', 100_000, 0.02), outcome('quality', 100_000, 0.02)]).get('fast')).toEqual([])
    expect(significantDifferences([outcome('only', 1000, 0.5)]).get('only')).toEqual([])
  })

  it('ignores a significant but negligible difference', () => {
    // 2.0% vs 2.1% over millions of requests is significant and irrelevant.
    const result = significantDifferences([outcome('a', 5_000_000, 0.02), outcome('b', 5_000_000, 0.021)])
    expect(result.get('a')).toEqual([])
  })

  it('compares mean eval scores with pooled moments of the rest', () => {
    const result = significantDifferences([
      outcome('fast', 5000, 0.02, { score: { n: 800, mean: 0.71, variance: 0.01 } }),
      outcome('quality', 5000, 0.02, { score: { n: 800, mean: 0.8, variance: 0.01 } }),
      outcome('batch', 5000, 0.02, { score: { n: 800, mean: 0.8, variance: 0.01 } }),
    ])
    expect(result.get('fast')!.map((d) => [d.metric, d.direction])).toEqual([['mean_score', 'lower']])
    expect(result.get('fast')![0].rest_value).toBeCloseTo(0.8, 10)
  })

  it('pools moments exactly', () => {
    const a = [1, 2, 3]
    const b = [10, 11]
    const moments = (xs: number[]) => {
      const mean = xs.reduce((s, x) => s + x, 0) / xs.length
      return { n: xs.length, mean, variance: xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1) }
    }
    const pooled = poolMoments([moments(a), moments(b)])!
    const all = moments([...a, ...b])
    expect(pooled.n).toBe(5)
    expect(pooled.mean).toBeCloseTo(all.mean, 10)
    expect(pooled.variance).toBeCloseTo(all.variance, 10)
  })
})

describe('summarizeSwitchers', () => {
  it('counts planted switchers exactly and lists their segments in the order they were served', () => {
    const rows: SwitcherInput[] = []
    for (let u = 0; u < 1000; u++) {
      const switcher = u % 27 === 0
      const segments: Array<[string, string, number]> = [[u % 2 ? 'fast' : 'quality', `2026-11-2${u % 3}T10:00:00Z`, 5]]
      if (switcher) segments.unshift([u % 2 ? 'quality' : 'fast', '2026-11-25T10:00:00Z', 3 + (u % 5)])
      rows.push({ id: `user-${u}`, segments, total_requests: segments.reduce((s, x) => s + x[2], 0) })
    }
    // The query returns switchers only; a row served by one segment (twice listed) is no switcher.
    rows.push({ id: 'dup', segments: [['fast', '2026-11-20T00:00:00Z', 1], ['fast', '2026-11-21T00:00:00Z', 1]], total_requests: 2 })
    const summary = summarizeSwitchers(rows, 1001, 5)
    expect(summary.count).toBe(Math.ceil(1000 / 27))
    expect(summary.share).toBeCloseTo(38 / 1001, 10)
    expect(summary.top).toHaveLength(5)
    expect(summary.top[0].requests).toBe(12)
    for (const switcher of summary.top) {
      const u = Number(switcher.id.slice(5))
      expect(switcher.segments).toEqual(u % 2 ? ['fast', 'quality'] : ['quality', 'fast'])
    }
  })

  it('answers zero for nobody', () => {
    expect(summarizeSwitchers([], 0)).toEqual({ count: 0, share: 0, top: [] })
  })
})

describe('segmentRuns', () => {
  it('collapses consecutive requests of one segment', () => {
    const runs = segmentRuns([
      { t: '1', segment: 'fast' },
      { t: '2', segment: 'fast' },
      { t: '3', segment: 'quality' },
      { t: '4', segment: 'fast' },
    ])
    expect(runs).toEqual([
      { segment: 'fast', from: '1', to: '2', requests: 2 },
      { segment: 'quality', from: '3', to: '3', requests: 1 },
      { segment: 'fast', from: '4', to: '4', requests: 1 },
    ])
  })
})
