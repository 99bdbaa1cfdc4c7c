// Queries of the routing-cohort view: per segment (route segment, else the serving model) the
// outcome counts, latency quantiles and cost inputs of production model calls; the users and
// tenants of each segment and who was served by more than one; eval scores of the traces each
// segment served; and one user's requests in time order. Production = not part of an eval run.
import { dateToClickhouse } from '@/lib/time/nanos'
import { queryClickhouse } from '../../query'
import { MODEL, MODEL_CALLS } from './model-calls'
import { MODEL_CALL_OUTCOMES, MODEL_CALL_USER_DAYS, MERGED_COST_SUMS, ROLLUP_SETTINGS, rollupParams, rollupSource } from './rollups'

export type SegmentBy = 'segment' | 'model'

/**
 * The segment of a model call, over columns named route_segment and model (the rollups' keys).
 * Chosen from a fixed pair, never from user input.
 */
function segmentOf(by: SegmentBy): string {
  return by === 'model' ? 'model' : `if(route_segment != '', route_segment, model)`
}

/** The same over span columns. */
function spanSegmentOf(by: SegmentBy): string {
  return by === 'model' ? MODEL : `if(route_segment != '', route_segment, ${MODEL})`
}

const PRODUCTION_CALLS = `${MODEL_CALLS} AND eval_run_id = ''`

export interface RoutingRange {
  from: Date
  to: Date
  by: SegmentBy
  /**
   * Only model calls a router decided (with a route segment). Set when the range has any: calls
   * no router decided (guardrail classifiers, sub-agents) would otherwise make every user a
   * "switcher" between their route and those models.
   */
  routedOnly: boolean
}

/** Rollup rows (and span rows) to read: production calls, routed ones only if asked. */
const selected = (range: RoutingRange) => `NOT is_eval${range.routedOnly ? ` AND route_segment != ''` : ''}`

/** Whether any production model call in the range carries a route segment. */
export async function hasRoutedCalls(projectId: string, range: Pick<RoutingRange, 'from' | 'to'>): Promise<boolean> {
  const [row] = await queryClickhouse<{ routed: string }>({
    tag: 'analytics.routing.routed',
    projectId,
    query: `SELECT sum(requests) AS routed FROM ${rollupSource(MODEL_CALL_OUTCOMES)} WHERE NOT is_eval AND route_segment != ''`,
    params: await rollupParams(projectId, MODEL_CALL_OUTCOMES, range),
    settings: ROLLUP_SETTINGS,
  })
  return Number(row?.routed ?? 0) > 0
}

const rangeParams = ({ from, to }: RoutingRange) => ({ from: dateToClickhouse(from), to: dateToClickhouse(to) })

export interface SegmentStatsRow {
  segment: string
  requests: string
  errors: string
  refusals: string
  format_checked: string
  format_failures: string
  latency: [number, number]
  /** Cost inputs per model: (model, reported cost, unpriced input, output, cache-read, cache-write tokens). */
  costs: Array<[string, number | null, string, string, string, string]>
}

export async function segmentStats(projectId: string, range: RoutingRange): Promise<SegmentStatsRow[]> {
  // Per segment and model first (costs are priced per model), then per segment.
  return queryClickhouse<SegmentStatsRow>({
    tag: 'analytics.routing.segments',
    projectId,
    query: `SELECT segment, sum(requests) AS requests, sum(errors) AS errors, sum(refusals) AS refusals,
        sum(format_checked) AS format_checked, sum(format_failures) AS format_failures,
        quantilesTDigestMerge(0.5, 0.95)(duration) AS latency,
        groupArray((model, reported_cost_usd, unpriced_input_tokens, unpriced_output_tokens, unpriced_cache_read_tokens, unpriced_cache_write_tokens)) AS costs
      FROM (
        SELECT ${segmentOf(range.by)} AS segment, model,
          sum(requests) AS requests, sum(errors) AS errors, sum(refusals) AS refusals,
          sum(format_checked) AS format_checked, sum(format_failures) AS format_failures,
          quantilesTDigestMergeState(0.5, 0.95)(duration) AS duration,
          ${MERGED_COST_SUMS}
        FROM ${rollupSource(MODEL_CALL_OUTCOMES)}
        WHERE ${selected(range)}
        GROUP BY segment, model
      )
      GROUP BY segment`,
    params: await rollupParams(projectId, MODEL_CALL_OUTCOMES, range),
    settings: ROLLUP_SETTINGS,
  })
}

export interface AudienceRow {
  who: 'user' | 'tenant'
  /** Distinct users (or tenants) served in the range. */
  everyone: string
  /** Distinct users (or tenants) per segment: [segments, counts]. */
  per_segment: [string[], string[]]
  /** Those served by more than one segment: id, (segment, first served, requests) per segment, requests. */
  switchers: Array<[string, Array<[string, string, string]>, string]>
}

/**
 * Per kind of audience (users, tenants) in one scan: how many were served, how many per segment,
 * and everyone served by more than one segment with the segments that served them.
 */
export async function segmentAudience(projectId: string, range: RoutingRange): Promise<AudienceRow[]> {
  return queryClickhouse<AudienceRow>({
    tag: 'analytics.routing.audience',
    projectId,
    query: `SELECT who, count() AS everyone,
        sumMap(arrayMap(s -> s.1, served), arrayMap(s -> toUInt64(1), served)) AS per_segment,
        arraySort(x -> (-toInt64(x.3), x.1), groupArrayIf((id, served, total), length(served) > 1)) AS switchers
      FROM (
        SELECT who, id, groupArray((segment, toString(first_served), toString(requests))) AS served, toString(sum(requests)) AS total
        FROM (
          SELECT if(grouping(user_id, tenant_id) = 1, 'user', 'tenant') AS who, if(who = 'user', user_id, tenant_id) AS id,
            ${segmentOf(range.by)} AS segment, min(first_served) AS first_served, sum(requests) AS requests
          FROM ${rollupSource(MODEL_CALL_USER_DAYS)}
          WHERE ${selected(range)}
          GROUP BY GROUPING SETS ((user_id, segment), (tenant_id, segment))
        )
        WHERE id != ''
        GROUP BY who, id
      )
      GROUP BY who`,
    params: await rollupParams(projectId, MODEL_CALL_USER_DAYS, range),
    settings: ROLLUP_SETTINGS,
  })
}

export interface SegmentScoreRow {
  segment: string
  n: string
  mean: number
  variance: number | null
}

/** Scores are looked up until a day after the range, since judges score traces after they ran. */
export const SCORE_LAG_MS = 86_400_000

/**
 * Numeric scores of production traces served in the range, by the segment of the trace's last
 * model call (a trace that switched segments mid-way counts for the one that answered).
 */
export function segmentScores(projectId: string, range: RoutingRange, scoreName?: string): Promise<SegmentScoreRow[]> {
  const scoreFilter = `project_id = {project_id:String} AND timestamp >= {from:DateTime64(3, 'UTC')} AND timestamp < {scores_to:DateTime64(3, 'UTC')}
    AND value IS NOT NULL AND run_id = ''${scoreName ? ' AND name = {score_name:String}' : ''}`
  return queryClickhouse<SegmentScoreRow>({
    tag: 'analytics.routing.scores',
    projectId,
    // Scores meet their traces by a 64-bit hash of the trace id: a set and a join of numbers are
    // several times cheaper than of strings, and a collision among a range's scored traces is
    // vanishingly unlikely (about n^2 / 2^65). Traces of eval runs are left out.
    query: `SELECT segment, count() AS n, avg(value) AS mean, varSamp(value) AS variance
      FROM (SELECT cityHash64(trace_id) AS trace_hash, value FROM scores WHERE ${scoreFilter}) AS s
      INNER JOIN (
        SELECT cityHash64(trace_id) AS trace_hash, argMax(${spanSegmentOf(range.by)}, start_time) AS segment, max(eval_run_id != '') AS in_eval_run
        FROM spans
        WHERE ${MODEL_CALLS}${range.routedOnly ? ` AND route_segment != ''` : ''} AND cityHash64(trace_id) IN (SELECT cityHash64(trace_id) FROM scores WHERE ${scoreFilter})
        GROUP BY trace_hash
      ) AS served USING trace_hash
      WHERE NOT in_eval_run
      GROUP BY segment`,
    params: { ...rangeParams(range), scores_to: dateToClickhouse(new Date(range.to.getTime() + SCORE_LAG_MS)), score_name: scoreName ?? '' },
  })
}

export interface UserRequestRow {
  start_ns: string
  trace_id: string
  span_id: string
  segment: string
  model: string
  outcome: string
  duration_ms: number
}

/** One user's model calls in time order, at most `limit`. */
export function userRequests(projectId: string, range: RoutingRange, userId: string, limit: number): Promise<UserRequestRow[]> {
  return queryClickhouse<UserRequestRow>({
    tag: 'analytics.routing.user-timeline',
    projectId,
    query: `SELECT toString(toUnixTimestamp64Nano(start_time)) AS start_ns, trace_id, span_id, ${spanSegmentOf(range.by)} AS segment, ${MODEL} AS model,
        toString(status) AS outcome, duration_ms
      FROM spans
      WHERE ${PRODUCTION_CALLS}${range.routedOnly ? ` AND route_segment != ''` : ''} AND user_id = {user_id:String}
      ORDER BY start_time, span_id
      LIMIT {limit:UInt32}`,
    params: { ...rangeParams(range), user_id: userId, limit },
  })
}
