// The query engine behind every custom chart (POST /api/v1/query and the dashboards): a chart
// definition - metric, filters, group-by, bucket, range, limit - validated against fixed lists,
// compiled to one SQL query (db/clickhouse/queries/analytics/chart-query.ts) and answered as
// series ordered by their total, the groups beyond `limit` pooled in `other`.
// Definitions are the analytics' own (docs/analytics.md): a request is a model call, cost is the
// reported cost else the priced tokens (lib/analytics/costs.ts), hit rate is token-weighted.
import { z } from 'zod'
import {
  CHART_DIMENSIONS,
  CHART_METRICS,
  COLUMN_FILTERS,
  DEFAULT_CHART_GROUPS,
  MAX_ATTRIBUTE_FILTERS,
  MAX_CHART_BUCKETS,
  MAX_CHART_GROUPS,
  SPAN_KINDS,
  SPAN_STATUSES,
  runChartQuery,
  type ChartGroupBy,
  type ChartMetric,
  type ChartQuery,
  type ChartRow,
  type ColumnFilter,
} from '@/db/clickhouse/queries/analytics/chart-query'
import { listModelNames } from '@/db/clickhouse/queries/traces'
import { currentPrices, priceParams } from './costs'
import { rangeFields, refineRange } from './range-params'


/** The unit of each metric's values, for axes and legends. */
export const METRIC_UNITS: Record<ChartMetric, 'count' | 'ratio' | 'ms' | 'usd' | 'tokens' | 'score'> = {
  count: 'count',
  error_rate: 'ratio',
  p50_ms: 'ms',
  p95_ms: 'ms',
  p99_ms: 'ms',
  cost_usd: 'usd',
  input_tokens: 'tokens',
  output_tokens: 'tokens',
  cache_hit_rate: 'ratio',
  score_mean: 'score',
}

/** Metrics whose groups add up, so an empty bucket is 0 rather than "no value". */
const ADDITIVE: ReadonlySet<ChartMetric> = new Set(['count', 'cost_usd', 'input_tokens', 'output_tokens'])

const ATTRIBUTE_PREFIX = 'attribute:'
const filterText = z.string().max(500, 'must be at most 500 characters')

export const chartFiltersSchema = z
  .object({
    kind: z.enum(SPAN_KINDS, { message: `must be one of ${SPAN_KINDS.join(', ')}` }).optional(),
    status: z.enum(SPAN_STATUSES, { message: `must be one of ${SPAN_STATUSES.join(', ')}` }).optional(),
    ...(Object.fromEntries(COLUMN_FILTERS.map((name) => [name, filterText.optional()])) as Record<ColumnFilter, z.ZodOptional<typeof filterText>>),
    attributes: z
      .record(z.string().min(1, 'an attribute key must not be empty').max(256, 'an attribute key has at most 256 characters'), z.string().max(1000, 'must be at most 1000 characters'))
      .refine((attributes) => Object.keys(attributes).length <= MAX_ATTRIBUTE_FILTERS, `at most ${MAX_ATTRIBUTE_FILTERS} attribute filters`)
      .optional(),
  })
  .strict()
export type ChartFiltersInput = z.infer<typeof chartFiltersSchema>

const GROUP_BY_MESSAGE = `must be one of ${CHART_DIMENSIONS.join(', ')}, or attribute:<key>`
export const groupBySchema = z.string({ message: GROUP_BY_MESSAGE }).refine((value) => {
  if ((CHART_DIMENSIONS as readonly string[]).includes(value)) return true
  return value.startsWith(ATTRIBUTE_PREFIX) && value.length > ATTRIBUTE_PREFIX.length && value.length <= ATTRIBUTE_PREFIX.length + 256
}, GROUP_BY_MESSAGE)

/** A chart definition as stored in a dashboard widget and sent to POST /api/v1/query. */
export const chartQueryFields = {
  metric: z.enum(CHART_METRICS, { message: `must be one of ${CHART_METRICS.join(', ')}` }),
  score_name: z.string().trim().min(1, 'must not be empty').max(200).optional(),
  filters: chartFiltersSchema.optional(),
  group_by: groupBySchema.optional(),
  bucket: z
    .number({ message: 'must be a number of seconds' })
    .int('must be a whole number of seconds')
    .min(60, 'must be at least 60 seconds')
    .max(7 * 86_400, 'must be at most 604800 seconds (7 days)')
    .optional(),
  ...rangeFields,
  limit: z.number({ message: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1').max(MAX_CHART_GROUPS, `must be at most ${MAX_CHART_GROUPS}`).optional(),
}

export const chartDefinitionSchema = z.object(chartQueryFields).strict()
export type ChartDefinition = z.infer<typeof chartDefinitionSchema>

/** Checks what fields cannot check alone; adds issues naming the field. */
export function checkDefinition(value: ChartDefinition, ctx: z.RefinementCtx): void {
  if (value.metric === 'score_mean' && !value.score_name) ctx.addIssue({ code: 'custom', path: ['score_name'], message: 'is required for metric score_mean' })
  if (value.metric !== 'score_mean' && value.score_name !== undefined) ctx.addIssue({ code: 'custom', path: ['score_name'], message: 'is only for metric score_mean' })
}

export const queryInputSchema = chartDefinitionSchema.superRefine(checkDefinition).transform((value, ctx): ChartQuery => {
  const range = refineRange(value, ctx)
  if (!range) return z.NEVER
  if (value.bucket !== undefined) {
    const count = Math.ceil((range.to.getTime() - range.from.getTime()) / 1000 / value.bucket)
    if (count > MAX_CHART_BUCKETS) {
      const least = Math.ceil((range.to.getTime() - range.from.getTime()) / 1000 / MAX_CHART_BUCKETS)
      ctx.addIssue({ code: 'custom', path: ['bucket'], message: `makes ${count} buckets over this range; at most ${MAX_CHART_BUCKETS} (use at least ${least} seconds)` })
      return z.NEVER
    }
  }
  return toChartQuery(value, range)
})

function parseGroupBy(value: string | undefined): ChartGroupBy | undefined {
  if (value === undefined) return undefined
  if (value.startsWith(ATTRIBUTE_PREFIX)) return { attribute: value.slice(ATTRIBUTE_PREFIX.length) }
  return { dimension: value as ChartGroupBy extends { dimension: infer D } ? D : never }
}

function toChartQuery(value: ChartDefinition, range: { from: Date; to: Date }): ChartQuery {
  const filters = value.filters ?? {}
  const columns: ChartQuery['filters']['columns'] = {}
  for (const name of COLUMN_FILTERS) if (filters[name] !== undefined) columns[name] = filters[name]
  return {
    metric: value.metric,
    scoreName: value.score_name,
    filters: { kind: filters.kind, status: filters.status, columns, attributes: filters.attributes ?? {} },
    groupBy: parseGroupBy(value.group_by),
    bucketSeconds: value.bucket,
    from: range.from,
    to: range.to,
    limit: value.limit ?? DEFAULT_CHART_GROUPS,
  }
}

export interface ChartPoint {
  t: string
  value: number | null
}

export interface ChartSeries {
  /** The group's value (`""` for spans without one); null when the query has no group_by. */
  group: string | null
  total: number | null
  points?: ChartPoint[]
}

export interface ChartAnswer {
  metric: ChartMetric
  unit: (typeof METRIC_UNITS)[ChartMetric]
  group_by: string | null
  bucket_seconds: number | null
  from: string
  to: string
  series: ChartSeries[]
  /** The groups beyond `limit`, pooled: how many, and the metric over all of them. */
  other: (Omit<ChartSeries, 'group'> & { groups: number }) | null
}

/** Answers a chart query for a project. */
export async function runQuery(projectId: string, query: ChartQuery): Promise<ChartAnswer> {
  let prices
  if (query.metric === 'cost_usd') {
    const [models, priceOf] = await Promise.all([listModelNames(projectId, query.from, query.to), currentPrices()])
    prices = priceParams(models, priceOf)
  }
  return chartAnswer(query, await runChartQuery(projectId, query, prices))
}

/** Assembles the answer from the compiled query's rows (pure). */
export function chartAnswer(query: ChartQuery, rows: readonly ChartRow[]): ChartAnswer {
  const additive = ADDITIVE.has(query.metric)
  const times = bucketTimes(query)
  const groups = new Map<string, { other: boolean; group: string; groups: number; total: number | null; points: Map<number, number | null> }>()
  for (const row of rows) {
    const other = Number(row.is_other) === 1
    const key = `${other ? 1 : 0}:${row.grp}`
    let entry = groups.get(key)
    if (!entry) groups.set(key, (entry = { other, group: row.grp, groups: 0, total: null, points: new Map() }))
    const value = row.value === null || row.value === undefined || Number.isNaN(Number(row.value)) ? null : Number(row.value)
    if (Number(row.is_total) === 1) {
      entry.total = value
      entry.groups = Number(row.groups)
    } else entry.points.set(Number(row.t), value)
  }
  const dense = (points: Map<number, number | null>): ChartPoint[] | undefined =>
    times && times.map((t) => ({ t: new Date(t * 1000).toISOString(), value: points.get(t) ?? (additive ? 0 : null) }))
  const named = [...groups.values()].filter((g) => !g.other)
  named.sort((a, b) => (b.total ?? -Infinity) - (a.total ?? -Infinity) || a.group.localeCompare(b.group))
  const rest = [...groups.values()].find((g) => g.other)
  const series: ChartSeries[] = named.map((g) => ({ group: query.groupBy ? g.group : null, total: g.total, ...(times ? { points: dense(g.points) } : {}) }))
  return {
    metric: query.metric,
    unit: METRIC_UNITS[query.metric],
    group_by: query.groupBy ? ('dimension' in query.groupBy ? query.groupBy.dimension : `${ATTRIBUTE_PREFIX}${query.groupBy.attribute}`) : null,
    bucket_seconds: query.bucketSeconds ?? null,
    from: query.from.toISOString(),
    to: query.to.toISOString(),
    series,
    other: rest ? { groups: rest.groups, total: rest.total, ...(times ? { points: dense(rest.points) } : {}) } : null,
  }
}

/** Every bucket start of the range (Unix seconds), aligned to multiples of the bucket since the epoch. */
function bucketTimes(query: ChartQuery): number[] | undefined {
  if (!query.bucketSeconds) return undefined
  const bucket = query.bucketSeconds
  const first = Math.floor(query.from.getTime() / 1000 / bucket)
  const last = Math.floor((query.to.getTime() - 1) / 1000 / bucket)
  return Array.from({ length: Math.max(0, last - first + 1) }, (_, i) => (first + i) * bucket)
}

/** A zod error as one message naming each bad field by its path (`filters.tenant_id: ...`). */
export function describeQueryIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const where = issue.path.join('.')
      if (issue.code === 'unrecognized_keys') return `${where ? `${where}: ` : ''}unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`
      return where ? `${where}: ${issue.message}` : issue.message
    })
    .join('; ')
}
