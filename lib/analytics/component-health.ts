// Which component broke, pure: each component's status against its baseline (failing, degraded
// or ok, and since when), and the suspects that explain the request-level errors and latency
// (docs/analytics.md, "Which component broke").
//
// Failing: for every candidate onset bucket s, the calls from s to the end of the range are
// compared with everything before s (the baseline window and the range's buckets before s) by a
// one-sided exact test conditional on the errors of both sides (binomial: with one error rate for
// all calls, an error falls after s with the probability of a call doing so); degraded: the share
// of calls from s on that were slower than the baseline's p95 is compared with the 5% expected by
// a one-sided exact binomial test. Exact, because a few events where fewer than one was expected
// look far stronger to a normal approximation than they are. z is reported beside p. The onset
// with the strongest evidence wins. Either needs the minimum evidence (calls and errors or slow
// calls after the onset, calls before it), a shift large enough to matter - in the calls since the
// onset and in the latest calls, so a status says what is true now and an episode that ended
// (a retry storm, a peak hour) is not one - and p below the level Bonferroni-corrected for every
// component, both tests and every candidate onset. Degraded is judged against the typical
// component over the same time (typicalSlowShare) rather than the bare 5%: a component whose
// calls are slow when everyone's are did not break.
import { binomialUpperTail } from './stats'

export const COMPONENT_KINDS = ['model', 'tool', 'retriever', 'reranker', 'guardrail', 'prompt'] as const
export type ComponentKind = (typeof COMPONENT_KINDS)[number]
export type ComponentStatus = 'failing' | 'degraded' | 'ok'

export interface ComponentBucket {
  /** Bucket start, ms since the epoch. */
  t: number
  calls: number
  errors: number
  /** Calls slower than the baseline's p95 (0 without a baseline p95). */
  slow: number
  p95_ms: number | null
}

export interface ComponentInput {
  component: string
  kind: ComponentKind
  baseline: { calls: number; errors: number; p95_ms: number | null }
  /** Every bucket of the range in time order (buckets without calls may be left out). */
  buckets: ComponentBucket[]
  /** p95 duration over the whole range. */
  p95_ms: number | null
  /** The most common error type of the range's failed calls ('' when none). */
  top_error: string
}

export interface HealthRules {
  alpha: number
  /** Calls needed before an onset (baseline and range together) and after it. */
  minCallsBefore: number
  minCallsAfter: number
  /** Errors (or slow calls) needed after an onset. */
  minEvents: number
  /** Failing: the error rate after must exceed the rate before by this much, and by this factor. */
  minErrorRateIncrease: number
  minErrorRateFactor: number
  /** Degraded: at least this share of calls after the onset slower than the baseline's p95, */
  minSlowShare: number
  /** and odds of a slow call at least this many times the typical component's over the same time. */
  minSlowOddsRatio: number
}

export const HEALTH_RULES: HealthRules = {
  alpha: 0.01,
  minCallsBefore: 30,
  minCallsAfter: 20,
  minEvents: 5,
  minErrorRateIncrease: 0.05,
  minErrorRateFactor: 3,
  minSlowShare: 0.25,
  minSlowOddsRatio: 6,
}

/** The share of calls slower than a p95, by definition of the p95. */
const EXPECTED_SLOW = 0.05

export interface HealthEvidence {
  test: 'error_rate' | 'slow_share'
  /** Calls and events (errors or slow calls) from the onset on, and the calls before it. */
  calls: number
  events: number
  rate: number
  calls_before: number
  /** The rate before the onset (error_rate), or the share expected to be slow (slow_share: 5%, or the typical component's). */
  rate_before: number
  z: number
  p: number
  /** The per-test level after the Bonferroni correction. */
  alpha: number
}

export interface ComponentHealth {
  component: string
  kind: ComponentKind
  calls: number
  error_rate: number | null
  baseline_error_rate: number | null
  p95_ms: number | null
  baseline_p95_ms: number | null
  status: ComponentStatus
  since: string | null
  /** Why the status is not ok; null when it is. */
  evidence: HealthEvidence | null
  /** Errors (failing) or slow calls (degraded) beyond what the baseline explains. */
  excess: number
  top_error: string
}

interface Onset {
  index: number
  evidence: HealthEvidence
  excess: number
}

const odds = (p: number) => (p >= 1 ? Infinity : p / (1 - p))

/**
 * The typical component's share of calls slower than its own baseline p95, from each bucket time
 * to the end of the range (the median over components with a baseline and enough calls): when
 * everything is slower (the daily peak, a Monday after a quiet Sunday, a provider under load), no
 * one component broke. At least the 5% a p95 implies; 5% with fewer than 3 such components.
 */
export function typicalSlowShare(inputs: readonly ComponentInput[], rules: HealthRules): (t: number) => number {
  const times = [...new Set(inputs.flatMap((input) => input.buckets.map((b) => b.t)))].sort((a, b) => a - b)
  const eligible = inputs.filter((input) => input.baseline.p95_ms !== null && input.baseline.calls >= rules.minCallsBefore)
  const shares = new Map<number, number>()
  const suffixes = eligible.map((input) => {
    const byT = new Map(input.buckets.map((b) => [b.t, b]))
    const suffix = new Map<number, { calls: number; slow: number }>()
    let acc = { calls: 0, slow: 0 }
    for (let i = times.length - 1; i >= 0; i--) {
      const b = byT.get(times[i])
      if (b) acc = { calls: acc.calls + b.calls, slow: acc.slow + b.slow }
      suffix.set(times[i], acc)
    }
    return suffix
  })
  for (const t of times) {
    const values = suffixes
      .map((suffix) => suffix.get(t)!)
      .filter((v) => v.calls >= rules.minCallsAfter)
      .map((v) => v.slow / v.calls)
      .sort((a, b) => a - b)
    const median = values.length >= 3 ? values[Math.floor((values.length - 1) / 2)] : EXPECTED_SLOW
    shares.set(t, Math.max(EXPECTED_SLOW, median))
  }
  return (t) => shares.get(t) ?? EXPECTED_SLOW
}

function strongestOnset(input: ComponentInput, test: 'error_rate' | 'slow_share', alpha: number, rules: HealthRules, typicalSlow: (t: number) => number): Onset | undefined {
  const buckets = input.buckets
  let after = { calls: 0, events: 0 }
  const suffix: Array<{ calls: number; events: number }> = new Array(buckets.length)
  for (let i = buckets.length - 1; i >= 0; i--) {
    after = { calls: after.calls + buckets[i].calls, events: after.events + (test === 'error_rate' ? buckets[i].errors : buckets[i].slow) }
    suffix[i] = after
  }
  // The latest buckets holding `minCallsAfter` calls (or a fifth of the range's): what "now" is.
  const total = suffix[0]?.calls ?? 0
  let tail = { calls: 0, events: 0 }
  for (let i = buckets.length - 1; i >= 0 && tail.calls < Math.max(rules.minCallsAfter, 0.2 * total); i--) tail = suffix[i]
  let before = { calls: input.baseline.calls, errors: input.baseline.errors }
  let best: Onset | undefined
  for (let i = 0; i < buckets.length; i++) {
    const { calls, events } = suffix[i]
    if (buckets[i].calls > 0 && calls >= rules.minCallsAfter && events >= rules.minEvents) {
      const rate = events / calls
      let z: number | undefined
      let p = 1
      let rateBefore = EXPECTED_SLOW
      let callsBefore = input.baseline.calls
      if (test === 'error_rate' && before.calls >= rules.minCallsBefore) {
        rateBefore = before.errors / before.calls
        callsBefore = before.calls
        const pooled = (before.errors + events) / (before.calls + calls)
        const se = Math.sqrt(pooled * (1 - pooled) * (1 / before.calls + 1 / calls))
        const large = (r: number) => r - rateBefore >= rules.minErrorRateIncrease && r >= rules.minErrorRateFactor * rateBefore
        // Still failing now: the latest calls show the shift too (a storm that ended is not a status).
        if (se > 0 && large(rate) && tail.calls > 0 && large(tail.events / tail.calls)) {
          z = (rate - rateBefore) / se
          // Exact, conditional on the errors on both sides: with one rate for all, each error falls
          // after the onset with the probability of a call doing so.
          p = binomialUpperTail(events, before.errors + events, calls / (before.calls + calls))
        }
      } else if (test === 'slow_share' && input.baseline.calls >= rules.minCallsBefore && input.baseline.p95_ms !== null) {
        const expected = typicalSlow(buckets[i].t)
        rateBefore = expected
        const se = Math.sqrt((expected * (1 - expected)) / calls)
        const large = (r: number) => r >= rules.minSlowShare && odds(r) >= rules.minSlowOddsRatio * odds(expected)
        if (large(rate) && tail.calls > 0 && large(tail.events / tail.calls)) {
          z = (rate - expected) / se
          p = binomialUpperTail(events, calls, expected)
        }
      }
      if (z !== undefined) {
        if (p < alpha && (!best || z > best.evidence.z)) {
          best = {
            index: i,
            evidence: { test, calls, events, rate, calls_before: callsBefore, rate_before: rateBefore, z, p, alpha },
            excess: events - rateBefore * calls,
          }
        }
      }
    }
    before = { calls: before.calls + buckets[i].calls, errors: before.errors + buckets[i].errors }
  }
  return best
}

export function componentHealth(inputs: readonly ComponentInput[], rules: Partial<HealthRules> = {}): ComponentHealth[] {
  const opts = { ...HEALTH_RULES, ...rules }
  const tests = inputs.reduce((sum, input) => sum + 2 * Math.max(1, input.buckets.length), 0)
  const typicalSlow = typicalSlowShare(inputs, opts)
  const alpha = opts.alpha / Math.max(1, tests)
  return inputs.map((input) => {
    const calls = input.buckets.reduce((sum, b) => sum + b.calls, 0)
    const errors = input.buckets.reduce((sum, b) => sum + b.errors, 0)
    const failing = strongestOnset(input, 'error_rate', alpha, opts, typicalSlow)
    const degraded = failing ? undefined : strongestOnset(input, 'slow_share', alpha, opts, typicalSlow)
    const onset = failing ?? degraded
    return {
      component: input.component,
      kind: input.kind,
      calls,
      error_rate: calls > 0 ? errors / calls : null,
      baseline_error_rate: input.baseline.calls > 0 ? input.baseline.errors / input.baseline.calls : null,
      p95_ms: input.p95_ms,
      baseline_p95_ms: input.baseline.p95_ms,
      status: failing ? 'failing' : degraded ? 'degraded' : 'ok',
      since: onset ? new Date(input.buckets[onset.index].t).toISOString() : null,
      evidence: onset?.evidence ?? null,
      excess: onset?.excess ?? 0,
      top_error: input.top_error,
    }
  })
}

export interface Suspect {
  component: string
  kind: ComponentKind
  reason: string
  since: string
  evidence_url: string
  evidence: HealthEvidence
}

const percent = (x: number) => `${x >= 0.1 ? Math.round(x * 100) : Math.round(x * 1000) / 10}%`
const clock = (iso: string) => iso.slice(11, 16)

/** The reason in words, e.g. "kb.search: 96% timeouts since 01:12, was 0.3%". */
export function suspectReason(health: ComponentHealth): string {
  const e = health.evidence!
  const since = clock(health.since!)
  if (e.test === 'error_rate') {
    const what = /time.?out|deadline/i.test(health.top_error) ? 'timeouts' : 'errors'
    return `${health.component}: ${percent(e.rate)} ${what} since ${since}, was ${percent(e.rate_before)}`
  }
  const usual = health.baseline_p95_ms !== null ? ` (${Math.round(health.baseline_p95_ms)} ms)` : ''
  const typical = e.rate_before > EXPECTED_SLOW + 1e-9 ? `; ${percent(e.rate_before)} for the typical component` : ''
  return `${health.component}: ${percent(e.rate)} of calls slower than its usual p95${usual} since ${since}, was 5%${typical}`
}

/**
 * The components that explain most of the request-level errors and latency: failing ones first,
 * by errors beyond their baseline rate, then degraded ones, by slow calls beyond the expected 5%.
 */
export function rankSuspects(health: readonly ComponentHealth[], evidenceUrl: (health: ComponentHealth) => string): Suspect[] {
  const rank = (h: ComponentHealth) => (h.status === 'failing' ? 0 : 1)
  return health
    .filter((h) => h.status !== 'ok' && h.evidence && h.since)
    .sort((a, b) => rank(a) - rank(b) || b.excess - a.excess || a.component.localeCompare(b.component))
    .map((h) => ({ component: h.component, kind: h.kind, reason: suspectReason(h), since: h.since!, evidence_url: evidenceUrl(h), evidence: h.evidence! }))
}

/** The one-line verdict at the top of the page. */
export function verdict(health: readonly ComponentHealth[], suspects: readonly Suspect[]): string {
  if (health.length === 0) return 'No component calls in this time range.'
  const first = suspects[0]
  if (!first) return `All ${health.length} components are within their baseline.`
  const status = health.find((h) => h.component === first.component && h.kind === first.kind)?.status
  const more = suspects.length > 1 ? `; ${suspects.length - 1} more suspect${suspects.length > 2 ? 's' : ''}` : ''
  return `${first.component} (${first.kind}) is ${status} since ${clock(first.since)}${more}.`
}
