// Queries of the diurnal view: model-call outcomes by hour of day and by weekday x hour in a
// time zone, for production traffic and for eval-run traffic apart; and numeric scores by the
// hour they were recorded, eval-run scores apart from production ones.
import { dateToClickhouse } from '@/lib/time/nanos'
import { queryClickhouse } from '../../query'
import { IN_RANGE } from './model-calls'
import { MODEL_CALL_OUTCOMES, ROLLUP_SETTINGS, rollupParams, rollupSource } from './rollups'

export interface DiurnalRange {
  from: Date
  to: Date
  /** IANA time zone, validated before it gets here; bound as a parameter all the same. */
  tz: string
}


export interface HourStatsRow {
  /** 'hour' rows aggregate all weekdays; 'cell' rows one weekday (1 = Monday ... 7 = Sunday). */
  level: 'hour' | 'cell'
  is_eval: number
  hour: number
  weekday: number
  requests: string
  errors: string
  overloads: string
  fallbacks: string
  latency: [number, number]
  ttft: [number, number]
  ttft_count: string
}

export async function hourStats(projectId: string, range: DiurnalRange): Promise<HourStatsRow[]> {
  // Blocks are 15 minutes long and every time zone's offset is a multiple of 15 minutes, so a
  // block's hour in the zone is the hour of each call in it.
  return queryClickhouse<HourStatsRow>({
    tag: 'analytics.diurnal.hours',
    projectId,
    query: `SELECT
        if(grouping(is_eval, weekday, hour) = 2, 'hour', 'cell') AS level,
        is_eval,
        toHour(block, {tz:String}) AS hour,
        toDayOfWeek(block, 0, {tz:String}) AS weekday,
        sum(requests) AS requests, sum(errors) AS errors, sum(overloads) AS overloads, sum(fallbacks) AS fallbacks,
        quantilesTDigestMerge(0.5, 0.95)(duration) AS latency,
        quantilesTDigestMerge(0.5, 0.95)(ttft) AS ttft,
        sum(ttft_count) AS ttft_count
      FROM ${rollupSource(MODEL_CALL_OUTCOMES)}
      GROUP BY GROUPING SETS ((is_eval, hour), (is_eval, weekday, hour))`,
    params: { ...(await rollupParams(projectId, MODEL_CALL_OUTCOMES, range)), tz: range.tz },
    settings: ROLLUP_SETTINGS,
  })
}

export interface ScoreHourRow {
  level: 'hour' | 'cell'
  is_eval: number
  hour: number
  weekday: number
  n: string
  mean: number
  variance: number | null
}

/**
 * Numeric scores by the hour they were recorded. A score is an eval score when it belongs to an
 * eval run (its run_id) or scores a trace whose spans carry an eval run id.
 */
export function scoreHours(projectId: string, range: DiurnalRange, scoreName?: string): Promise<ScoreHourRow[]> {
  return queryClickhouse<ScoreHourRow>({
    tag: 'analytics.diurnal.scores',
    projectId,
    query: `SELECT
        if(grouping(is_eval, weekday, hour) = 2, 'hour', 'cell') AS level,
        (run_id != '' OR trace_id IN (SELECT DISTINCT trace_id FROM spans WHERE ${IN_RANGE} AND eval_run_id != '')) AS is_eval,
        toHour(timestamp, {tz:String}) AS hour,
        toDayOfWeek(timestamp, 0, {tz:String}) AS weekday,
        count() AS n, avg(value) AS mean, varSamp(value) AS variance
      FROM scores
      WHERE project_id = {project_id:String} AND timestamp >= {from:DateTime64(3, 'UTC')} AND timestamp < {to:DateTime64(3, 'UTC')}
        AND value IS NOT NULL${scoreName ? ' AND name = {score_name:String}' : ''}
      GROUP BY GROUPING SETS ((is_eval, hour), (is_eval, weekday, hour))`,
    params: { from: dateToClickhouse(range.from), to: dateToClickhouse(range.to), tz: range.tz, score_name: scoreName ?? '' },
  })
}
