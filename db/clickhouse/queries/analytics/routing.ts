// Queries of the routing-cohort view: per segment (route segment, else the serving model) the
// outcome counts, latency quantiles and cost inputs of production model calls; eval scores of
// the traces each segment served; the users and tenants served by more than one segment; and one
// user's requests in time order.
import { dateToClickhouse } from '@/lib/time/nanos'
import { queryClickhouse } from '../../query'
import { COST_SUMS, MODEL, MODEL_CALLS, type CostSums } from './model-calls'

export type SegmentBy = 'segment' | 'model'

/** The segment a model call belongs to. Chosen from a fixed pair, never from user input. */
export function segmentExpression(by: SegmentBy): string {
  return by === 'model' ? MODEL : `if(route_segment != '', route_segment, ${MODEL})`
}

/** Production traffic: model calls that are not part of an eval run. */
const PRODUCTION_CALLS = `${MODEL_CALLS} AND eval_run_id = ''`

export interface RoutingRange {
  from: Date
  to: Date
  by: SegmentBy
}

const rangeParams = ({ from, to }: RoutingRange) => ({ from: dateToClickhouse(from), to: dateToClickhouse(to) })

export interface SegmentStatsRow extends CostSums {
  /** 'segment' for a segment's outcomes, 'model' for its cost inputs by model, 'total' for the grand total. */
  level: 'segment' | 'model' | 'total'
  segment: string
  model: string
  users: string
  tenants: string
  requests: string
  errors: string
  refusals: string
  format_checked: string
  format_failures: string
  latency: [number, number]
}

export function segmentStats(projectId: string, range: RoutingRange): Promise<SegmentStatsRow[]> {
  // One scan: grouping sets give per-segment outcomes, per-segment-and-model cost inputs (costs
  // are priced per model) and the distinct users and tenants of the whole range.
  return queryClickhouse<SegmentStatsRow>({
    tag: 'analytics.routing.segments',
    projectId,
    query: `SELECT
        multiIf(grouping(segment, model) = 0, 'model', grouping(segment, model) = 1, 'segment', 'total') AS level,
        ${segmentExpression(range.by)} AS segment, ${MODEL} AS model,
        uniqExactIf(user_id, user_id != '') AS users,
        uniqExactIf(tenant_id, tenant_id != '') AS tenants,
        count() AS requests,
        countIf(status = 'error') AS errors,
        countIf(refusal) AS refusals,
        countIf(schema_valid IS NOT NULL) AS format_checked,
        countIf(schema_valid = false) AS format_failures,
        quantilesTDigest(0.5, 0.95)(duration_ms) AS latency,
        ${COST_SUMS}
      FROM spans
      WHERE ${PRODUCTION_CALLS}
      GROUP BY GROUPING SETS ((segment), (segment, model), ())`,
    params: rangeParams(range),
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
    query: `SELECT served.segment AS segment, count() AS n, avg(s.value) AS mean, varSamp(s.value) AS variance
      FROM (SELECT trace_id, value FROM scores WHERE ${scoreFilter}) AS s
      INNER JOIN (
        SELECT trace_id, argMax(${segmentExpression(range.by)}, start_time) AS segment
        FROM spans
        WHERE ${PRODUCTION_CALLS} AND trace_id IN (SELECT trace_id FROM scores WHERE ${scoreFilter})
        GROUP BY trace_id
      ) AS served ON s.trace_id = served.trace_id
      GROUP BY segment`,
    params: { ...rangeParams(range), scores_to: dateToClickhouse(new Date(range.to.getTime() + SCORE_LAG_MS)), score_name: scoreName ?? '' },
  })
}

export interface SwitcherRow {
  id: string
  /** (segment, first served, requests) for each segment that served this user or tenant. */
  segments: Array<[string, string, string]>
  requests: string
}

/** Users (or tenants) served by more than one segment, most requests first. */
export function switchers(projectId: string, range: RoutingRange, who: 'user_id' | 'tenant_id'): Promise<SwitcherRow[]> {
  const column = who === 'tenant_id' ? 'tenant_id' : 'user_id'
  return queryClickhouse<SwitcherRow>({
    tag: `analytics.routing.switchers.${who}`,
    projectId,
    query: `SELECT id, groupArray((segment, toString(first_served), toString(requests))) AS segments, sum(requests) AS requests
      FROM (
        SELECT ${column} AS id, ${segmentExpression(range.by)} AS segment, min(start_time) AS first_served, count() AS requests
        FROM spans
        WHERE ${PRODUCTION_CALLS} AND ${column} != ''
        GROUP BY id, segment
      )
      GROUP BY id
      HAVING count() > 1
      ORDER BY requests DESC, id`,
    params: rangeParams(range),
  })
}

export interface UserRequestRow {
  start_time: string
  trace_id: string
  span_id: string
  segment: string
  model: string
  status: string
  duration_ms: number
}

/** One user's model calls in time order, at most `limit`. */
export function userRequests(projectId: string, range: RoutingRange, userId: string, limit: number): Promise<UserRequestRow[]> {
  return queryClickhouse<UserRequestRow>({
    tag: 'analytics.routing.user-timeline',
    projectId,
    query: `SELECT toString(start_time) AS start_time, trace_id, span_id, ${segmentExpression(range.by)} AS segment, ${MODEL} AS model,
        toString(status) AS status, duration_ms
      FROM spans
      WHERE ${PRODUCTION_CALLS} AND user_id = {user_id:String}
      ORDER BY start_time, span_id
      LIMIT {limit:UInt32}`,
    params: { ...rangeParams(range), user_id: userId, limit },
  })
}
