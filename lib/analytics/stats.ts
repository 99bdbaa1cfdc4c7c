// Small, exact statistics for deciding whether a difference between two groups is larger than
// its sample size explains: Wilson score intervals for rates, a two-proportion z-test, and a
// Welch z-test for means (large-sample, so the normal approximation is adequate).

/** Standard normal cumulative distribution (Abramowitz-Stegun 7.1.26 via erf; |error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2
  const t = 1 / (1 + 0.3275911 * x)
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
  const erf = 1 - poly * Math.exp(-x * x)
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2
}

/** Two-sided p-value of a z statistic. */
export function twoSidedP(z: number): number {
  return Math.min(1, 2 * (1 - normalCdf(Math.abs(z))))
}

export interface Interval {
  low: number
  high: number
}

/** Wilson score interval of a proportion (95% by default); undefined when there are no trials. */
export function wilsonInterval(successes: number, trials: number, z = 1.959964): Interval | undefined {
  if (trials <= 0) return undefined
  const p = successes / trials
  const z2 = z * z
  const denominator = 1 + z2 / trials
  const center = (p + z2 / (2 * trials)) / denominator
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denominator
  return { low: Math.max(0, center - half), high: Math.min(1, center + half) }
}

export interface TestResult {
  /** a's value minus b's. */
  difference: number
  z: number
  p: number
}

/** Two-proportion z-test with a pooled standard error; undefined when either group is empty. */
export function twoProportionTest(successesA: number, trialsA: number, successesB: number, trialsB: number): TestResult | undefined {
  if (trialsA <= 0 || trialsB <= 0) return undefined
  const pA = successesA / trialsA
  const pB = successesB / trialsB
  const pooled = (successesA + successesB) / (trialsA + trialsB)
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / trialsA + 1 / trialsB))
  const difference = pA - pB
  if (se === 0) return { difference, z: 0, p: 1 }
  const z = difference / se
  return { difference, z, p: twoSidedP(z) }
}

export interface SampleMoments {
  n: number
  mean: number
  /** Sample variance (n - 1 denominator). */
  variance: number
}

/** Welch's test of two means with the normal approximation; needs at least 2 values per group. */
export function meanDifferenceTest(a: SampleMoments, b: SampleMoments): TestResult | undefined {
  if (a.n < 2 || b.n < 2) return undefined
  const se = Math.sqrt(a.variance / a.n + b.variance / b.n)
  const difference = a.mean - b.mean
  if (se === 0) return { difference, z: 0, p: difference === 0 ? 1 : 0 }
  const z = difference / se
  return { difference, z, p: twoSidedP(z) }
}

/** Token-weighted rate: numerator over denominator, null when nothing was measured. */
export function ratio(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}
