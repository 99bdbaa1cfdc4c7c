// The diurnal view (GET /api/v1/analytics/diurnal and its page): production model calls by hour
// of day in a time zone - volume, latency, time to first token, errors, overloads, fallbacks and
// eval scores - an hour x weekday heatmap of one metric, and eval runs against peak traffic.
import { z } from 'zod'
import { hourStats, scoreHours, type HourStatsRow, type ScoreHourRow } from '@/db/clickhouse/queries/analytics/diurnal'
import { resolveTimeZone } from '@/lib/time/time-zones'
import { compareEvalWithPeak, evalScoreHours, trafficPeakHours, type EvalVsProduction, type HourOutcome } from './diurnal-compare'
import { rangeFields, refineRange } from './range-params'
import type { SampleMoments } from './stats'

export const HEATMAP_METRICS = ['requests', 'p50_ms', 'p95_ms', 'ttft_p50_ms', 'error_rate', 'overload_rate', 'fallback_rate', 'mean_score'] as const
export type HeatmapMetric = (typeof HEATMAP_METRICS)[number]

export const diurnalInputSchema = z
  .object({
    ...rangeFields,
    tz: z
      .string()
      .max(64)
      .default('UTC')
      .transform((tz, ctx) => {
        const zone = resolveTimeZone(tz)
        if (zone) return zone
        ctx.addIssue({ code: 'custom', message: `must be an IANA time zone name such as UTC, Europe/Berlin or America/New_York; ${JSON.stringify(tz)} is not one this server knows` })
        return z.NEVER
      }),
    metric: z.enum(HEATMAP_METRICS, { message: `must be one of ${HEATMAP_METRICS.join(', ')}` }).default('p95_ms'),
    score_name: z.string().min(1).max(256).optional(),
  })
  .strict()
  .transform((value, ctx) => {
    const range = refineRange(value, ctx)
    if (!range) return z.NEVER
    return { ...range, tz: value.tz, metric: value.metric, scoreName: value.score_name }
  })
export type DiurnalInput = z.output<typeof diurnalInputSchema>

export interface DiurnalHour {
  hour: number
  requests: number
  p50_ms: number | null
  p95_ms: number | null
  ttft_p50_ms: number | null
  ttft_p95_ms: number | null
  error_rate: number | null
  overload_rate: number | null
  fallback_rate: number | null
  mean_score: number | null
  score_count: number
}

export interface HeatmapCell {
  /** 1 = Monday ... 7 = Sunday, in the chosen time zone. */
  weekday: number
  hour: number
  requests: number
  value: number | null
}

/** The JSON answer of GET /api/v1/analytics/diurnal. */
export interface DiurnalAnswer {
  tz: string
  hours: DiurnalHour[]
  eval_hours: number[]
  traffic_peak_hours: number[]
  eval_vs_production: EvalVsProduction
  heatmap: { metric: HeatmapMetric; cells: HeatmapCell[] }
}

export interface DiurnalReport extends DiurnalAnswer {
  from: string
  to: string
}

interface Metrics {
  requests: number
  errors: number
  overloads: number
  fallbacks: number
  p50: number | null
  p95: number | null
  ttftP50: number | null
  ttftP95: number | null
  score: SampleMoments | null
}

const key = (isEval: boolean, weekday: number, hour: number) => `${isEval ? 1 : 0}:${weekday}:${hour}`

export async function diurnalReport(projectId: string, input: DiurnalInput): Promise<DiurnalReport> {
  const range = { from: input.from, to: input.to, tz: input.tz }
  const [stats, scores] = await Promise.all([hourStats(projectId, range), scoreHours(projectId, range, input.scoreName)])
  // 'hour' rows are keyed with weekday 0; 'cell' rows with their weekday.
  const metrics = new Map<string, Metrics>()
  const slot = (isEval: boolean, weekday: number, hour: number) => {
    const k = key(isEval, weekday, hour)
    let m = metrics.get(k)
    if (!m) metrics.set(k, (m = { requests: 0, errors: 0, overloads: 0, fallbacks: 0, p50: null, p95: null, ttftP50: null, ttftP95: null, score: null }))
    return m
  }
  for (const row of stats) fillStats(slot(Number(row.is_eval) === 1, row.level === 'hour' ? 0 : Number(row.weekday), Number(row.hour)), row)
  for (const row of scores) fillScore(slot(Number(row.is_eval) === 1, row.level === 'hour' ? 0 : Number(row.weekday), Number(row.hour)), row)

  const get = (isEval: boolean, weekday: number, hour: number) => metrics.get(key(isEval, weekday, hour))
  const hours: DiurnalHour[] = Array.from({ length: 24 }, (_, hour) => toHour(hour, get(false, 0, hour)))
  const outcome = (isEval: boolean) =>
    Array.from({ length: 24 }, (_, hour): HourOutcome => {
      const m = get(isEval, 0, hour)
      return { hour, requests: m?.requests ?? 0, errors: m?.errors ?? 0, overloads: m?.overloads ?? 0, p95_ms: m?.p95 ?? null, score: m?.score ?? null }
    })
  const evalHours = evalScoreHours(Array.from({ length: 24 }, (_, hour) => ({ hour, n: get(true, 0, hour)?.score?.n ?? 0 })))
  const peakHours = trafficPeakHours(hours)
  const cells: HeatmapCell[] = []
  for (let weekday = 1; weekday <= 7; weekday++) {
    for (let hour = 0; hour < 24; hour++) {
      const m = get(false, weekday, hour)
      cells.push({ weekday, hour, requests: m?.requests ?? 0, value: m ? metricValue(toHour(hour, m), input.metric) : null })
    }
  }
  return {
    from: input.from.toISOString(),
    to: input.to.toISOString(),
    tz: input.tz,
    hours,
    eval_hours: evalHours,
    traffic_peak_hours: peakHours,
    eval_vs_production: compareEvalWithPeak(evalHours, peakHours, outcome(true), outcome(false)),
    heatmap: { metric: input.metric, cells },
  }
}

export function diurnalAnswer(report: DiurnalReport): DiurnalAnswer {
  const { from: _from, to: _to, ...answer } = report
  return answer
}

function fillStats(m: Metrics, row: HourStatsRow): void {
  m.requests = Number(row.requests)
  m.errors = Number(row.errors)
  m.overloads = Number(row.overloads)
  m.fallbacks = Number(row.fallbacks)
  if (m.requests > 0) [m.p50, m.p95] = row.latency.map(Number)
  if (Number(row.ttft_count) > 0) [m.ttftP50, m.ttftP95] = row.ttft.map(Number)
}

function fillScore(m: Metrics, row: ScoreHourRow): void {
  const n = Number(row.n)
  if (n > 0) m.score = { n, mean: Number(row.mean), variance: Number(row.variance ?? 0) || 0 }
}

function toHour(hour: number, m: Metrics | undefined): DiurnalHour {
  const rate = (count: number) => (m && m.requests > 0 ? count / m.requests : null)
  return {
    hour,
    requests: m?.requests ?? 0,
    p50_ms: m?.p50 ?? null,
    p95_ms: m?.p95 ?? null,
    ttft_p50_ms: m?.ttftP50 ?? null,
    ttft_p95_ms: m?.ttftP95 ?? null,
    error_rate: rate(m?.errors ?? 0),
    overload_rate: rate(m?.overloads ?? 0),
    fallback_rate: rate(m?.fallbacks ?? 0),
    mean_score: m?.score?.mean ?? null,
    score_count: m?.score?.n ?? 0,
  }
}

function metricValue(hour: DiurnalHour, metric: HeatmapMetric): number | null {
  return hour[metric]
}
