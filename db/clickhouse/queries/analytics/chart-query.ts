// The chart query compiler: one function turns a chart definition (metric, filters, group-by,
// bucket, range) into the one SQL query that answers it, for every chart of every dashboard.
// Built with the typed builder (../../sql.ts): metrics, dimensions and filters are looked up in
// the fixed tables below, never spliced from input, and every value a caller sent (filter values,
// attribute keys, score name, range, bucket, limit) is bound as a parameter.
//
// Shape of the answer rows: per group (the top `limit` groups by the metric, the rest pooled as
// `is_other`) one total row, and with a bucket one row per bucket. Read from raw `spans` (and
// `scores` for score_mean) within the project and the range, which lead the sort key: filters,
// group-bys and attributes of any kind are not what the rollups are keyed by.
import { dateToClickhouse } from '@/lib/time/nanos'
import { bind, joinSql, renderSql, sql, UNSAFE_RAW_SQL, type BoundValue, type RenderedSql, type SqlFragment } from '../../sql'
import { queryClickhouse } from '../../query'
import { COLUMN_FILTERS, SPAN_STATUSES, type ChartDimension, type ChartMetric, type ColumnFilter, type SpanKind } from './chart-fields'
import { CALL_COST_PARTS, CALL_COST_SUM, MODEL, PRICE_INDEX, WEIGHTED_ERRORS, WEIGHTED_REQUESTS, weightedTokens } from './model-calls'
import type { PriceParams } from '../traces'

/** Filters by a column: the filter's name -> the expression it compares to a bound String. */
const FILTER_COLUMNS: Record<ColumnFilter, string> = {
  model: MODEL,
  tenant_id: 'tenant_id',
  user_id: 'user_id',
  service: 'service_name',
  tool_name: 'tool_name',
  prompt_name: 'prompt_name',
  route_segment: 'route_segment',
}

/** What a group is, per dimension. Fixed SQL. */
const DIMENSION_SQL: Record<ChartDimension, string> = {
  model: MODEL,
  tenant_id: 'tenant_id',
  tool_name: 'tool_name',
  kind: 'toString(kind)',
  status: 'toString(status)',
  service: 'service_name',
  // As the overview's prompt split names a prompt version: "name vN".
  prompt_version: `if(prompt_name != '' OR prompt_version != '', concat(prompt_name, if(prompt_version != '', concat(' v', prompt_version), '')), '')`,
  route_segment: 'route_segment',
  name: 'name',
}

export type ChartGroupBy = { dimension: ChartDimension } | { attribute: string }

export interface ChartFilters {
  kind?: SpanKind
  status?: (typeof SPAN_STATUSES)[number]
  columns: Partial<Record<ColumnFilter, string>>
  attributes: Record<string, string>
}

export interface ChartQuery {
  metric: ChartMetric
  scoreName?: string
  filters: ChartFilters
  groupBy?: ChartGroupBy
  bucketSeconds?: number
  from: Date
  to: Date
  limit: number
}

/** Scores are looked up until a day after the range, since judges score traces after they ran. */
export const SCORE_LAG_MS = 86_400_000

/** The kind of spans a chart reads when its filters name none: model calls (a request). */
export function effectiveKind(query: Pick<ChartQuery, 'filters' | 'groupBy'>): SpanKind | undefined {
  if (query.filters.kind) return query.filters.kind
  const byKind = query.groupBy && 'dimension' in query.groupBy && query.groupBy.dimension === 'kind'
  return byKind ? undefined : 'llm'
}

/**
 * Each metric as partial sums (or quantile states) over the spans of one cell - a group key and
 * a bucket - and how cells combine into a value: `combine(over)` aggregates the partial columns
 * across cells, each aggregate followed by `over` (a window clause, or nothing). Partial columns
 * are named m_* so they never shadow a span column.
 */
const METRICS: Record<ChartMetric, { partials: string; combine: (over: string) => string }> = {
  // Counts, errors, tokens and cost are weighted by the span's sampling weight (docs/analytics.md,
  // "Sampling weight"), as every view counts them; quantiles are of the spans kept.
  count: { partials: `${WEIGHTED_REQUESTS} AS m_n`, combine: (w) => `toFloat64(sum(m_n)${w})` },
  error_rate: { partials: `${WEIGHTED_ERRORS} AS m_errors, ${WEIGHTED_REQUESTS} AS m_n`, combine: (w) => `sum(m_errors)${w} / sum(m_n)${w}` },
  p50_ms: { partials: 'quantileTDigestState(0.5)(duration_ms) AS m_q', combine: (w) => `quantileTDigestMerge(0.5)(m_q)${w}` },
  p95_ms: { partials: 'quantileTDigestState(0.95)(duration_ms) AS m_q', combine: (w) => `quantileTDigestMerge(0.95)(m_q)${w}` },
  p99_ms: { partials: 'quantileTDigestState(0.99)(duration_ms) AS m_q', combine: (w) => `quantileTDigestMerge(0.99)(m_q)${w}` },
  // Priced once per cell and raw model (CALL_COST_PARTS), not per span; see `cells`.
  cost_usd: { partials: CALL_COST_PARTS, combine: (w) => `sum(m_cost)${w}` },
  input_tokens: { partials: `sum(${weightedTokens('input_tokens')}) AS m_tokens`, combine: (w) => `toFloat64(sum(m_tokens)${w})` },
  output_tokens: { partials: `sum(${weightedTokens('output_tokens')}) AS m_tokens`, combine: (w) => `toFloat64(sum(m_tokens)${w})` },
  cache_hit_rate: {
    partials: `sum(${weightedTokens('input_tokens')}) AS m_input, sum(${weightedTokens('cache_read_tokens')}) AS m_cache_read`,
    combine: (w) => `if(sum(m_input)${w} = 0, NULL, sum(m_cache_read)${w} / sum(m_input)${w})`,
  },
  score_mean: { partials: 'sum(score_value) AS m_score_sum, count() AS m_n', combine: (w) => `sum(m_score_sum)${w} / sum(m_n)${w}` },
}

/** Fixed SQL from one of the tables above; a name not in it (input that slipped past validation) is refused. */
function fixed<K extends string>(table: Record<K, string>, name: K): SqlFragment {
  if (!Object.hasOwn(table, name)) throw new TypeError(`chart query: ${String(name).slice(0, 50)} is not in the allow-list`)
  return UNSAFE_RAW_SQL(table[name])
}

function metricOf(name: ChartMetric): (typeof METRICS)[ChartMetric] {
  if (!Object.hasOwn(METRICS, name)) throw new TypeError(`chart query: ${String(name).slice(0, 50)} is not in the allow-list`)
  return METRICS[name]
}

/**
 * How spans are keyed before they are grouped: `keys` are what a cell is aggregated by (raw
 * columns; selected as `keys`, grouped by `names`), `group` turns a cell's keys into its group. The serving model is computed per cell
 * from the raw model columns rather than per span (its regex is the costly part).
 */
function groupKeys(groupBy: ChartGroupBy | undefined, metric: ChartMetric): { keys: SqlFragment[]; names: SqlFragment[]; group: SqlFragment } {
  const raw = sql`model_requested, model_resolved`
  // Cost is priced per serving model: its cells keep the raw model columns whatever the group.
  const priced = metric === 'cost_usd'
  if (!groupBy) return priced ? { keys: [raw], names: [raw], group: sql`''` } : { keys: [], names: [], group: sql`''` }
  if ('dimension' in groupBy && groupBy.dimension === 'model') return { keys: [raw], names: [raw], group: fixed(DIMENSION_SQL, 'model') }
  const key = sql`${groupExpression(groupBy)} AS group_key`
  return priced ? { keys: [key, raw], names: [sql`group_key`, raw], group: sql`group_key` } : { keys: [key], names: [sql`group_key`], group: sql`group_key` }
}

function groupExpression(groupBy: ChartGroupBy | undefined): SqlFragment {
  if (!groupBy) return sql`''`
  if ('attribute' in groupBy) return sql`attributes[${bind(groupBy.attribute, 'String')}]`
  return fixed(DIMENSION_SQL, groupBy.dimension)
}

/** The spans a chart reads: the project, the range, and every filter bound as a parameter. */
export function spanConditions(projectId: string, query: ChartQuery): SqlFragment {
  const conditions: SqlFragment[] = [
    sql`project_id = ${bind(projectId, 'String', 'project_id')}`,
    sql`start_time >= ${bind(dateToClickhouse(query.from), "DateTime64(3, 'UTC')", 'from')}`,
    sql`start_time < ${bind(dateToClickhouse(query.to), "DateTime64(3, 'UTC')", 'to')}`,
  ]
  const kind = effectiveKind(query)
  // Kinds and statuses are Enum8 columns: compare them as strings so a bound value fits any enum.
  if (kind) conditions.push(sql`kind = ${bind(kind, 'String')}`)
  if (query.filters.status) conditions.push(sql`status = ${bind(query.filters.status, 'String')}`)
  for (const name of COLUMN_FILTERS) {
    const value = query.filters.columns[name]
    if (value !== undefined) conditions.push(sql`${fixed(FILTER_COLUMNS, name)} = ${bind(value, 'String')}`)
  }
  for (const [key, value] of Object.entries(query.filters.attributes)) {
    conditions.push(sql`attributes[${bind(key, 'String')}] = ${bind(value, 'String')}`)
  }
  return joinSql(conditions, ' AND ')
}

/**
 * The cells of a chart, read in one pass: per group and bucket `t` (Unix seconds; 0 without a
 * bucket), the metric's partial columns and the group `g`. Spans are aggregated by their raw keys
 * and bucket first, so the serving model and prices are computed per cell, not per span.
 */
function cells(projectId: string, query: ChartQuery, bucket: BoundValue | undefined): SqlFragment {
  const metric = metricOf(query.metric)
  const where = spanConditions(projectId, query)
  const partials = UNSAFE_RAW_SQL(metric.partials)
  if (query.metric === 'score_mean') {
    const group = groupExpression(query.groupBy)
    const time = bucket ? sql`intDiv(toUnixTimestamp(served.ts), ${bucket}) * ${bucket}` : sql`0`
    const scoreFilter = sql`project_id = ${bind(projectId, 'String', 'project_id')} AND timestamp >= ${bind(dateToClickhouse(query.from), "DateTime64(3, 'UTC')", 'from')}
      AND timestamp < ${bind(dateToClickhouse(new Date(query.to.getTime() + SCORE_LAG_MS)), "DateTime64(3, 'UTC')", 'scores_to')}
      AND value IS NOT NULL AND name = ${bind(query.scoreName ?? '', 'String', 'score_name')}`
    // A score counts once for each group its trace's matching spans are in ("traces that used
    // gpt-4.1"), bucketed at the trace's last matching span; traces meet their scores by a 64-bit
    // hash of the trace id.
    return sql`SELECT served.g AS g, ${time} AS t, ${partials}
      FROM (SELECT cityHash64(trace_id) AS trace_hash, value AS score_value FROM scores WHERE ${scoreFilter}) AS s
      INNER JOIN (
        SELECT cityHash64(trace_id) AS trace_hash, arrayJoin(groupUniqArray(${group})) AS g, max(start_time) AS ts
        FROM spans
        WHERE ${where} AND cityHash64(trace_id) IN (SELECT cityHash64(trace_id) FROM scores WHERE ${scoreFilter})
        GROUP BY trace_hash
      ) AS served ON s.trace_hash = served.trace_hash
      GROUP BY g, t`
  }
  const { keys, names, group } = groupKeys(query.groupBy, query.metric)
  const time = bucket ? sql`intDiv(toUnixTimestamp(start_time), ${bucket}) * ${bucket}` : sql`0`
  const byKeys = joinSql([...names, sql`t`], ', ')
  const spans = sql`SELECT ${joinSql([...keys, sql`${time} AS t`, partials], ', ')}
      FROM spans
      WHERE ${where}
      GROUP BY ${byKeys}`
  if (query.metric === 'cost_usd') {
    return sql`SELECT ${group} AS g, t, ${UNSAFE_RAW_SQL(CALL_COST_SUM)} AS m_cost
      FROM (SELECT *, ${UNSAFE_RAW_SQL(PRICE_INDEX)} AS price_index FROM (${spans}))`
  }
  return sql`SELECT ${group} AS g, * FROM (${spans})`
}

export interface ChartRow {
  /** 1 for the pooled rest of the groups. */
  is_other: number
  grp: string
  /** Bucket start (Unix seconds); 0 on a group's total row. */
  t: number
  is_total: number
  /** Distinct groups pooled in the row (meaningful on the rest's rows). */
  groups: string | number
  value: number | null
}

/**
 * The SQL of a chart query, with its parameters. `prices` binds the price table for cost_usd.
 *
 * One pass over spans: the cells (group x bucket partials) are ranked by their group's total -
 * the metric combined over the group's cells, as a window - and the groups past `limit` pooled
 * as the rest, whose partials merge like any group's.
 */
export function compileChartQuery(projectId: string, query: ChartQuery, prices?: PriceParams): RenderedSql {
  const metric = metricOf(query.metric)
  const bucket = query.bucketSeconds ? bind(query.bucketSeconds, 'UInt32', 'bucket') : undefined
  const rows = cells(projectId, query, bucket)
  // The top groups by the metric (ties by name); everything else is pooled so the rest is still one number.
  const ranked = query.groupBy
    ? sql`SELECT *, dense_rank() OVER (ORDER BY group_total DESC, g ASC) > ${bind(query.limit, 'UInt32', 'limit')} AS is_other
      FROM (SELECT *, ${UNSAFE_RAW_SQL(metric.combine(' OVER (PARTITION BY g)'))} AS group_total FROM (${rows}))`
    : sql`SELECT *, false AS is_other FROM (${rows})`
  const groupingSets = bucket ? sql`GROUPING SETS ((is_other, grp), (is_other, grp, t))` : sql`is_other, grp, t`
  const isTotal = bucket ? sql`grouping(t)` : sql`1`
  const query_ = sql`SELECT toUInt8(is_other) AS is_other, grp, t, toUInt8(${isTotal}) AS is_total, uniqExact(g) AS groups, ${UNSAFE_RAW_SQL(metric.combine(''))} AS value
    FROM (SELECT *, if(is_other, '', g) AS grp FROM (${ranked}))
    GROUP BY ${groupingSets}
    ORDER BY is_other, grp, is_total DESC, t`
  const rendered = renderSql(query_)
  if (query.metric === 'cost_usd') {
    const table = prices ?? { price_models: [], price_input: [], price_cache_read: [], price_cache_write: [], price_output: [] }
    Object.assign(rendered.params, table)
  }
  return rendered
}

/** Seconds any one chart query may run; a range at its limits over a busy project stays far below. */
export const CHART_QUERY_SECONDS = 30

export function runChartQuery(projectId: string, query: ChartQuery, prices?: PriceParams): Promise<ChartRow[]> {
  const { query: text, params } = compileChartQuery(projectId, query, prices)
  return queryClickhouse<ChartRow>({ tag: `query.${query.metric}`, projectId, query: text, params, settings: { max_execution_time: CHART_QUERY_SECONDS } })
}

export * from './chart-fields'
