import { describe, expect, it } from 'vitest'
import { compareEvalWithPeak, evalScoreHours, hoursApart, trafficPeakHours, type HourOutcome } from './diurnal-compare'

const day = (requests: (hour: number) => number, extra: (hour: number) => Partial<HourOutcome> = () => ({})): HourOutcome[] =>
  Array.from({ length: 24 }, (_, hour) => ({ hour, requests: requests(hour), errors: 0, overloads: 0, p95_ms: null, score: null, ...extra(hour) }))

describe('diurnal comparison', () => {
  it('finds the peak hours: those with at least 80% of the busiest hour', () => {
    const hours = day((h) => (h >= 9 && h <= 11 ? 1000 : h === 12 ? 790 : 100))
    expect(trafficPeakHours(hours)).toEqual([9, 10, 11])
    expect(trafficPeakHours(day(() => 0))).toEqual([])
  })

  it('lists the hours eval scores were recorded at', () => {
    expect(evalScoreHours([{ hour: 3, n: 4 }, { hour: 2, n: 10 }, { hour: 9, n: 0 }])).toEqual([2, 3])
  })

  it('measures hours apart around the clock', () => {
    expect(hoursApart([2], [9, 10])).toBe(7)
    expect(hoursApart([23], [1])).toBe(2)
    expect(hoursApart([9], [9, 10])).toBe(0)
    expect(hoursApart([], [9])).toBeNull()
  })

  it('compares eval runs with production at peak', () => {
    const production = day(
      (h) => (h >= 9 && h <= 11 ? 1000 : 100),
      (h) => ({
        errors: h >= 9 && h <= 11 ? 50 : 1,
        overloads: h >= 9 && h <= 11 ? 30 : 0,
        p95_ms: h >= 9 && h <= 11 ? 3000 : 1000,
        score: { n: 200, mean: h >= 9 && h <= 11 ? 0.6 : 0.75, variance: 0.01 },
      }),
    )
    const evals = day(
      (h) => (h === 2 ? 50 : 0),
      (h) => (h === 2 ? { errors: 0, p95_ms: 1200, score: { n: 300, mean: 0.75, variance: 0.01 } } : {}),
    )
    const result = compareEvalWithPeak([2], [9, 10, 11], evals, production)
    expect(result.peak).toMatchObject({ hours: [9, 10, 11], requests: 3000, error_rate: 0.05, overload_rate: 0.03, p95_ms: 3000, score_count: 600 })
    expect(result.peak.mean_score).toBeCloseTo(0.6, 10)
    expect(result.eval).toMatchObject({ hours: [2], requests: 50, error_rate: 0, p95_ms: 1200, score_count: 300 })
    expect(result.score_gap).toBeCloseTo(-0.15, 10)
    expect(result.score_gap_significant).toBe(true)
    expect(result.p95_gap_ms).toBe(1800)
    expect(result.hours_apart).toBe(7)
  })

  it('says nothing it cannot know', () => {
    const result = compareEvalWithPeak([], [], day(() => 0), day(() => 0))
    expect(result).toMatchObject({ score_gap: null, score_gap_significant: false, p95_gap_ms: null, error_rate_gap: null, hours_apart: null })
  })
})
