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

/** log Gamma(x) for x > 0 (Lanczos, g = 7, 9 terms; relative error ~1e-15). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x)
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7]
  x -= 1
  let a = c[0]
  const t = x + 7.5
  for (let i = 1; i < 9; i++) a += c[i] / (x + i)
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a)
}

/**
 * P(X >= k) for X ~ Binomial(n, p), exact: the probabilities are summed from k away from the mode
 * until they vanish. The normal approximation overstates the evidence of a few events where
 * fewer than one was expected (7 errors where 0.6 were expected is not the z = 8 it suggests
 * once the expected rate itself rests on a handful of errors), so the detectors that count
 * events use this instead.
 */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1
  if (k > n || p <= 0) return 0
  if (p >= 1) return 1
  const logPmf = (j: number) => logGamma(n + 1) - logGamma(j + 1) - logGamma(n - j + 1) + j * Math.log(p) + (n - j) * Math.log1p(-p)
  const odds = p / (1 - p)
  if (k > n * p) {
    // Above the mean the terms fall from k on.
    let term = Math.exp(logPmf(k))
    let sum = term
    for (let j = k; j < n && term > sum * 1e-16; j++) {
      term *= ((n - j) / (j + 1)) * odds
      sum += term
    }
    return Math.min(1, sum)
  }
  // At or below the mean: one minus P(X <= k - 1), whose terms fall from k - 1 down.
  let term = Math.exp(logPmf(k - 1))
  let sum = term
  for (let j = k - 1; j > 0 && term > sum * 1e-16; j--) {
    term *= (j / (n - j + 1)) / odds
    sum += term
  }
  return Math.max(0, 1 - sum)
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
