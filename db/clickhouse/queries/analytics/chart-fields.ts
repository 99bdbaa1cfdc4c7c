// What a chart may ask for: the fixed lists of metrics, group-by dimensions, span statuses and
// column filters of the chart query compiler (chart-query.ts). Plain constants, safe to import
// in the browser (the dashboard builder offers exactly these).
export { SPAN_KINDS, type SpanKind } from '../../rows'

export const CHART_METRICS = ['count', 'error_rate', 'p50_ms', 'p95_ms', 'p99_ms', 'cost_usd', 'input_tokens', 'output_tokens', 'cache_hit_rate', 'score_mean'] as const
export type ChartMetric = (typeof CHART_METRICS)[number]

export const CHART_DIMENSIONS = ['model', 'tenant_id', 'tool_name', 'kind', 'status', 'service', 'prompt_version', 'route_segment', 'name'] as const
export type ChartDimension = (typeof CHART_DIMENSIONS)[number]

export const SPAN_STATUSES = ['unset', 'ok', 'error'] as const

/** Filters that compare one column (or the serving model) to a value. */
export const COLUMN_FILTERS = ['model', 'tenant_id', 'user_id', 'service', 'tool_name', 'prompt_name', 'route_segment'] as const
export type ColumnFilter = (typeof COLUMN_FILTERS)[number]

/** Limits of any one chart query: buckets per series, groups per answer, attribute filters. */
export const MAX_CHART_BUCKETS = 1000
export const MAX_CHART_GROUPS = 50
export const DEFAULT_CHART_GROUPS = 10
export const MAX_ATTRIBUTE_FILTERS = 10
