// Diurnal comparison, pure: which hours carry the traffic, at which hours evals were scored, and
// how far apart eval-time and peak-time quality and reliability are ("your evals ran at 2 AM;
// your users arrive at 8").
import { poolMoments } from './routing-cohorts'
import { meanDifferenceTest, type SampleMoments } from './stats'

/** Hours whose request count is at least `fraction` of the busiest hour's, in hour order. */
export function trafficPeakHours(hours: ReadonlyArray<{ hour: number; requests: number }>, fraction = 0.8): number[] {
  const busiest = Math.max(0, ...hours.map((h) => h.requests))
  if (busiest === 0) return []
  return hours
    .filter((h) => h.requests >= fraction * busiest)
    .map((h) => h.hour)
    .sort((a, b) => a - b)
}

/** Hours at which eval scores were recorded, in hour order. */
export function evalScoreHours(hours: ReadonlyArray<{ hour: number; n: number }>): number[] {
  return hours
    .filter((h) => h.n > 0)
    .map((h) => h.hour)
    .sort((a, b) => a - b)
}

export interface HourOutcome {
  hour: number
  requests: number
  errors: number
  overloads: number
  /** Quantiles of the hour; merged across hours as request-weighted means (an approximation). */
  p95_ms: number | null
  score: SampleMoments | null
}

export interface SideSummary {
  hours: number[]
  requests: number
  error_rate: number | null
  overload_rate: number | null
  p95_ms: number | null
  mean_score: number | null
  score_count: number
}

export interface EvalVsProduction {
  /** Eval runs: their scores and, when eval traffic is traced, its model calls. */
  eval: SideSummary
  /** Production traffic at its peak hours. */
  peak: SideSummary
  /** Peak minus eval; null when either side lacks data. */
  score_gap: number | null
  /** Whether the score gap is larger than the sample sizes explain (Welch, p < 0.01). */
  score_gap_significant: boolean
  p95_gap_ms: number | null
  error_rate_gap: number | null
  /** Hours from the eval hours to the nearest peak hour (circular), 0 when they overlap. */
  hours_apart: number | null
}

export function summarizeHours(hours: readonly number[], outcomes: readonly HourOutcome[]): SideSummary {
  const picked = outcomes.filter((o) => hours.includes(o.hour))
  const requests = picked.reduce((sum, o) => sum + o.requests, 0)
  const errors = picked.reduce((sum, o) => sum + o.errors, 0)
  const overloads = picked.reduce((sum, o) => sum + o.overloads, 0)
  const withLatency = picked.filter((o) => o.p95_ms !== null && o.requests > 0)
  const latencyWeight = withLatency.reduce((sum, o) => sum + o.requests, 0)
  const score = poolMoments(picked.flatMap((o) => (o.score ? [o.score] : [])))
  return {
    hours: [...hours],
    requests,
    error_rate: requests > 0 ? errors / requests : null,
    overload_rate: requests > 0 ? overloads / requests : null,
    p95_ms: latencyWeight > 0 ? withLatency.reduce((sum, o) => sum + o.p95_ms! * o.requests, 0) / latencyWeight : null,
    mean_score: score ? score.mean : null,
    score_count: score ? score.n : 0,
  }
}

/** Circular distance in hours between two sets of hours of the day. */
export function hoursApart(a: readonly number[], b: readonly number[]): number | null {
  if (a.length === 0 || b.length === 0) return null
  let best = 24
  for (const x of a) for (const y of b) best = Math.min(best, Math.abs(x - y), 24 - Math.abs(x - y))
  return best
}

/**
 * Compares eval runs (scores recorded in eval hours, and the eval traffic's model calls) with
 * production at its peak hours.
 */
export function compareEvalWithPeak(
  evalHours: readonly number[],
  peakHours: readonly number[],
  evalOutcomes: readonly HourOutcome[],
  productionOutcomes: readonly HourOutcome[],
): EvalVsProduction {
  const evalSide = summarizeHours(evalHours, evalOutcomes)
  const peak = summarizeHours(peakHours, productionOutcomes)
  const evalScore = poolMoments(evalOutcomes.filter((o) => evalHours.includes(o.hour)).flatMap((o) => (o.score ? [o.score] : [])))
  const peakScore = poolMoments(productionOutcomes.filter((o) => peakHours.includes(o.hour)).flatMap((o) => (o.score ? [o.score] : [])))
  const test = evalScore && peakScore ? meanDifferenceTest(peakScore, evalScore) : undefined
  const gap = (a: number | null, b: number | null) => (a !== null && b !== null ? a - b : null)
  return {
    eval: evalSide,
    peak,
    score_gap: gap(peak.mean_score, evalSide.mean_score),
    score_gap_significant: test !== undefined && test.p < 0.01,
    p95_gap_ms: gap(peak.p95_ms, evalSide.p95_ms),
    error_rate_gap: gap(peak.error_rate, evalSide.error_rate),
    hours_apart: hoursApart(evalHours, peakHours),
  }
}
