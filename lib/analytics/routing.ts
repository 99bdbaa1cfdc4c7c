// The routing-cohort view (GET /api/v1/analytics/routing, /routing/timeline and the page): per
// route segment (or per serving model) who was served, how it went and what it cost; which
// differences between segments the sample sizes support; who was switched between segments; and
// one user's segment timeline.
//
// Segment: a model call's route segment (by=segment) or the model that served it (by=model). When
// the range holds routed calls, only those are compared: calls no router decided (guardrail
// classifiers, sub-agents) would otherwise put every user in two cohorts. Without any route
// segment in the range, every model call counts and by=segment falls back to the serving model.
import { z } from 'zod'
import { nanosToIso } from '@/lib/time/nanos'
import { hasRoutedCalls, segmentAudience, segmentScores, segmentStats, userRequests, type AudienceRow, type SegmentBy } from '@/db/clickhouse/queries/analytics/routing'
import { costOfModels, currentPrices, type PriceOf } from './costs'
import { rangeFields, refineRange } from './range-params'
import { segmentRuns, significantDifferences, summarizeSwitchers, type Difference, type SegmentRun, type Switcher } from './routing-cohorts'

const byField = z.enum(['segment', 'model'], { message: 'must be segment or model' }).default('segment')

export const routingInputSchema = z
  .object({ ...rangeFields, by: byField, score_name: z.string().min(1).max(256).optional() })
  .strict()
  .transform((value, ctx) => {
    const range = refineRange(value, ctx)
    if (!range) return z.NEVER
    return { ...range, by: value.by as SegmentBy, scoreName: value.score_name }
  })
export type RoutingInput = z.output<typeof routingInputSchema>

export const MAX_TIMELINE_REQUESTS = 2000

export const timelineInputSchema = z
  .object({
    ...rangeFields,
    by: byField,
    user_id: z.string({ message: 'is required: the user whose requests to show' }).min(1, 'must not be empty').max(256),
    limit: z.coerce.number().int().min(1).max(MAX_TIMELINE_REQUESTS, `must be at most ${MAX_TIMELINE_REQUESTS}`).default(500),
  })
  .strict()
  .transform((value, ctx) => {
    const range = refineRange(value, ctx)
    if (!range) return z.NEVER
    return { ...range, by: value.by as SegmentBy, userId: value.user_id, limit: value.limit }
  })
export type TimelineInput = z.output<typeof timelineInputSchema>

export interface SegmentApi {
  segment: string
  users: number
  requests: number
  error_rate: number | null
  refusal_rate: number | null
  format_failure_rate: number | null
  p50_ms: number | null
  p95_ms: number | null
  mean_score: number | null
  cost_per_request_usd: number | null
  /** Calls that asked for structured output; the denominator of format_failure_rate. */
  format_checked: number
  score_count: number
  cost_usd: number
  /** Differences from the rest of the traffic that the sample sizes support. */
  differences: Difference[]
}

interface SwitcherGroup<K extends string> {
  count: number
  share: number
  top: Array<Record<K, string> & { segments: string[]; requests: number }>
}

/** The JSON answer of GET /api/v1/analytics/routing. */
export interface RoutingAnswer {
  by: SegmentBy
  segments: SegmentApi[]
  switchers: {
    users: number
    share: number
    top: Array<{ user_id: string; segments: string[]; requests: number }>
    tenants: SwitcherGroup<'tenant_id'>
  }
}

export interface RoutingReport extends RoutingAnswer {
  /** Whether only routed model calls (with a route segment) were compared; see RoutingRange. */
  routed_only: boolean
  from: string
  to: string
  total_users: number
  total_tenants: number
}

export async function routingReport(projectId: string, input: RoutingInput, priceOf?: PriceOf): Promise<RoutingReport> {
  // Most ranges with traffic have routed calls: ask for those while checking that there are any,
  // and only ask again over every model call when there are none.
  const query = (routedOnly: boolean) => {
    const range = { from: input.from, to: input.to, by: input.by, routedOnly }
    return Promise.all([segmentStats(projectId, range), segmentAudience(projectId, range), segmentScores(projectId, range, input.scoreName)])
  }
  const [routed, routedAnswers, prices] = await Promise.all([hasRoutedCalls(projectId, input), query(true), priceOf ?? currentPrices()])
  const [stats, audience, scores] = routed ? routedAnswers : await query(false)
  const users = audience.find((row) => row.who === 'user')
  const tenants = audience.find((row) => row.who === 'tenant')
  const totalUsers = Number(users?.everyone ?? 0)
  const totalTenants = Number(tenants?.everyone ?? 0)
  const [segmentNames, segmentUsers] = users?.per_segment ?? [[], []]
  const usersBySegment = new Map(segmentNames.map((segment, i) => [segment, Number(segmentUsers[i])]))
  const costs = new Map(stats.map((row) => [row.segment, costOfModels(row.costs, prices)]))
  const scoreBySegment = new Map(scores.map((row) => [row.segment, { n: Number(row.n), mean: Number(row.mean), variance: Number(row.variance ?? 0) || 0 }]))

  const segmentRows = stats.filter((row) => Number(row.requests) > 0)
  const outcomes = segmentRows.map((row) => ({
    segment: row.segment,
    requests: Number(row.requests),
    errors: Number(row.errors),
    refusals: Number(row.refusals),
    format_checked: Number(row.format_checked),
    format_failures: Number(row.format_failures),
    score: scoreBySegment.get(row.segment) ?? null,
  }))
  const differences = significantDifferences(outcomes)
  const segments: SegmentApi[] = segmentRows.map((row, i) => {
    const o = outcomes[i]
    const cost = costs.get(row.segment) ?? 0
    return {
      segment: row.segment,
      users: usersBySegment.get(row.segment) ?? 0,
      requests: o.requests,
      error_rate: o.errors / o.requests,
      refusal_rate: o.refusals / o.requests,
      format_failure_rate: o.format_checked > 0 ? o.format_failures / o.format_checked : null,
      p50_ms: Number(row.latency[0]),
      p95_ms: Number(row.latency[1]),
      mean_score: o.score?.mean ?? null,
      cost_per_request_usd: cost / o.requests,
      format_checked: o.format_checked,
      score_count: o.score?.n ?? 0,
      cost_usd: cost,
      differences: differences.get(row.segment) ?? [],
    }
  })
  segments.sort((a, b) => b.requests - a.requests || a.segment.localeCompare(b.segment))

  const switchers = (row: AudienceRow | undefined) => (row?.switchers ?? []).map(([id, segments, total]) => ({ id, segments, total_requests: total }))
  const userSwitchers = summarizeSwitchers(switchers(users), totalUsers)
  const tenantSwitchers = summarizeSwitchers(switchers(tenants), totalTenants)
  const rename = <K extends string>(top: Switcher[], key: K) => top.map((s) => ({ [key]: s.id, segments: s.segments, requests: s.requests }) as Record<K, string> & { segments: string[]; requests: number })
  return {
    from: input.from.toISOString(),
    to: input.to.toISOString(),
    by: input.by,
    routed_only: routed,
    total_users: totalUsers,
    total_tenants: totalTenants,
    segments,
    switchers: {
      users: userSwitchers.count,
      share: userSwitchers.share,
      top: rename(userSwitchers.top, 'user_id'),
      tenants: { count: tenantSwitchers.count, share: tenantSwitchers.share, top: rename(tenantSwitchers.top, 'tenant_id') },
    },
  }
}

export function routingAnswer(report: RoutingReport): RoutingAnswer {
  return { by: report.by, segments: report.segments, switchers: report.switchers }
}

export interface TimelineRequest {
  t: string
  segment: string
  model: string
  trace_id: string
  span_id: string
  status: string
  duration_ms: number
}

export interface UserTimeline {
  user_id: string
  by: SegmentBy
  requests: TimelineRequest[]
  runs: SegmentRun[]
  /** More requests than `limit` were in the range; the first `limit` are shown. */
  truncated: boolean
}

export async function userTimeline(projectId: string, input: TimelineInput): Promise<UserTimeline> {
  const range = { from: input.from, to: input.to, by: input.by, routedOnly: await hasRoutedCalls(projectId, input) }
  const rows = await userRequests(projectId, range, input.userId, input.limit + 1)
  const requests = rows.slice(0, input.limit).map((row) => ({
    t: nanosToIso(row.start_ns),
    segment: row.segment,
    model: row.model,
    trace_id: row.trace_id,
    span_id: row.span_id,
    status: row.outcome,
    duration_ms: Number(row.duration_ms),
  }))
  return { user_id: input.userId, by: input.by, requests, runs: segmentRuns(requests), truncated: rows.length > input.limit }
}
