// Queries behind logical calls (retries and structured-output loops): the attempts of every trace
// that holds a failed or retry-marked model call, for lib/analytics/retry-chains.ts to chain; and
// per-model sums of all model calls, from which the candidates are subtracted: the model calls of
// all other traces are single-attempt logical calls by definition (nothing failed before them,
// nothing marks them as retries), so they need no chaining. Both read raw spans.
import { dateToClickhouse } from '@/lib/time/nanos'
import { queryClickhouse } from '../../query'
import { MODEL, MODEL_CALLS } from './model-calls'

/** A model call that failed (error status or invalid structured output) or says it is a retry. */
const FAILED_OR_MARKED = `(status = 'error' OR schema_valid = false OR retry_of != '' OR retry_attempt > 0)`

const CANDIDATE_TRACES = `(SELECT trace_id FROM spans WHERE ${MODEL_CALLS} AND ${FAILED_OR_MARKED})`

/**
 * The schema a structured output was validated against: `flightline.output.schema`, else the
 * response format's name in the request parameters (OpenAI `response_format.json_schema.name`,
 * or `response_format.name`).
 */
export const OUTPUT_SCHEMA = `multiIf(attributes['flightline.output.schema'] != '', attributes['flightline.output.schema'],
  JSONExtractString(params, 'response_format', 'json_schema', 'name') != '', JSONExtractString(params, 'response_format', 'json_schema', 'name'),
  JSONExtractString(params, 'response_format', 'name'))`

export interface AttemptRow {
  trace_id: string
  span_id: string
  parent_span_id: string
  name: string
  start_us: number | string
  end_us: number | string
  error: number | boolean
  error_type: string
  schema_valid: boolean | null
  retry_attempt: number
  retry_of: string
  model: string
  session_id: string
  user_id: string
  input_tokens: number | string
  output_tokens: number | string
  cache_read_tokens: number | string
  cache_write_tokens: number | string
  cost_usd: number | null
  schema: string
}

interface Range {
  from: Date
  to: Date
}

const params = ({ from, to }: Range) => ({ from: dateToClickhouse(from), to: dateToClickhouse(to) })

/** Every model call of the traces that hold a failed or retry-marked model call. */
export function candidateAttempts(projectId: string, range: Range): Promise<AttemptRow[]> {
  return queryClickhouse<AttemptRow>({
    tag: 'analytics.logical-calls.attempts',
    projectId,
    query: `SELECT trace_id, span_id, parent_span_id, toString(name) AS name,
        toUnixTimestamp64Micro(start_time) AS start_us, toUnixTimestamp64Micro(end_time) AS end_us,
        status = 'error' AS error, toString(error_type) AS error_type, schema_valid, retry_attempt, retry_of,
        ${MODEL} AS model, session_id, user_id, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_usd,
        if(schema_valid IS NULL, '', ${OUTPUT_SCHEMA}) AS schema
      FROM spans
      WHERE ${MODEL_CALLS} AND trace_id IN ${CANDIDATE_TRACES}`,
    params: params(range),
  })
}

export interface ModelCallSumsRow {
  model: string
  /** '' for calls without a schema validity. */
  schema: string
  structured: number | boolean
  calls: string | number
  tokens: string | number
  reported_cost_usd: number | null
  unpriced_input_tokens: string | number
  unpriced_output_tokens: string | number
  unpriced_cache_read_tokens: string | number
  unpriced_cache_write_tokens: string | number
}

/**
 * Every model call of the range, summed per serving model, structured or not, and schema. The
 * candidate attempts are subtracted from these sums (lib/analytics/logical-calls.ts) rather than
 * excluded here, so the trace set is computed once. The serving model is derived per distinct
 * (requested, resolved) pair, not per row.
 */
export function modelCallSums(projectId: string, range: Range): Promise<ModelCallSumsRow[]> {
  return queryClickhouse<ModelCallSumsRow>({
    tag: 'analytics.logical-calls.sums',
    projectId,
    query: `SELECT ${MODEL} AS model, structured, schema, sum(calls) AS calls, sum(tokens) AS tokens,
        sum(reported) AS reported_cost_usd, sum(input) AS unpriced_input_tokens, sum(output) AS unpriced_output_tokens,
        sum(cache_read) AS unpriced_cache_read_tokens, sum(cache_write) AS unpriced_cache_write_tokens
      FROM (
        SELECT model_requested, model_resolved, schema_valid IS NOT NULL AS structured, if(structured, ${OUTPUT_SCHEMA}, '') AS schema,
          count() AS calls, sum(input_tokens + output_tokens) AS tokens,
          sum(cost_usd) AS reported, sumIf(input_tokens, cost_usd IS NULL) AS input, sumIf(output_tokens, cost_usd IS NULL) AS output,
          sumIf(cache_read_tokens, cost_usd IS NULL) AS cache_read, sumIf(cache_write_tokens, cost_usd IS NULL) AS cache_write
        FROM spans
        WHERE ${MODEL_CALLS}
        GROUP BY model_requested, model_resolved, structured, schema
      )
      GROUP BY model, structured, schema`,
    params: params(range),
  })
}
