// The evidence a monitor asks for before it compares a window with its baseline
// (docs/monitors.md, "Evidence before an incident"). A baseline comparison fires only when
//   1. both sides hold the minimum evidence (calls, events, hours, spend),
//   2. the change is as large as the monitor asks (its multiple or drop), and
//   3. the change is significant: a one-sided test whose level is Bonferroni-corrected for every
//      thing compared at once (every component, tenant or score name the evaluation judged).
// The tests are the ones the views use: the conditional exact binomial of component health for
// rates, a z-test against the baseline's own hour-to-hour variance for spend, Welch's test for
// means. Pure: the monitor types read the numbers, these functions judge them.
import { binomialUpperTail, normalCdf } from '@/lib/analytics/stats'

export interface MonitorEvidenceRules {
  /** Significance level before the correction. */
  alpha: number
  /** Events (errors, retried calls) in the window before a rate is judged. */
  minEvents: number
  /** Calls of the baseline before a rate is compared with it. */
  minCallsBefore: number
  /** A rate must rise by at least this much (absolute), beside the multiple. */
  minRateIncrease: number
  /** Hours of the baseline with spend before spend is compared with it. */
  minBaselineHours: number
}

export const MONITOR_EVIDENCE: MonitorEvidenceRules = {
  alpha: 0.01,
  minEvents: 5,
  minCallsBefore: 30,
  minRateIncrease: 0.01,
  minBaselineHours: 6,
}

/** What a comparison rested on, for the incident's summary and the tests. */
export interface ComparisonEvidence {
  /** One-sided p value of the change (1 when not tested). */
  p: number
  /** The corrected level p had to be below. */
  alpha: number
  /** Why it does not fire, when it does not ('' when it fires). */
  quiet: string
}

/** The rules with a caller's overrides, and the level corrected for what is compared at once. */
function levelOf(options: { comparisons: number; rules?: Partial<MonitorEvidenceRules> }): { rules: MonitorEvidenceRules; alpha: number } {
  const rules = { ...MONITOR_EVIDENCE, ...options.rules }
  return { rules, alpha: rules.alpha / Math.max(1, options.comparisons) }
}

const fires = (p: number, alpha: number): ComparisonEvidence => ({ p, alpha, quiet: p < alpha ? '' : `not significant (p ${p.toPrecision(2)} ≥ ${alpha.toPrecision(2)})` })
const quiet = (alpha: number, why: string): ComparisonEvidence => ({ p: 1, alpha, quiet: why })

/**
 * A rate (errors per call, retried calls per logical call) against its baseline: `events` of
 * `trials` in the window, `baseEvents` of `baseTrials` before. Fires when the window's rate is at
 * least `multiple` times the baseline's and `minRateIncrease` above it, with `minEvents` events and
 * `minCalls` trials in the window and `minCallsBefore` before, and the exact one-sided test
 * conditional on the events of both sides (with one rate for all, an event falls in the window
 * with the probability of a trial doing so) below alpha / comparisons.
 */
export function rateRise(
  window: { events: number; trials: number },
  baseline: { events: number; trials: number },
  options: { multiple: number; minCalls: number; comparisons: number; rules?: Partial<MonitorEvidenceRules> },
): ComparisonEvidence {
  const { rules, alpha } = levelOf(options)
  if (window.trials < options.minCalls) return quiet(alpha, `${window.trials} calls in the window, fewer than ${options.minCalls}`)
  if (window.events < rules.minEvents) return quiet(alpha, `${window.events} events in the window, fewer than ${rules.minEvents}`)
  if (baseline.trials < rules.minCallsBefore) return quiet(alpha, `${baseline.trials} calls in the baseline, fewer than ${rules.minCallsBefore}`)
  const rate = window.events / window.trials
  const before = baseline.events / baseline.trials
  if (rate < options.multiple * before || rate - before < rules.minRateIncrease) return quiet(alpha, 'below the multiple of the baseline')
  return fires(binomialUpperTail(window.events, baseline.events + window.events, window.trials / (baseline.trials + window.trials)), alpha)
}

export interface SpendBaseline {
  /** Spend of every hour of the baseline, zeros included, in time order. */
  hourly: number[]
  /** Hour of day (0-23, UTC) of each entry of `hourly`. */
  hourOfDay: number[]
}

/** The spend per hour a window is compared with: the baseline's mean, or its mean at the window's hours of day when higher. */
export function spendReference(baseline: SpendBaseline, windowHoursOfDay: readonly number[]): { mean: number; sameHours: number | null; reference: number } {
  const n = baseline.hourly.length
  const mean = n > 0 ? baseline.hourly.reduce((a, b) => a + b, 0) / n : 0
  const wanted = new Set(windowHoursOfDay)
  const same = baseline.hourly.filter((_, i) => wanted.has(baseline.hourOfDay[i]))
  const sameHours = same.length > 0 ? same.reduce((a, b) => a + b, 0) / same.length : null
  return { mean, sameHours, reference: Math.max(mean, sameHours ?? 0) }
}

/**
 * Spend per hour over a window of `windowHours` against the baseline's hours. Fires when it is
 * above `multiple` times the reference (the baseline's mean per hour, or its mean at the same hours
 * of day when that is higher, so a daily peak is not a spike) and at least `minUsdPerHour`, the
 * baseline had spend in `minBaselineHours` hours, and a one-sided z-test against the baseline's
 * hour-to-hour variation (which holds its daily rhythm, so it is conservative) is below
 * alpha / comparisons.
 */
export function spendRise(
  valuePerHour: number,
  windowHours: number,
  baseline: SpendBaseline,
  windowHoursOfDay: readonly number[],
  options: { multiple: number; minUsdPerHour: number; comparisons: number; rules?: Partial<MonitorEvidenceRules> },
): ComparisonEvidence & { reference: number } {
  const { rules, alpha } = levelOf(options)
  const { mean, reference } = spendReference(baseline, windowHoursOfDay)
  const active = baseline.hourly.filter((v) => v > 0).length
  if (active < rules.minBaselineHours) return { ...quiet(alpha, `spend in ${active} hours of the baseline, fewer than ${rules.minBaselineHours}`), reference }
  if (valuePerHour < options.minUsdPerHour) return { ...quiet(alpha, `below the floor of ${options.minUsdPerHour} USD per hour`), reference }
  if (valuePerHour <= options.multiple * reference) return { ...quiet(alpha, 'below the multiple of the baseline'), reference }
  const n = baseline.hourly.length
  const variance = n > 1 ? baseline.hourly.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (n - 1) : 0
  const se = Math.sqrt(variance * (1 / Math.max(1, windowHours) + 1 / n))
  const p = se > 0 ? 1 - normalCdf((valuePerHour - mean) / se) : valuePerHour > mean ? 0 : 1
  return { ...fires(p, alpha), reference }
}

export interface ScoreMoments {
  n: number
  mean: number
  /** Sample variance (n - 1 denominator). */
  variance: number
}

/**
 * A mean score against its baseline: fires when the window's mean is below the baseline's by at
 * least `minDrop`, both sides hold `minScores` scores, and Welch's one-sided test of the drop is
 * below alpha / comparisons.
 */
export function meanDrop(window: ScoreMoments, baseline: ScoreMoments, options: { minDrop: number; minScores: number; comparisons: number; rules?: Partial<MonitorEvidenceRules> }): ComparisonEvidence {
  const { rules, alpha } = levelOf(options)
  if (window.n < options.minScores || baseline.n < options.minScores) return quiet(alpha, `fewer than ${options.minScores} scores on a side`)
  if (baseline.mean - window.mean < options.minDrop) return quiet(alpha, 'a smaller drop than asked')
  const se = Math.sqrt(window.variance / window.n + baseline.variance / baseline.n)
  const p = se > 0 ? 1 - normalCdf((baseline.mean - window.mean) / se) : 0
  return fires(p, alpha)
}

/**
 * A rate against a fixed threshold: fires when `events` of `trials` is at or above `threshold`
 * with `minCalls` trials and `minEvents` events, and the exact one-sided binomial test of "the
 * true rate is at most the threshold" is below alpha / comparisons (2 errors in 22 calls is 9%,
 * but no evidence that more than 5% fail).
 */
export function rateAbove(window: { events: number; trials: number }, threshold: number, options: { minCalls: number; comparisons: number; rules?: Partial<MonitorEvidenceRules> }): ComparisonEvidence {
  const { rules, alpha } = levelOf(options)
  if (window.trials < options.minCalls) return quiet(alpha, `${window.trials} calls in the window, fewer than ${options.minCalls}`)
  if (window.events < rules.minEvents) return quiet(alpha, `${window.events} events in the window, fewer than ${rules.minEvents}`)
  if (window.events / window.trials < threshold) return quiet(alpha, 'below the threshold')
  return fires(threshold <= 0 ? 0 : binomialUpperTail(window.events, window.trials, threshold), alpha)
}

/**
 * A mean score against a fixed floor: fires when the mean of `minScores` or more is below it and
 * the one-sided z-test of "the true mean is at least the floor" is below alpha / comparisons.
 */
export function meanBelow(window: ScoreMoments, floor: number, options: { minScores: number; comparisons: number; rules?: Partial<MonitorEvidenceRules> }): ComparisonEvidence {
  const { rules, alpha } = levelOf(options)
  if (window.n < options.minScores) return quiet(alpha, `${window.n} scores, fewer than ${options.minScores}`)
  if (window.mean >= floor) return quiet(alpha, 'at or above the floor')
  const se = Math.sqrt(window.variance / window.n)
  return fires(se > 0 ? 1 - normalCdf((floor - window.mean) / se) : 0, alpha)
}
