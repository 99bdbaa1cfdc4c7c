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
import { bind, joinSql, renderSql, sql, UNSAFE_RAW_SQL, type RenderedSql, type SqlFragment } from '../../sql'
import { queryClickhouse } from '../../query'
import { COLUMN_FILTERS, SPAN_STATUSES, type ChartDimension, type ChartMetric, type ColumnFilter, type SpanKind } from './chart-fields'
import { CALL_COST, MODEL, PRICE_INDEX } from './model-calls'
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

/** The metric over the rows of `chartRows` (per-row columns: duration_ms, status, tokens, call_cost, score_value). */
const METRIC_SQL: Record<ChartMetric, string> = {
  count: 'toFloat64(count())',
  error_rate: `countIf(is_error) / count()`,
  p50_ms: 'quantileTDigest(0.5)(duration_ms)',
  p95_ms: 'quantileTDigest(0.95)(duration_ms)',
  p99_ms: 'quantileTDigest(0.99)(duration_ms)',
  cost_usd: 'sum(ifNull(call_cost, 0))',
  input_tokens: 'toFloat64(sum(input_tokens))',
  output_tokens: 'toFloat64(sum(output_tokens))',
  cache_hit_rate: 'if(sum(input_tokens) = 0, NULL, sum(cache_read_tokens) / sum(input_tokens))',
  score_mean: 'avg(score_value)',
}

/** Fixed SQL from one of the tables above; a name not in it (input that slipped past validation) is refused. */
function fixed<K extends string>(table: Record<K, string>, name: K): SqlFragment {
  if (!Object.hasOwn(table, name)) throw new TypeError(`chart query: ${String(name).slice(0, 50)} is not in the allow-list`)
  return UNSAFE_RAW_SQL(table[name])
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
 * One row per matching span (or per scored trace for score_mean) with the group `g`, the time
 * `ts` it is bucketed by, and what the metric needs.
 */
function chartRows(projectId: string, query: ChartQuery): SqlFragment {
  const where = spanConditions(projectId, query)
  const group = groupExpression(query.groupBy)
  if (query.metric === 'score_mean') {
    const scoreFilter = sql`project_id = ${bind(projectId, 'String', 'project_id')} AND timestamp >= ${bind(dateToClickhouse(query.from), "DateTime64(3, 'UTC')", 'from')}
      AND timestamp < ${bind(dateToClickhouse(new Date(query.to.getTime() + SCORE_LAG_MS)), "DateTime64(3, 'UTC')", 'scores_to')}
      AND value IS NOT NULL AND name = ${bind(query.scoreName ?? '', 'String', 'score_name')}`
    // A score counts once for each group its trace's matching spans are in ("traces that used
    // gpt-4.1"), bucketed at the trace's last matching span; traces meet their scores by a 64-bit
    // hash of the trace id.
    return sql`SELECT served.g AS g, served.ts AS ts, s.score_value AS score_value
      FROM (SELECT cityHash64(trace_id) AS trace_hash, value AS score_value FROM scores WHERE ${scoreFilter}) AS s
      INNER JOIN (
        SELECT cityHash64(trace_id) AS trace_hash, arrayJoin(groupUniqArray(${group})) AS g, max(start_time) AS ts
        FROM spans
        WHERE ${where} AND cityHash64(trace_id) IN (SELECT cityHash64(trace_id) FROM scores WHERE ${scoreFilter})
        GROUP BY trace_hash
      ) AS served ON s.trace_hash = served.trace_hash`
  }
  const columns: Record<Exclude<ChartMetric, 'score_mean'>, string> = {
    count: '',
    error_rate: `, status = 'error' AS is_error`,
    p50_ms: ', duration_ms',
    p95_ms: ', duration_ms',
    p99_ms: ', duration_ms',
    cost_usd: `, ${PRICE_INDEX} AS price_index, ${CALL_COST} AS call_cost`,
    input_tokens: ', input_tokens',
    output_tokens: ', output_tokens',
    cache_hit_rate: ', input_tokens, cache_read_tokens',
  }
  return sql`SELECT ${group} AS g, start_time AS ts${fixed(columns, query.metric)}
      FROM spans
      WHERE ${where}`
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

/** The SQL of a chart query, with its parameters. `prices` binds the price table for cost_usd. */
export function compileChartQuery(projectId: string, query: ChartQuery, prices?: PriceParams): RenderedSql {
  const metric = fixed(METRIC_SQL, query.metric)
  const rows = chartRows(projectId, query)
  // The top groups by the metric; everything else is pooled so the rest is still one number.
  const isOther = query.groupBy
    ? sql`g NOT IN (SELECT g FROM chart_rows GROUP BY g ORDER BY ${metric} DESC, g ASC LIMIT ${bind(query.limit, 'UInt32', 'limit')})`
    : sql`false`
  const bucket = query.bucketSeconds ? bind(query.bucketSeconds, 'UInt32', 'bucket') : undefined
  const time = bucket ? sql`intDiv(toUnixTimestamp(ts), ${bucket}) * ${bucket}` : sql`0`
  const groupingSets = bucket ? sql`GROUPING SETS ((is_other, grp), (is_other, grp, t))` : sql`is_other, grp, t`
  const isTotal = bucket ? sql`grouping(t)` : sql`1`
  const query_ = sql`WITH chart_rows AS (${rows})
    SELECT toUInt8(is_other) AS is_other, grp, t, toUInt8(${isTotal}) AS is_total, uniqExact(g) AS groups, ${metric} AS value
    FROM (SELECT *, ${isOther} AS is_other, if(is_other, '', g) AS grp, ${time} AS t FROM chart_rows)
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
