// The overview (GET /api/v1/analytics/overview and the landing page of a project's analytics):
// model-call volume, error rate, p95 latency and cost over time, the same split by one kind of
// component, and markers where a model, prompt version or system-prompt hash first appeared.
import { z } from 'zod'
import { COMPONENTS, componentBuckets, firstSeen, type BucketRow, type Component, type FirstSeenRow } from '@/db/clickhouse/queries/analytics/overview'
import { nanosToIso } from '@/lib/time/nanos'
import { costOfModels, currentPrices, type PriceOf } from './costs'
import { bucketField, rangeFields, refineBucket, refineRange } from './range-params'

export const MAX_COMPONENTS = 12
export const MAX_MARKERS = 500
export const DATA_WARM_UP_MS = 86_400_000

export const overviewInputSchema = z
  .object({
    ...rangeFields,
    bucket: bucketField,
    split: z.enum(COMPONENTS, { message: `must be one of ${COMPONENTS.join(', ')}` }).default('model'),
  })
  .strict()
  .transform((value, ctx) => {
    const range = refineRange(value, ctx)
    if (!range) return z.NEVER
    return { ...range, bucketSeconds: refineBucket(value.bucket, range, ctx), split: value.split }
  })
export type OverviewInput = z.output<typeof overviewInputSchema>

export interface OverviewPoint {
  t: string
  /** Spans of the component (model calls for the totals). */
  spans: number
  errors: number
  error_rate: number | null
  /** p95 duration in ms; null for the pooled "other" component, whose quantile is not kept. */
  p95_ms: number | null
  cost_usd: number
}

export interface ComponentSeries {
  component: string
  spans: number
  errors: number
  cost_usd: number
  points: OverviewPoint[]
}

export interface Marker {
  t: string
  kind: 'model' | 'prompt_version' | 'system_prompt_hash'
  value: string
}

export interface OverviewAnswer {
  bucket_seconds: number
  /** Every model call per bucket. */
  series: OverviewPoint[]
  split: { by: Component; components: ComponentSeries[] }
  markers: Marker[]
  markers_truncated: boolean
}

export interface OverviewReport extends OverviewAnswer {
  from: string
  to: string
}

export async function overviewReport(projectId: string, input: OverviewInput, priceOf?: PriceOf): Promise<OverviewReport> {
  const range = { from: input.from, to: input.to, bucketSeconds: input.bucketSeconds }
  const [totals, split, seen, prices] = await Promise.all([
    componentBuckets(projectId, range, 'all-model-calls'),
    componentBuckets(projectId, range, input.split),
    firstSeen(projectId, range, MAX_MARKERS + 1),
    priceOf ?? currentPrices(),
  ])
  const bucketMs = input.bucketSeconds * 1000
  const first = Math.floor(input.from.getTime() / bucketMs)
  const last = Math.floor((input.to.getTime() - 1) / bucketMs)
  const times = Array.from({ length: last - first + 1 }, (_, i) => (first + i) * input.bucketSeconds)

  const series = seriesByComponent(totals, prices).get('') ?? new Map()
  const components = [...seriesByComponent(split, prices).entries()].map(([component, points]) => {
    const all = [...points.values()]
    return {
      component,
      spans: all.reduce((sum, p) => sum + p.spans, 0),
      errors: all.reduce((sum, p) => sum + p.errors, 0),
      cost_usd: all.reduce((sum, p) => sum + p.cost_usd, 0),
      points,
    }
  })
  components.sort((a, b) => b.spans - a.spans || a.component.localeCompare(b.component))
  const kept = components.slice(0, MAX_COMPONENTS)
  const rest = components.slice(MAX_COMPONENTS)
  if (rest.length > 0) {
    const points = new Map<number, OverviewPoint>()
    for (const component of rest) {
      for (const [t, point] of component.points) {
        const into = points.get(t) ?? { ...emptyPoint(point.t), p95_ms: null }
        into.spans += point.spans
        into.errors += point.errors
        into.cost_usd += point.cost_usd
        into.error_rate = into.spans > 0 ? into.errors / into.spans : null
        points.set(t, into)
      }
    }
    kept.push({
      component: `other (${rest.length})`,
      spans: rest.reduce((sum, c) => sum + c.spans, 0),
      errors: rest.reduce((sum, c) => sum + c.errors, 0),
      cost_usd: rest.reduce((sum, c) => sum + c.cost_usd, 0),
      points,
    })
  }

  const markers = markersAfterWarmUp(seen, bucketMs)

  const dense = (points: Map<number, OverviewPoint>) => times.map((t) => points.get(t) ?? emptyPoint(new Date(t * 1000).toISOString()))
  return {
    from: input.from.toISOString(),
    to: input.to.toISOString(),
    bucket_seconds: input.bucketSeconds,
    series: dense(series),
    split: { by: input.split, components: kept.map((c) => ({ ...c, points: dense(c.points) })) },
    markers: markers.slice(0, MAX_MARKERS),
    markers_truncated: markers.length > MAX_MARKERS,
  }
}

/**
 * First appearances worth marking: values first seen in the first day of a project's data (or its
 * first bucket, if longer) were its starting inventory, not a change, so markers begin after that.
 */
function markersAfterWarmUp(seen: readonly FirstSeenRow[], bucketMs: number): Marker[] {
  const dataStart = seen.find((row) => row.marker === 'data')
  const warmUpNs = BigInt(Math.max(bucketMs, DATA_WARM_UP_MS)) * 1_000_000n
  const dataStartNs = dataStart ? BigInt(dataStart.first_seen_ns) + warmUpNs : 0n
  return seen
    .filter((row) => row.marker !== 'data' && BigInt(row.first_seen_ns) >= dataStartNs)
    .map((row) => ({ t: nanosToIso(row.first_seen_ns), kind: row.marker as Marker['kind'], value: row.value }))
}

/** The overview's first-appearance markers of a range (new models, prompt versions, system prompts), for other pages. */
export async function firstAppearances(projectId: string, range: { from: Date; to: Date; bucketSeconds: number }): Promise<{ markers: Marker[]; truncated: boolean }> {
  const markers = markersAfterWarmUp(await firstSeen(projectId, range, MAX_MARKERS + 1), range.bucketSeconds * 1000)
  return { markers: markers.slice(0, MAX_MARKERS), truncated: markers.length > MAX_MARKERS }
}

export function overviewAnswer(report: OverviewReport): OverviewAnswer {
  const { from: _from, to: _to, ...answer } = report
  return answer
}

function emptyPoint(t: string): OverviewPoint {
  return { t, spans: 0, errors: 0, error_rate: null, p95_ms: null, cost_usd: 0 }
}

/** Rows -> component -> bucket start (unix s) -> point, with costs priced per model. */
function seriesByComponent(rows: readonly BucketRow[], prices: PriceOf): Map<string, Map<number, OverviewPoint>> {
  const result = new Map<string, Map<number, OverviewPoint>>()
  const pointOf = (row: BucketRow) => {
    let points = result.get(row.component)
    if (!points) result.set(row.component, (points = new Map()))
    const t = Number(row.t)
    let point = points.get(t)
    if (!point) points.set(t, (point = emptyPoint(new Date(t * 1000).toISOString())))
    return point
  }
  for (const row of rows) {
    const point = pointOf(row)
    point.spans = Number(row.spans)
    point.errors = Number(row.errors)
    point.error_rate = point.spans > 0 ? point.errors / point.spans : null
    point.p95_ms = Number(row.p95_ms)
    point.cost_usd += costOfModels(row.costs, prices)
  }
  return result
}
