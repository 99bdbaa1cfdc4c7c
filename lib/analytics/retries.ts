// Retry accounting (GET /api/v1/analytics/retries and its page): attempts against logical calls,
// what each error class costs in retries and how often retrying it pays, per model, and the
// runaways - retry loops that ran far longer than a retry policy should let them.
import { z } from 'zod'
import { currentPrices, type PriceOf } from './costs'
import { loadLogicalCalls, type Attempt, type SingleCalls } from './logical-calls'
import { rangeFields, refineRange } from './range-params'
import { foundBy, type LogicalCall } from './retry-chains'

export const retriesInputSchema = z
  .object({ ...rangeFields })
  .strict()
  .transform((value, ctx) => refineRange(value, ctx) ?? z.NEVER)
export type RetriesInput = z.output<typeof retriesInputSchema>

/**
 * The runaway detector's minimum evidence (docs/analytics.md, "Runaways"). Retried logical calls
 * with the same name and the same session (else user; else only within their trace) that follow
 * each other within `maxGapMs` form one loop; a loop is a runaway only with at least
 * `minAttempts` attempts of which at least `minFailedShare` failed. Ordinary retries - a 429
 * retried once or twice and then served, even many of them in one busy session - never reach
 * that: their attempts mostly succeed.
 */
export const RUNAWAY_RULE = { minAttempts: 20, minFailedShare: 0.8, maxGapMs: 30 * 60_000, limit: 20 } as const

export interface RetryTotals {
  logical_calls: number
  attempts: number
  retried_calls: number
  cost_usd: number
  retry_cost_usd: number
  retry_tokens: number
}

export interface ErrorRetries {
  error_type: string
  attempts: number
  retried_calls: number
  /** Of the retried calls whose first attempt failed with this error, the share that succeeded later. */
  eventual_success_rate: number | null
  retry_cost_usd: number
}

export interface ModelRetries {
  model: string
  logical_calls: number
  attempts: number
  retry_cost_usd: number
}

export interface Runaway {
  trace_id: string
  name: string
  attempts: number
  first_at: string
  last_at: string
  duration_ms: number
  cost_usd: number
  tokens: number
  /** Which rule linked its retries: `explicit` attributes, `inferred` siblings, or `both`. */
  found_by: 'explicit' | 'inferred' | 'both'
  /** Traces the loop ran across (its `trace_id` is the one with most attempts). */
  traces: number
  failed_attempts: number
}

export interface RetriesAnswer {
  totals: RetryTotals
  by_error: ErrorRetries[]
  by_model: ModelRetries[]
  runaways: Runaway[]
}

export interface RetriesReport extends RetriesAnswer {
  from: string
  to: string
}

const sum = <T>(items: readonly T[], of: (item: T) => number) => items.reduce((total, item) => total + of(item), 0)

/** Aggregates logical calls (and the single-attempt remainder) into the retries answer. Pure. */
export function retryAccounting(chained: readonly LogicalCall<Attempt>[], singles: readonly SingleCalls[]): RetriesAnswer {
  const totals: RetryTotals = { logical_calls: 0, attempts: 0, retried_calls: 0, cost_usd: 0, retry_cost_usd: 0, retry_tokens: 0 }
  const byModel = new Map<string, ModelRetries>()
  const modelOf = (model: string) => {
    let entry = byModel.get(model)
    if (!entry) byModel.set(model, (entry = { model, logical_calls: 0, attempts: 0, retry_cost_usd: 0 }))
    return entry
  }
  for (const single of singles) {
    totals.logical_calls += single.calls
    totals.attempts += single.calls
    totals.cost_usd += single.cost_usd
    const model = modelOf(single.model)
    model.logical_calls += single.calls
    model.attempts += single.calls
  }

  const byError = new Map<string, { error_type: string; attempts: number; retried_calls: number; succeeded: number; retry_cost_usd: number }>()
  for (const call of chained) {
    const [first, ...retries] = call.attempts
    const retryCost = sum(retries, (a) => a.cost_usd)
    totals.logical_calls++
    totals.attempts += call.attempts.length
    totals.cost_usd += first.cost_usd + retryCost
    totals.retry_cost_usd += retryCost
    totals.retry_tokens += sum(retries, (a) => a.tokens)
    if (retries.length > 0) totals.retried_calls++
    // A call counts for the model its first attempt asked for; retries that fell back to
    // another model are still its retry cost.
    const model = modelOf(first.model)
    model.logical_calls++
    model.attempts += call.attempts.length
    model.retry_cost_usd += retryCost
    if (first.failure) {
      let entry = byError.get(first.failure)
      if (!entry) byError.set(first.failure, (entry = { error_type: first.failure, attempts: 0, retried_calls: 0, succeeded: 0, retry_cost_usd: 0 }))
      entry.attempts += call.attempts.length
      entry.retry_cost_usd += retryCost
      if (retries.length > 0) {
        entry.retried_calls++
        if (!call.attempts[call.attempts.length - 1].failed) entry.succeeded++
      }
    }
  }
  return {
    totals,
    by_error: [...byError.values()]
      .map(({ succeeded, ...entry }) => ({ ...entry, eventual_success_rate: entry.retried_calls > 0 ? succeeded / entry.retried_calls : null }))
      .sort((a, b) => b.retry_cost_usd - a.retry_cost_usd || b.attempts - a.attempts || a.error_type.localeCompare(b.error_type)),
    by_model: [...byModel.values()].sort((a, b) => b.retry_cost_usd - a.retry_cost_usd || b.attempts - a.attempts || a.model.localeCompare(b.model)),
    runaways: findRunaways(chained),
  }
}

interface Loop {
  calls: LogicalCall<Attempt>[]
  first: number
  last: number
}

/**
 * Runaways among logical calls (RUNAWAY_RULE): retried calls of one name and session (or user)
 * that follow each other closely are one loop; loops with enough, mostly failing, attempts are
 * runaways, the costliest first. Pure.
 */
export function findRunaways(calls: readonly LogicalCall<Attempt>[], rule = RUNAWAY_RULE): Runaway[] {
  const byOwner = new Map<string, LogicalCall<Attempt>[]>()
  for (const call of calls) {
    if (call.attempts.length < 2) continue
    const first = call.attempts[0]
    const owner = first.session_id ? `s:${first.session_id}` : first.user_id ? `u:${first.user_id}` : `t:${first.trace_id}`
    const key = `${owner}\u0000${first.name}`
    let list = byOwner.get(key)
    if (!list) byOwner.set(key, (list = []))
    list.push(call)
  }
  const loops: Loop[] = []
  const gapUs = rule.maxGapMs * 1000
  for (const list of byOwner.values()) {
    list.sort((a, b) => a.attempts[0].start_us - b.attempts[0].start_us)
    let loop: Loop | undefined
    for (const call of list) {
      const first = call.attempts[0].start_us
      const last = call.attempts.reduce((latest, a) => Math.max(latest, a.end_us), 0)
      if (loop && first - loop.last <= gapUs) {
        loop.calls.push(call)
        loop.last = Math.max(loop.last, last)
      } else {
        loops.push((loop = { calls: [call], first, last }))
      }
    }
  }
  const runaways: Runaway[] = []
  for (const loop of loops) {
    const attempts = loop.calls.flatMap((call) => call.attempts)
    const failed = attempts.filter((a) => a.failed).length
    if (attempts.length < rule.minAttempts || failed < rule.minFailedShare * attempts.length) continue
    const perTrace = new Map<string, number>()
    for (const a of attempts) perTrace.set(a.trace_id, (perTrace.get(a.trace_id) ?? 0) + 1)
    const [traceId] = [...perTrace.entries()].reduce((best, entry) => (entry[1] > best[1] ? entry : best))
    const rules = new Set(loop.calls.map((call) => foundBy(call)))
    runaways.push({
      trace_id: traceId,
      name: loop.calls[0].attempts[0].name,
      attempts: attempts.length,
      first_at: new Date(loop.first / 1000).toISOString(),
      last_at: new Date(loop.last / 1000).toISOString(),
      duration_ms: (loop.last - loop.first) / 1000,
      cost_usd: sum(attempts, (a) => a.cost_usd),
      tokens: sum(attempts, (a) => a.tokens),
      found_by: rules.has('both') || (rules.has('explicit') && rules.has('inferred')) ? 'both' : rules.has('explicit') ? 'explicit' : 'inferred',
      traces: perTrace.size,
      failed_attempts: failed,
    })
  }
  return runaways.sort((a, b) => b.cost_usd - a.cost_usd || b.attempts - a.attempts).slice(0, rule.limit)
}

export async function retriesReport(projectId: string, input: RetriesInput, priceOf?: PriceOf): Promise<RetriesReport> {
  const { chained, singles } = await loadLogicalCalls(projectId, input, priceOf ?? (await currentPrices()))
  return { from: input.from.toISOString(), to: input.to.toISOString(), ...retryAccounting(chained, singles) }
}

export function retriesAnswer(report: RetriesReport): RetriesAnswer {
  const { from: _from, to: _to, ...answer } = report
  return answer
}
