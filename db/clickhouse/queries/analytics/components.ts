// Queries of the component view: per component (serving model, tool, retriever, reranker,
// guardrail stage, prompt@version) its calls, errors and p95 over a baseline window, then per
// time bucket over the range with the calls slower than the baseline's p95. Read from raw spans
// (only the kinds that are components, through PREWHERE): no rollup.
import { dateToClickhouse } from '@/lib/time/nanos'
import { queryClickhouse } from '../../query'
import { MODEL } from './model-calls'

/**
 * The components a span belongs to, as (kind, component) pairs: a model call is its serving
 * model and, when it names a prompt, that prompt@version too. Only columns, no attributes or
 * payloads, so the scan stays cheap. Fixed SQL, never user input.
 */
export const SPAN_COMPONENTS = `multiIf(
  kind = 'llm', if(prompt_name != '', [('model', ${MODEL}), ('prompt', concat(toString(prompt_name), if(prompt_version != '', concat('@', toString(prompt_version)), '')))], [('model', ${MODEL})]),
  kind = 'tool', [('tool', if(tool_name != '', toString(tool_name), toString(name)))],
  kind = 'retriever', [('retriever', toString(name))],
  kind = 'reranker', [('reranker', multiIf(model_resolved != '', toString(model_resolved), model_requested != '', toString(model_requested), toString(name)))],
  [('guardrail', toString(name))])`

const COMPONENT_KINDS = `kind IN ('llm', 'tool', 'retriever', 'reranker', 'guardrail')`
const WINDOW = `project_id = {project_id:String} AND start_time >= {from:DateTime64(3, 'UTC')} AND start_time < {to:DateTime64(3, 'UTC')} AND ${COMPONENT_KINDS}`

/** Component spans of the window, one row per (span, component it belongs to). */
function componentCalls(columns: string): string {
  return `(SELECT ${columns}, ${SPAN_COMPONENTS} AS components FROM spans PREWHERE ${WINDOW}) ARRAY JOIN components AS c`
}

export interface ComponentWindow {
  from: Date
  to: Date
}

export interface BaselineRow {
  kind: string
  component: string
  calls: string
  errors: string
  p95_ms: number
}

/** Per component over the baseline window: calls, errors and p95 duration. */
export function componentBaseline(projectId: string, window: ComponentWindow): Promise<BaselineRow[]> {
  return queryClickhouse<BaselineRow>({
    tag: 'analytics.components.baseline',
    projectId,
    query: `SELECT c.1 AS kind, c.2 AS component, count() AS calls, countIf(status = 'error') AS errors, quantileTDigest(0.95)(duration_ms) AS p95_ms
      FROM ${componentCalls('status, duration_ms')}
      GROUP BY kind, component`,
    params: { from: dateToClickhouse(window.from), to: dateToClickhouse(window.to) },
  })
}

export interface ComponentBucketRow {
  kind: string
  component: string
  /** Bucket start (unix seconds); null on the row of the whole range. */
  t: number | null
  calls: string
  errors: string
  slow: string
  p95_ms: number
  /** Whole-range rows: the most common error type of failed calls, and the provider (models). */
  top_error: string
  provider: string
}

/**
 * Per component and bucket: calls, errors, p95, and the calls slower than `thresholds` (the
 * baseline's p95 of each component, given as parallel arrays of keys `kind/component` and ms);
 * plus one row per component for the whole range.
 */
export function componentBuckets(projectId: string, window: ComponentWindow & { bucketSeconds: number }, thresholds: { keys: string[]; ms: number[] }): Promise<ComponentBucketRow[]> {
  return queryClickhouse<ComponentBucketRow>({
    tag: 'analytics.components.buckets',
    projectId,
    query: `SELECT c.1 AS kind, c.2 AS component, intDiv(toUnixTimestamp(start_time), {bucket:UInt32}) * {bucket:UInt32} AS bucket,
        if(grouping(bucket) = 1, NULL, bucket) AS t,
        count() AS calls, countIf(status = 'error') AS errors,
        countIf(duration_ms > transform(concat(c.1, '/', c.2), {keys:Array(String)}, {thresholds:Array(Float64)}, inf)) AS slow,
        quantileTDigest(0.95)(duration_ms) AS p95_ms,
        if(grouping(bucket) = 1, arrayElement(topKIf(1)(toString(error_type), status = 'error'), 1), '') AS top_error,
        if(grouping(bucket) = 1, anyIf(toString(provider), provider != ''), '') AS provider
      FROM ${componentCalls('start_time, status, duration_ms, error_type, provider')}
      GROUP BY GROUPING SETS ((kind, component, bucket), (kind, component))`,
    // transform() wants non-empty arrays: a key no component has stands in for "no baseline".
    params: {
      from: dateToClickhouse(window.from),
      to: dateToClickhouse(window.to),
      bucket: window.bucketSeconds,
      keys: thresholds.keys.length > 0 ? thresholds.keys : ['\u0000'],
      thresholds: thresholds.ms.length > 0 ? thresholds.ms : [1e15],
    },
  })
}
