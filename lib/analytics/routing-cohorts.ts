// Routing cohorts, pure: which differences between route segments are larger than their sample
// sizes explain, who was served by more than one segment, and one user's segment timeline.
//
// Each segment is compared with the rest of the traffic (all other segments pooled): rates with a
// two-proportion z-test, mean eval scores with Welch's test. A difference is highlighted when it
// is significant after a Bonferroni correction over every comparison made, and large enough to
// matter (rates: at least half a percentage point and a tenth of the rest's rate; scores: at
// least a tenth of a standard deviation).
import { meanDifferenceTest, twoProportionTest, wilsonInterval, type Interval, type SampleMoments } from './stats'

export interface SegmentOutcome {
  segment: string
  requests: number
  errors: number
  refusals: number
  /** Calls that asked for structured output (schema_valid set), and those whose output failed it. */
  format_checked: number
  format_failures: number
  score: SampleMoments | null
}

export type ComparedMetric = 'error_rate' | 'refusal_rate' | 'format_failure_rate' | 'mean_score'

export interface Difference {
  metric: ComparedMetric
  direction: 'higher' | 'lower'
  value: number
  rest_value: number
  p: number
  /** 95% Wilson interval of the segment's rate (rates only). */
  interval?: Interval
}

export interface ComparisonOptions {
  alpha: number
  minAbsoluteRateDifference: number
  minRelativeRateDifference: number
  minScoreEffect: number
}

export const DEFAULT_COMPARISON: ComparisonOptions = {
  alpha: 0.01,
  minAbsoluteRateDifference: 0.005,
  minRelativeRateDifference: 0.1,
  minScoreEffect: 0.1,
}

const RATES: Array<{ metric: Exclude<ComparedMetric, 'mean_score'>; successes: (s: SegmentOutcome) => number; trials: (s: SegmentOutcome) => number }> = [
  { metric: 'error_rate', successes: (s) => s.errors, trials: (s) => s.requests },
  { metric: 'refusal_rate', successes: (s) => s.refusals, trials: (s) => s.requests },
  { metric: 'format_failure_rate', successes: (s) => s.format_failures, trials: (s) => s.format_checked },
]

/** Pools sample moments of several groups into one. */
export function poolMoments(groups: readonly SampleMoments[]): SampleMoments | null {
  const n = groups.reduce((sum, g) => sum + g.n, 0)
  if (n === 0) return null
  const mean = groups.reduce((sum, g) => sum + g.n * g.mean, 0) / n
  if (n < 2) return { n, mean, variance: 0 }
  const within = groups.reduce((sum, g) => sum + (g.n - 1) * g.variance, 0)
  const between = groups.reduce((sum, g) => sum + g.n * (g.mean - mean) ** 2, 0)
  return { n, mean, variance: (within + between) / (n - 1) }
}

export function significantDifferences(segments: readonly SegmentOutcome[], options: Partial<ComparisonOptions> = {}): Map<string, Difference[]> {
  const opts = { ...DEFAULT_COMPARISON, ...options }
  const result = new Map<string, Difference[]>(segments.map((s) => [s.segment, []]))
  if (segments.length < 2) return result
  const comparisons = segments.length * (RATES.length + 1)
  const alpha = opts.alpha / comparisons
  for (const segment of segments) {
    const others = segments.filter((s) => s !== segment)
    const found = result.get(segment.segment)!
    for (const rate of RATES) {
      const successes = rate.successes(segment)
      const trials = rate.trials(segment)
      const restSuccesses = others.reduce((sum, s) => sum + rate.successes(s), 0)
      const restTrials = others.reduce((sum, s) => sum + rate.trials(s), 0)
      const test = twoProportionTest(successes, trials, restSuccesses, restTrials)
      if (!test || test.p >= alpha) continue
      const restValue = restSuccesses / restTrials
      const magnitude = Math.abs(test.difference)
      if (magnitude < opts.minAbsoluteRateDifference || magnitude < opts.minRelativeRateDifference * restValue) continue
      found.push({
        metric: rate.metric,
        direction: test.difference > 0 ? 'higher' : 'lower',
        value: successes / trials,
        rest_value: restValue,
        p: test.p,
        interval: wilsonInterval(successes, trials),
      })
    }
    const rest = poolMoments(others.flatMap((s) => (s.score ? [s.score] : [])))
    if (segment.score && rest) {
      const test = meanDifferenceTest(segment.score, rest)
      const sd = Math.sqrt((segment.score.variance + rest.variance) / 2)
      if (test && test.p < alpha && sd > 0 && Math.abs(test.difference) / sd >= opts.minScoreEffect) {
        found.push({ metric: 'mean_score', direction: test.difference > 0 ? 'higher' : 'lower', value: segment.score.mean, rest_value: rest.mean, p: test.p })
      }
    }
  }
  return result
}

export interface SwitcherInput {
  id: string
  /** Each segment that served this user: name, first time served (ISO or ClickHouse time), requests. */
  segments: ReadonlyArray<readonly [string, string, string | number]>
  total_requests: string | number
}

export interface Switcher {
  id: string
  /** Segments in the order they first served this user. */
  segments: string[]
  requests: number
}

export interface SwitcherSummary {
  count: number
  share: number
  top: Switcher[]
}

/** Who was served by more than one segment, as a count, a share of everyone served, and the top ones. */
export function summarizeSwitchers(rows: readonly SwitcherInput[], everyone: number, topN = 20): SwitcherSummary {
  const switchers = rows
    .filter((row) => new Set(row.segments.map(([segment]) => segment)).size > 1)
    .map((row) => ({
      id: row.id,
      segments: [...row.segments].sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : a[0].localeCompare(b[0]))).map(([segment]) => segment),
      requests: Number(row.total_requests),
    }))
    .sort((a, b) => b.requests - a.requests || a.id.localeCompare(b.id))
  return { count: switchers.length, share: everyone > 0 ? switchers.length / everyone : 0, top: switchers.slice(0, topN) }
}

export interface SegmentRun {
  segment: string
  from: string
  to: string
  requests: number
}

/** Collapses a user's requests (time order) into runs served by the same segment. */
export function segmentRuns(requests: ReadonlyArray<{ t: string; segment: string }>): SegmentRun[] {
  const runs: SegmentRun[] = []
  for (const request of requests) {
    const last = runs[runs.length - 1]
    if (last && last.segment === request.segment) {
      last.to = request.t
      last.requests++
    } else runs.push({ segment: request.segment, from: request.t, to: request.t, requests: 1 })
  }
  return runs
}
