// The demo week's plan: its range, its size and the planted stories with their exact windows.
// The plan is what docs/demo.md describes and what tests check the generated data against.
import { DAY, HOUR, MINUTE, atLocalHour, localDay, place, tzOffsetMinutes } from './schedule'
import { tenantById } from './world'

export interface DemoOptions {
  /** Seed of every random draw (default 7). */
  seed?: number
  /** Spans to generate, approximately (default 200,000). */
  spans?: number
  /** Length of the range in days (default 7). */
  days?: number
  /** End of the range (default now): the generated week ends here. */
  end?: Date | number | string
  /** Spans per yielded batch (default 1,000; batches hold whole traces). */
  batchSpans?: number
}

export interface EvalRun {
  id: string
  start: number
  cases: number
}

export interface DemoPlan {
  seed: number
  spans: number
  days: number
  start: number
  end: number
  batchSpans: number
  /** A few users start getting the expensive model path (Tue-Thu, 10:00 New York). */
  routingChange: { at: number; premiumShare: number; perRequestShare: number }
  /** Brightpath's onboarding push: new prompt prefixes, org-wide cache hit rate collapses. */
  cacheIncident: { tenant: string; onset: number; pushEnd: number; recovered: number }
  /** Globex's bulk job meets the OpenAI rate limit; every tenant's calls retry in a storm. */
  retryStorm: { tenant: string; start: number; end: number }
  /** shipping-tools v2.3 ships: track_shipment re-enters itself through format_reply. */
  loopDeploy: { at: number; tenant: string; tool: string; formatter: string; recursionLimit: number }
  /** support-triage v13 replaces v12 (new system-prompt hashes, a stricter output format). */
  promptRollout: { at: number; from: string; to: string }
  /** Nightly eval runs, 02:00 New York. */
  evalRuns: EvalRun[]
  /** Initech's knowledge-base re-index job runs away: one trace with thousands of spans. */
  runaway: { at: number; tenant: string; spans: number }
}

export const DEFAULT_SPANS = 200_000
export const MAX_SPANS = 50_000_000
export const MAX_DAYS = 28

function toMillis(end: DemoOptions['end']): number {
  if (end === undefined) return Date.now()
  const ms = end instanceof Date ? end.getTime() : typeof end === 'number' ? end : Date.parse(end)
  if (!Number.isFinite(ms)) throw new Error(`end must be a date (got ${String(end)})`)
  return ms
}

/**
 * The end of the latest whole week before `now`: Monday 00:00 UTC. Tests load the demo week
 * ending here, so its stories fall on the same weekdays and hours whenever the suite runs (and
 * at most two weeks back, well inside retention).
 */
export function pinnedWeekEnd(now: Date | number = Date.now()): Date {
  const day = Math.floor(toMillis(now) / DAY)
  // Day 0 (1970-01-01) was a Thursday: (day + 3) % 7 is the number of days since Monday.
  return new Date((day - ((day + 3) % 7)) * DAY)
}

export function planDemo(options: DemoOptions = {}): DemoPlan {
  const seed = Math.trunc(options.seed ?? 7)
  const spans = Math.trunc(options.spans ?? DEFAULT_SPANS)
  const days = options.days ?? 7
  if (!Number.isFinite(spans) || spans < 100 || spans > MAX_SPANS) throw new Error(`spans must be between 100 and ${MAX_SPANS} (got ${options.spans})`)
  if (!Number.isFinite(days) || days < 0.25 || days > MAX_DAYS) throw new Error(`days must be between 0.25 and ${MAX_DAYS} (got ${options.days})`)
  // Whole minutes keep the generated times (and so the data) identical for equal options.
  const end = Math.floor(toMillis(options.end) / MINUTE) * MINUTE
  const start = end - Math.round(days * DAY)
  const batchSpans = Math.max(1, Math.trunc(options.batchSpans ?? 1000))

  const ny = 'America/New_York'
  const nyOffset = tzOffsetMinutes(ny, (start + end) / 2)
  const culprit = tenantById('brightpath')!
  const stormTenant = tenantById('globex')!

  const routingAt = place(start, end, { fraction: 0.55, hour: 10, tz: ny, weekdays: [2, 3, 4], durationMs: 6 * HOUR })
  const onset = place(start, end, {
    fraction: 0.4,
    hour: 9,
    tz: culprit.tz,
    weekdays: [1, 2, 3, 4, 5],
    durationMs: 6 * HOUR,
    avoidDays: [localDay(routingAt, nyOffset)],
  })
  const pushHours = Math.min(4, (days * 24) / 8)
  const pushEnd = onset + pushHours * HOUR
  const stormAt = place(start, end, {
    fraction: 0.85,
    hour: 14,
    tz: stormTenant.tz,
    weekdays: [1, 2, 3, 4, 5],
    durationMs: 45 * MINUTE,
    avoidDays: [localDay(onset, nyOffset), localDay(routingAt, nyOffset)],
  })

  // One run per night at 02:00 New York; the number of cases grows with the dataset.
  const evalRuns: EvalRun[] = []
  const casesPerRun = Math.max(6, Math.min(400, Math.round((spans / 15) * 0.012 / Math.max(1, days))))
  for (let day = start - DAY; day < end; day += DAY) {
    const at = atLocalHour(day, nyOffset, 2)
    if (at < start || at > end - 90 * MINUTE) continue
    const date = new Date(at).toISOString().slice(0, 10).replaceAll('-', '')
    evalRuns.push({ id: `nightly-${date}-s${seed}`, start: at, cases: casesPerRun })
  }

  return {
    seed,
    spans,
    days,
    start,
    end,
    batchSpans,
    routingChange: { at: routingAt, premiumShare: 0.3, perRequestShare: 0.12 },
    cacheIncident: { tenant: culprit.id, onset, pushEnd, recovered: pushEnd + 75 * MINUTE },
    retryStorm: { tenant: stormTenant.id, start: stormAt, end: stormAt + 45 * MINUTE },
    loopDeploy: { at: start + Math.round((end - start) * 0.2), tenant: 'globex', tool: 'track_shipment', formatter: 'format_reply', recursionLimit: 25 },
    promptRollout: { at: start + Math.round((end - start) * 0.3), from: '12', to: '13' },
    evalRuns,
    runaway: {
      at: place(start, end, { fraction: 0.65, hour: 13, tz: 'America/Los_Angeles', weekdays: [1, 2, 3, 4, 5], durationMs: HOUR }),
      tenant: 'initech',
      spans: Math.max(200, Math.min(10_000, Math.round(spans / 100))),
    },
  }
}

/** 0..1: how hard the cache incident is hitting at an instant (ramps in, holds, recovers). */
export function cacheSeverity(plan: DemoPlan, at: number): number {
  const { onset, pushEnd, recovered } = plan.cacheIncident
  if (at < onset || at >= recovered) return 0
  if (at < onset + 20 * MINUTE) return (at - onset) / (20 * MINUTE)
  if (at < pushEnd) return 1
  return 1 - (at - pushEnd) / (recovered - pushEnd)
}

export function inRetryStorm(plan: DemoPlan, at: number): boolean {
  return at >= plan.retryStorm.start && at < plan.retryStorm.end
}

export function inOnboardingPush(plan: DemoPlan, at: number): boolean {
  return at >= plan.cacheIncident.onset && at < plan.cacheIncident.pushEnd
}
