// The monitor types: for each, its parameters (every one with a working default, so `{}` is a
// valid monitor) and how one evaluation reads the latest window through the analytics code that
// already answers the question - the cache view's incident detector, component health, the
// overview's series, the guardrail view's request latency, the retry accounting, the cycle index
// - and turns the answer into a finding: firing or not, the value against its threshold, a
// summary in words, the suspect, and the view that shows it (docs/monitors.md).
import { z } from 'zod'
import { cyclesInWindow, scoreMeans } from '@/db/clickhouse/queries/monitor-signals'
import { cacheUsage } from '@/db/clickhouse/queries/analytics/cache'
import { COMPONENTS } from '@/db/clickhouse/queries/analytics/overview'
import type { IncidentSuspect } from '@/db/postgres/schema'
import { cacheThrashReport } from '@/lib/analytics/cache-thrash'
import { DEFAULT_DETECTION } from '@/lib/analytics/cache-incidents'
import { COMPONENT_KINDS } from '@/lib/analytics/component-health'
import { componentsReport } from '@/lib/analytics/components'
import { costOf, currentPrices } from '@/lib/analytics/costs'
import { guardrailsReport } from '@/lib/analytics/guardrails'
import { overviewReport } from '@/lib/analytics/overview'
import { retriesReport } from '@/lib/analytics/retries'
import { MONITOR_EVIDENCE, meanBelow, meanDrop, rateAbove, rateRise, spendRise, type SpendBaseline } from './evidence'

export const MONITOR_TYPES = ['cache_thrash', 'error_spike', 'latency', 'reentrancy', 'cost', 'score_drop', 'metric'] as const
export type MonitorType = (typeof MONITOR_TYPES)[number]

/** What one evaluation found. */
export interface Finding {
  firing: boolean
  value: number | null
  threshold: number | null
  /** In words, e.g. "cache hit rate 71% → 18% since 09:47; suspect tenant: brightpath; extra cost so far $412". */
  summary: string
  suspect: IncidentSuspect
  /** When the condition began, when the detector says (else the window's start). */
  since: Date
  /** The project page that shows it (path below /projects/<id>/) and its filters; the time range is added when shared. */
  evidence: { page: string; state: Record<string, string> }
}

const seconds = (least: number, most: number) =>
  z
    .number({ message: 'must be a number of seconds' })
    .int('must be a whole number of seconds')
    .min(least, `must be at least ${least}`)
    .max(most, `must be at most ${most}`)
const positive = z.number({ message: 'must be a number' }).positive('must be above 0')
const share = z.number({ message: 'must be a number between 0 and 1' }).min(0, 'must be at least 0').max(1, 'must be at most 1')
const multiple = z.number({ message: 'must be a number' }).min(1, 'must be at least 1').max(1000, 'must be at most 1000')
const DAY = 86_400

const percent = (x: number) => `${Math.round(x * 1000) / 10}%`.replace(/\.0%$/, '%')
const usd = (x: number) => (x >= 100 ? `$${Math.round(x).toLocaleString('en-US')}` : `$${x.toFixed(2)}`)
const ms = (x: number) => (x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : `${Math.round(x)} ms`)
const clock = (date: Date) => date.toISOString().slice(11, 16)
const floorTo = (t: number, stepMs: number) => Math.floor(t / stepMs) * stepMs

/** The latest complete window of `windowS` seconds (aligned, so a p95 over it is exact). */
function latestWindow(now: Date, windowS: number): { from: Date; to: Date } {
  const to = floorTo(now.getTime(), windowS * 1000)
  return { from: new Date(to - windowS * 1000), to: new Date(to) }
}

// ---- cache_thrash -----------------------------------------------------------------------

const cacheThrashParams = z
  .object({
    /** Least estimated cost of the lost cache hits, USD (the cache view's `min_extra_cost_usd`). */
    min_extra_cost_usd: z.number({ message: 'must be a number of USD' }).min(0, 'must be at least 0').max(1_000_000).default(DEFAULT_DETECTION.minExtraCostUsd),
    /** Bucket of the hit-rate timeline the detector judges. */
    bucket_s: seconds(10, 3600).default(60),
    /** How far back the detector reads (its baseline comes before this). */
    window_s: seconds(600, 7 * DAY).default(3 * 3600),
  })
  .strict()

async function evaluateCacheThrash(projectId: string, params: z.output<typeof cacheThrashParams>, now: Date): Promise<Finding> {
  const bucketMs = params.bucket_s * 1000
  const report = await cacheThrashReport(projectId, {
    from: new Date(floorTo(now.getTime() - params.window_s * 1000, bucketMs)),
    to: now,
    bucketSeconds: params.bucket_s,
    minExtraCostUsd: params.min_extra_cost_usd,
  })
  // Ongoing: the incident reaches the last complete bucket (or the one under way).
  const lastComplete = floorTo(now.getTime(), bucketMs) - bucketMs
  const ongoing = report.incidents.filter((incident) => Date.parse(incident.end) > lastComplete)
  const incident = ongoing[ongoing.length - 1]
  // The cache page takes buckets of a minute or more.
  const evidence = { page: 'analytics/cache', state: { bucket: String(Math.max(60, params.bucket_s)), min_extra_cost_usd: String(params.min_extra_cost_usd) } }
  if (!incident) {
    // The latest complete bucket's rate (the one under way may hold a few calls only).
    const last = report.overall.filter((point) => point.hit_rate !== null && Date.parse(point.t) <= lastComplete).at(-1)
    return {
      firing: false,
      value: last?.hit_rate ?? null,
      threshold: null,
      summary: last?.hit_rate != null ? `cache hit rate ${percent(last.hit_rate)}, no thrash under way` : 'no model calls with input tokens in the window',
      suspect: {},
      since: new Date(now.getTime() - params.window_s * 1000),
      evidence,
    }
  }
  const since = new Date(incident.start)
  const suspect = incident.suspect_tenant_id ? `suspect tenant: ${incident.suspect_tenant_id}` : 'no tenant stands out'
  return {
    firing: true,
    value: incident.hit_rate,
    threshold: incident.baseline_hit_rate,
    summary: `cache hit rate ${percent(incident.baseline_hit_rate)} → ${percent(incident.hit_rate)} since ${clock(since)}; ${suspect}; extra cost so far ${usd(incident.extra_cost_usd)}`,
    suspect: incident.suspect_tenant_id ? { tenant: incident.suspect_tenant_id } : {},
    since,
    evidence,
  }
}

// ---- error_spike ------------------------------------------------------------------------

const errorSpikeParams = z
  .object({
    /** Which components: one kind, or all. */
    component_kind: z.enum(['all', ...COMPONENT_KINDS], { message: `must be one of all, ${COMPONENT_KINDS.join(', ')}` }).default('all'),
    /** One component by name (a model, tool, retriever, guardrail stage or prompt@version). */
    component: z.string().trim().min(1).max(500).optional(),
    /** Fire when a component's error rate over the window is at least this (0..1). */
    threshold: share.optional(),
    /** Fire when a component's error rate is at least this many times its baseline rate. */
    baseline_multiple: multiple.optional(),
    /** Least calls in the window before a threshold or multiple is judged. */
    min_calls: z.number().int().min(1).max(1_000_000).default(20),
    /** Least errors in the window before a threshold or multiple is judged. */
    min_errors: z.number().int().min(1).max(1_000_000).default(MONITOR_EVIDENCE.minEvents),
    window_s: seconds(300, 7 * DAY).default(1800),
    baseline_s: seconds(600, 30 * DAY).default(DAY),
    bucket_s: seconds(60, 3600).default(60),
  })
  .strict()

async function evaluateErrorSpike(projectId: string, params: z.output<typeof errorSpikeParams>, now: Date): Promise<Finding> {
  const from = new Date(floorTo(now.getTime() - params.window_s * 1000, params.bucket_s * 1000))
  const report = await componentsReport(projectId, { from, to: now, bucketSeconds: params.bucket_s, baselineFrom: new Date(from.getTime() - params.baseline_s * 1000) })
  const watched = report.components
    .map((c, i) => ({ ...c, baseline_calls: report.series[i]?.baseline_calls ?? 0 }))
    .filter((c) => (params.component_kind === 'all' || c.kind === params.component_kind) && (params.component === undefined || c.component === params.component))
  const byRule = params.threshold !== undefined || params.baseline_multiple !== undefined
  // Evidence (docs/monitors.md): a threshold needs min_calls calls and min_errors errors; a
  // baseline multiple also a significant rise, corrected for every component judged.
  const rules = { minCalls: params.min_calls, comparisons: watched.length, rules: { minEvents: params.min_errors } }
  const breaches = (c: (typeof watched)[number]) => {
    if (!byRule) return c.status === 'failing'
    if (c.error_rate === null) return false
    const window = { events: Math.round(c.error_rate * c.calls), trials: c.calls }
    if (params.threshold !== undefined && rateAbove(window, params.threshold, rules).quiet === '') return true
    if (params.baseline_multiple === undefined || c.baseline_error_rate === null) return false
    const baseline = { events: Math.round(c.baseline_error_rate * c.baseline_calls), trials: c.baseline_calls }
    return rateRise(window, baseline, { ...rules, multiple: params.baseline_multiple }).quiet === ''
  }
  const firing = watched.filter(breaches)
  // The component health ranking names the suspect: failing ones by errors beyond their baseline.
  const rank = new Map(report.suspects.map((s, i) => [`${s.kind}/${s.component}`, i]))
  firing.sort((a, b) => (rank.get(`${a.kind}/${a.component}`) ?? 1e9) - (rank.get(`${b.kind}/${b.component}`) ?? 1e9) || (b.error_rate ?? 0) - (a.error_rate ?? 0))
  const worst = firing[0] ?? [...watched].sort((a, b) => (b.error_rate ?? 0) - (a.error_rate ?? 0))[0]
  const threshold = params.threshold ?? (params.baseline_multiple !== undefined && worst?.baseline_error_rate != null ? params.baseline_multiple * worst.baseline_error_rate : null)
  const evidence = { page: 'analytics/components', state: { bucket: String(params.bucket_s) } }
  if (!worst) return { firing: false, value: null, threshold, summary: 'no component calls in the window', suspect: {}, since: from, evidence }
  if (firing.length === 0) {
    return { firing: false, value: worst.error_rate, threshold, summary: `${watched.length} component${watched.length === 1 ? '' : 's'} within their baseline; highest error rate ${worst.component} ${percent(worst.error_rate ?? 0)}`, suspect: {}, since: from, evidence }
  }
  // The reason in the component view's words ("kb.search: 96% timeouts since 01:12, was 0.3%").
  const reason =
    report.suspects.find((s) => s.kind === worst.kind && s.component === worst.component)?.reason ??
    `${worst.component}: ${percent(worst.error_rate ?? 0)} errors, was ${percent(worst.baseline_error_rate ?? 0)}`
  const more = firing.length > 1 ? `; ${firing.length - 1} more component${firing.length > 2 ? 's' : ''} failing` : ''
  // By the health rules, the value is the error rate since the onset against the rate before it.
  const onset = !byRule && worst.evidence?.test === 'error_rate' ? worst.evidence : undefined
  return {
    firing: true,
    value: onset ? onset.rate : worst.error_rate,
    threshold: onset ? onset.rate_before : threshold,
    summary: `${reason} (${worst.kind})${more}`,
    suspect: { component: worst.component, component_kind: worst.kind },
    since: worst.since ? new Date(worst.since) : from,
    evidence,
  }
}

// ---- latency ----------------------------------------------------------------------------

const latencyParams = z
  .object({
    /** `model_calls`: p95 of model calls (the overview's series); `requests`: p95 end to end per request (the guardrail view's). */
    of: z.enum(['model_calls', 'requests'], { message: 'must be model_calls or requests' }).default('model_calls'),
    threshold_ms: positive.default(10_000),
    window_s: seconds(60, DAY).default(300),
    /** Least calls (or requests) in the window: a p95 of a handful is their maximum. */
    min_calls: z.number().int().min(1).max(1_000_000).default(20),
  })
  .strict()

async function evaluateLatency(projectId: string, params: z.output<typeof latencyParams>, now: Date): Promise<Finding> {
  const window = latestWindow(now, params.window_s)
  let p95: number | null
  let count: number
  if (params.of === 'model_calls') {
    const report = await overviewReport(projectId, { ...window, bucketSeconds: params.window_s, split: 'model' })
    p95 = report.series[0]?.p95_ms ?? null
    count = report.series[0]?.spans ?? 0
  } else {
    const report = await guardrailsReport(projectId, window)
    p95 = report.requests.count > 0 ? report.requests.p95_ms : null
    count = report.requests.count
  }
  const what = params.of === 'model_calls' ? 'model-call' : 'request'
  const enough = count >= params.min_calls
  const firing = p95 !== null && enough && p95 > params.threshold_ms
  const thin = p95 !== null && !enough ? `; ${count} ${what}s, fewer than the ${params.min_calls} judged` : ''
  return {
    firing,
    value: p95,
    threshold: params.threshold_ms,
    summary: p95 === null ? `no ${what}s in the window` : `${what} p95 ${ms(p95)} ${firing ? 'above' : 'within'} ${ms(params.threshold_ms)} in ${clock(window.from)}-${clock(window.to)}${thin}`,
    suspect: {},
    since: window.from,
    evidence: { page: params.of === 'model_calls' ? 'analytics/overview' : 'analytics/guardrails', state: {} },
  }
}

// ---- reentrancy -------------------------------------------------------------------------

const reentrancyParams = z
  .object({
    /** Fire when more traces than this per hour have a cycle. */
    max_traces_per_hour: z.number().min(0).max(1_000_000).default(0),
    /** Fire when any cycle re-enters deeper than this (omit to judge only the count). */
    max_depth: z.number().int().min(1).max(10_000).optional(),
    window_s: seconds(300, DAY).default(3600),
  })
  .strict()

async function evaluateReentrancy(projectId: string, params: z.output<typeof reentrancyParams>, now: Date): Promise<Finding> {
  const window = { from: new Date(now.getTime() - params.window_s * 1000), to: now }
  const row = await cyclesInWindow(projectId, window)
  const traces = Number(row.traces)
  const perHour = (traces * 3600) / params.window_s
  const tooMany = perHour > params.max_traces_per_hour
  const tooDeep = params.max_depth !== undefined && Number(row.max_depth) > params.max_depth
  const firing = traces > 0 && (tooMany || tooDeep)
  const loop = row.top_cycle.length > 0 ? ` (${row.top_cycle.join(' → ')})` : ''
  return {
    firing,
    value: tooDeep && !tooMany ? Number(row.max_depth) : perHour,
    threshold: tooDeep && !tooMany ? (params.max_depth ?? null) : params.max_traces_per_hour,
    summary:
      traces === 0
        ? 'no traces with a cycle in the window'
        : `${traces} trace${traces === 1 ? '' : 's'} with a cycle in the last ${Math.round(params.window_s / 60)} min (${perHour.toFixed(1)}/h), deepest re-entry ${row.max_depth}${loop}; e.g. trace ${row.deepest_trace}`,
    suspect: row.deepest_trace ? { trace: row.deepest_trace } : {},
    since: window.from,
    evidence: { page: 'traces', state: { has_cycle: 'true' } },
  }
}

// ---- cost -------------------------------------------------------------------------------

const costParams = z
  .object({
    /** `spend`: what model calls cost; `retry_cost`: what their retries cost (the retries view). */
    measure: z.enum(['spend', 'retry_cost'], { message: 'must be spend or retry_cost' }).default('spend'),
    /** `hour`: the project's spend per hour; `tenant`: each tenant's, the highest named. */
    per: z.enum(['hour', 'tenant'], { message: 'must be hour or tenant' }).default('hour'),
    /** Fire above this many USD per hour. */
    threshold_usd: z.number().min(0).max(1e9).optional(),
    /** Fire above this multiple of the baseline's mean per hour (default 3 when no threshold is set). */
    baseline_multiple: multiple.optional(),
    window_s: seconds(300, DAY).default(3600),
    baseline_s: seconds(3600, 30 * DAY).default(DAY),
    /** A baseline multiple is judged from this much spend per hour on (USD). */
    min_usd_per_hour: z.number({ message: 'must be a number of USD' }).min(0, 'must be at least 0').max(1e9).default(0.05),
  })
  .strict()

/** Spend of model calls in a range by key ('' for the project, else the tenant), per bucket of `bucketSeconds`. */
async function spendBuckets(projectId: string, per: 'hour' | 'tenant', range: { from: Date; to: Date }, bucketSeconds: number): Promise<Map<string, Map<number, number>>> {
  const [rows, prices] = await Promise.all([cacheUsage(projectId, { ...range, bucketSeconds }), currentPrices()])
  const result = new Map<string, Map<number, number>>()
  for (const row of rows) {
    const key = per === 'tenant' ? row.tenant_id : ''
    const buckets = result.get(key) ?? new Map<number, number>()
    const t = Number(row.t) * 1000
    buckets.set(t, (buckets.get(t) ?? 0) + costOf(row.model, row, prices))
    result.set(key, buckets)
  }
  return result
}

const HOUR_MS = 3_600_000

/** The start of every hour a range touches, ms since the epoch. */
function hoursOf(range: { from: Date; to: Date }): number[] {
  const hours: number[] = []
  for (let t = floorTo(range.from.getTime(), HOUR_MS); t < range.to.getTime(); t += HOUR_MS) hours.push(t)
  return hours
}

/** Each key's spend in every hour of the baseline (zeros included), with the hour of day. */
async function spendBaselines(projectId: string, per: 'hour' | 'tenant', range: { from: Date; to: Date }): Promise<Map<string, SpendBaseline>> {
  const buckets = await spendBuckets(projectId, per, range, 3600)
  const hours = hoursOf(range)
  return new Map([...buckets].map(([key, byHour]) => [key, { hourly: hours.map((t) => byHour.get(t) ?? 0), hourOfDay: hours.map((t) => new Date(t).getUTCHours()) }]))
}

interface CostRow {
  key: string
  value: number
  /** What the value was compared with: the baseline's mean per hour (or at the same hours of day). */
  base?: number
  limit?: number
  over: boolean
  /** Why a baseline comparison stayed quiet, or its p value when it fired. */
  note?: string
}

async function spendRows(projectId: string, params: z.output<typeof costParams>, window: { from: Date; to: Date }, baselineWindow: { from: Date; to: Date } | undefined): Promise<CostRow[]> {
  const hours = (window.to.getTime() - window.from.getTime()) / HOUR_MS
  const multipleOf = params.baseline_multiple ?? 3
  if (params.measure === 'retry_cost') {
    const [current, baseline] = await Promise.all([retriesReport(projectId, window), baselineWindow ? retriesReport(projectId, baselineWindow) : undefined])
    const value = current.totals.retry_cost_usd / hours
    const limits: number[] = params.threshold_usd !== undefined ? [params.threshold_usd] : []
    let over = params.threshold_usd !== undefined && value > params.threshold_usd
    let base: number | undefined
    let note: string | undefined
    if (baseline && baselineWindow) {
      base = baseline.totals.retry_cost_usd / ((baselineWindow.to.getTime() - baselineWindow.from.getTime()) / HOUR_MS)
      limits.push(multipleOf * base)
      // Retries per logical call rose significantly, and their cost by the multiple.
      const rise = rateRise(
        { events: current.totals.retried_calls, trials: current.totals.logical_calls },
        { events: baseline.totals.retried_calls, trials: baseline.totals.logical_calls },
        { multiple: 1, minCalls: MONITOR_EVIDENCE.minCallsBefore, comparisons: 1 },
      )
      note = rise.quiet || `p ${rise.p.toPrecision(2)}`
      over ||= value > multipleOf * base && value >= params.min_usd_per_hour && rise.quiet === ''
    }
    return [{ key: '', value, base, limit: limits.length > 0 ? Math.min(...limits) : undefined, over: over && value > 0, note }]
  }
  const windowSeconds = Math.round((window.to.getTime() - window.from.getTime()) / 1000)
  const [current, baselines] = await Promise.all([spendBuckets(projectId, params.per, window, windowSeconds), baselineWindow ? spendBaselines(projectId, params.per, baselineWindow) : undefined])
  const windowHoursOfDay = hoursOf(window).map((t) => new Date(t).getUTCHours())
  const rows = [...current].map(([key, buckets]) => ({ key, value: [...buckets.values()].reduce((a, b) => a + b, 0) / hours }))
  return rows.map(({ key, value }) => {
    const baseline = baselines?.get(key)
    const limits: number[] = params.threshold_usd !== undefined ? [params.threshold_usd] : []
    let over = params.threshold_usd !== undefined && value > params.threshold_usd
    if (!baseline) return { key, value, limit: limits[0], over: over && value > 0 }
    // With only a baseline, a key without one (a new tenant, a new project) is judged once it has a history.
    const rise = spendRise(value, hours, baseline, windowHoursOfDay, { multiple: multipleOf, minUsdPerHour: params.min_usd_per_hour, comparisons: rows.length })
    limits.push(multipleOf * rise.reference)
    over ||= rise.quiet === ''
    return { key, value, base: rise.reference, limit: Math.min(...limits), over: over && value > 0, note: rise.quiet || `p ${rise.p.toPrecision(2)}` }
  })
}

async function evaluateCost(projectId: string, params: z.output<typeof costParams>, now: Date): Promise<Finding> {
  const window = latestWindow(now, params.window_s)
  const useBaseline = params.threshold_usd === undefined || params.baseline_multiple !== undefined
  const rows = await spendRows(projectId, params, window, useBaseline ? { from: new Date(window.from.getTime() - params.baseline_s * 1000), to: window.from } : undefined)
  rows.sort((a, b) => Number(b.over) - Number(a.over) || b.value - a.value)
  const top = rows[0]
  const what = params.measure === 'retry_cost' ? 'retry cost' : 'spend'
  const evidence = { page: params.measure === 'retry_cost' ? 'analytics/retries' : 'analytics/overview', state: {} }
  if (!top) return { firing: false, value: 0, threshold: params.threshold_usd ?? null, summary: `no ${what} in the window`, suspect: {}, since: window.from, evidence }
  const who = top.key ? ` for tenant ${top.key}` : ''
  const was = top.base !== undefined ? `, baseline ${usd(top.base)}/h` : ''
  const why = top.note ? `; ${top.note}` : ''
  return {
    firing: top.over,
    value: top.value,
    threshold: top.limit ?? null,
    summary: `${what}${who} ${usd(top.value)}/h in ${clock(window.from)}-${clock(window.to)}${top.limit !== undefined ? ` (limit ${usd(top.limit)}/h${was}${why})` : `${was}${why}`}`,
    suspect: top.key ? { tenant: top.key } : {},
    since: window.from,
    evidence,
  }
}

// ---- score_drop -------------------------------------------------------------------------

const scoreDropParams = z
  .object({
    /** One score name; omitted, every score name is watched and the worst drop named. */
    score_name: z.string().trim().min(1).max(200).optional(),
    /** Fire when the mean is below this. */
    threshold: z.number().optional(),
    /** Fire when the mean is below the baseline's mean by at least this much (default 0.1 when no threshold is set). */
    min_drop: z.number().positive().optional(),
    min_scores: z.number().int().min(1).max(1_000_000).default(10),
    window_s: seconds(300, 7 * DAY).default(3600),
    baseline_s: seconds(3600, 30 * DAY).default(7 * DAY),
  })
  .strict()

async function evaluateScoreDrop(projectId: string, params: z.output<typeof scoreDropParams>, now: Date): Promise<Finding> {
  const window = { from: new Date(now.getTime() - params.window_s * 1000), to: now }
  const [current, baseline] = await Promise.all([
    scoreMeans(projectId, window, params.score_name),
    scoreMeans(projectId, { from: new Date(window.from.getTime() - params.baseline_s * 1000), to: window.from }, params.score_name),
  ])
  const baseOf = new Map(baseline.map((row) => [row.name, row]))
  const minDrop = params.min_drop ?? (params.threshold === undefined ? 0.1 : undefined)
  const judged = current.filter((row) => Number(row.scores) >= params.min_scores)
  const moments = (row: (typeof current)[number]) => ({ n: Number(row.scores), mean: Number(row.mean), variance: Number(row.variance) })
  const rows = judged
    .map((row) => {
      const base = baseOf.get(row.name)
      const mean = Number(row.mean)
      // Below its baseline by min_drop, with min_scores a side, and significantly (Welch, corrected for every name judged).
      const drop = minDrop !== undefined && base ? meanDrop(moments(row), moments(base), { minDrop, minScores: params.min_scores, comparisons: judged.length }) : undefined
      const floor = minDrop !== undefined && base && Number(base.scores) >= params.min_scores ? Number(base.mean) - minDrop : undefined
      const limits = [params.threshold, floor].filter((v): v is number => v !== undefined)
      const limit = limits.length > 0 ? Math.max(...limits) : undefined
      const under = params.threshold !== undefined ? meanBelow(moments(row), params.threshold, { minScores: params.min_scores, comparisons: judged.length }) : undefined
      const below = under?.quiet === '' || drop?.quiet === ''
      const tested = drop?.quiet === '' ? drop : under?.quiet === '' ? under : (drop ?? under)
      const note = tested ? tested.quiet || `p ${tested.p.toPrecision(2)}` : undefined
      return { name: row.name, mean, scores: Number(row.scores), base: base ? Number(base.mean) : undefined, limit, below, note }
    })
    .sort((a, b) => Number(b.below) - Number(a.below) || (a.limit !== undefined && b.limit !== undefined ? a.mean - a.limit - (b.mean - b.limit) : a.mean - b.mean))
  const top = rows[0]
  const evidence = { page: 'traces', state: {} }
  if (!top) return { firing: false, value: null, threshold: params.threshold ?? null, summary: `fewer than ${params.min_scores} scores${params.score_name ? ` named ${params.score_name}` : ''} in the window`, suspect: {}, since: window.from, evidence }
  const was = top.base !== undefined ? `, baseline ${top.base.toFixed(3)}` : ''
  return {
    firing: top.below,
    value: top.mean,
    threshold: top.limit ?? null,
    summary: `mean ${top.name} ${top.mean.toFixed(3)} over ${top.scores} scores${top.limit !== undefined ? ` (floor ${top.limit.toFixed(3)}${was}${top.note ? `; ${top.note}` : ''})` : was}`,
    suspect: {},
    since: window.from,
    evidence,
  }
}

// ---- metric -----------------------------------------------------------------------------

const METRIC_SERIES = ['spans', 'errors', 'error_rate', 'p95_ms', 'cost_usd'] as const

const metricParams = z
  .object({
    /** One of the overview's series (model calls), or of one component's when `component` is set. */
    series: z.enum(METRIC_SERIES, { message: `must be one of ${METRIC_SERIES.join(', ')}` }).default('error_rate'),
    /** With `component`: the overview's split it belongs to. */
    split: z.enum(COMPONENTS, { message: `must be one of ${COMPONENTS.join(', ')}` }).default('model'),
    component: z.string().trim().min(1).max(500).optional(),
    op: z.enum(['above', 'below'], { message: 'must be above or below' }).default('above'),
    threshold: z.number({ message: 'must be a number' }).default(0.05),
    window_s: seconds(60, DAY).default(300),
    /** Least spans in the window before a rate (error_rate) or a quantile (p95_ms) is judged. */
    min_calls: z.number().int().min(1).max(1_000_000).default(20),
  })
  .strict()

async function evaluateMetric(projectId: string, params: z.output<typeof metricParams>, now: Date): Promise<Finding> {
  const window = latestWindow(now, params.window_s)
  const report = await overviewReport(projectId, { ...window, bucketSeconds: params.window_s, split: params.split })
  const points = params.component ? (report.split.components.find((c) => c.component === params.component)?.points ?? []) : report.series
  const point = points[0]
  const value = point ? point[params.series] : null
  // A rate or a quantile of a handful of spans is noise: judged from min_calls on.
  const judged = !(params.series === 'error_rate' || params.series === 'p95_ms') || (point?.spans ?? 0) >= params.min_calls
  const crossed = value !== null && judged && (params.op === 'above' ? value > params.threshold : value < params.threshold)
  let firing = crossed
  let why = judged ? '' : ` (${point?.spans ?? 0} spans, fewer than the ${params.min_calls} judged)`
  // An error rate above a threshold also needs the evidence that more than that share fail.
  if (crossed && point && params.series === 'error_rate' && params.op === 'above') {
    const test = rateAbove({ events: point.errors, trials: point.spans }, params.threshold, { minCalls: params.min_calls, comparisons: 1 })
    firing = test.quiet === ''
    why = ` (${point.errors} of ${point.spans} spans; ${test.quiet || `p ${test.p.toPrecision(2)}`})`
  }
  const show = (v: number) => (params.series === 'error_rate' ? percent(v) : params.series === 'p95_ms' ? ms(v) : params.series === 'cost_usd' ? usd(v) : String(v))
  const of = params.component ? ` of ${params.component}` : ''
  return {
    firing,
    value,
    threshold: params.threshold,
    summary:
      value === null
        ? `no ${params.series}${of} in the window`
        : `${params.series}${of} ${show(value)} in ${clock(window.from)}-${clock(window.to)}, ${crossed ? '' : 'not '}${params.op} ${show(params.threshold)}${why}`,
    suspect: params.component ? { component: params.component, component_kind: params.split } : {},
    since: window.from,
    evidence: { page: 'analytics/overview', state: { split: params.split } },
  }
}

// ---- registry ---------------------------------------------------------------------------

/** A monitor's value in words with its unit, e.g. "hit rate 37%", "p95 1.2 s", "$4.10/h". */
export function describeValue(type: string, params: Record<string, unknown>, value: number | null): string {
  if (value === null) return 'no value'
  switch (type) {
    case 'cache_thrash':
      return `hit rate ${percent(value)}`
    case 'error_spike':
      return `error rate ${percent(value)}`
    case 'latency':
      return `p95 ${ms(value)}`
    case 'reentrancy':
      return `${Number(value.toFixed(1))} traces with a cycle per hour`
    case 'cost':
      return `${usd(value)}/h`
    case 'score_drop':
      return `mean score ${value.toFixed(3)}`
    case 'metric': {
      const series = String(params.series ?? 'error_rate')
      const shown = series === 'error_rate' ? percent(value) : series === 'p95_ms' ? ms(value) : series === 'cost_usd' ? usd(value) : String(value)
      return `${series} ${shown}`
    }
    default:
      return String(value)
  }
}

interface TypeDefinition<S extends z.ZodType> {
  params: S
  evaluate: (projectId: string, params: z.output<S>, now: Date) => Promise<Finding>
  /** In words, for the Alerts page. */
  describe: string
}

const define = <S extends z.ZodType>(definition: TypeDefinition<S>) => definition

export const MONITOR_DEFINITIONS = {
  cache_thrash: define({ params: cacheThrashParams, evaluate: evaluateCacheThrash, describe: 'A cache-thrash incident (the cache view\'s detector) that is still under way, naming the suspect tenant.' }),
  error_spike: define({ params: errorSpikeParams, evaluate: evaluateErrorSpike, describe: 'A component (model, tool, retriever, guardrail, prompt version) failing against its baseline, or above an error-rate threshold or baseline multiple.' }),
  latency: define({ params: latencyParams, evaluate: evaluateLatency, describe: 'p95 of model calls, or of requests end to end, above a threshold.' }),
  reentrancy: define({ params: reentrancyParams, evaluate: evaluateReentrancy, describe: 'Traces with a cycle per hour above a threshold, or a cycle deeper than N.' }),
  cost: define({ params: costParams, evaluate: evaluateCost, describe: 'Spend (or retry cost) per hour, overall or per tenant, above a threshold or a baseline multiple.' }),
  score_drop: define({ params: scoreDropParams, evaluate: evaluateScoreDrop, describe: 'The mean of a score below a threshold or below its baseline.' }),
  metric: define({ params: metricParams, evaluate: evaluateMetric, describe: 'Any of the overview\'s series (spans, errors, error rate, p95, cost) above or below a threshold over a window.' }),
} satisfies Record<MonitorType, TypeDefinition<z.ZodType>>

/** Validates a type's params, filling in the defaults; throws the zod error for the caller to word. */
export function parseParams(type: MonitorType, params: unknown): z.ZodSafeParseResult<Record<string, unknown>> {
  return MONITOR_DEFINITIONS[type].params.safeParse(params ?? {}) as z.ZodSafeParseResult<Record<string, unknown>>
}

export function evaluateMonitor(type: MonitorType, projectId: string, params: Record<string, unknown>, now: Date): Promise<Finding> {
  const definition = MONITOR_DEFINITIONS[type] as TypeDefinition<z.ZodType>
  return definition.evaluate(projectId, definition.params.parse(params), now)
}
