// SQL shared by the analytics queries: what a "request" is, the time range, the model name and
// the token sums that costs are computed from.
//
// A request is a model call: a span of kind 'llm'. Agent, chain and tool spans that wrap model
// calls are other kinds and are not counted. The definition is per span on purpose: the rollups
// (0030_analytics_rollups.sql) are maintained span by span at insert time, where a parent/child
// check cannot be made; an instrumentation that types a wrapper span as 'llm' as well (and
// repeats its children's usage on it) counts that wrapper as a request too.

/** Time range of a query, bound as {from} and {to} (DateTime64(3) in UTC, from inclusive). */
export const IN_RANGE = `project_id = {project_id:String} AND start_time >= {from:DateTime64(3, 'UTC')} AND start_time < {to:DateTime64(3, 'UTC')}`

export const MODEL_CALLS = `${IN_RANGE} AND kind = 'llm'`

/**
 * The serving model: the resolved model, except that a dated snapshot of the requested model
 * (gpt-4.1-mini-2025-04-14 for gpt-4.1-mini) and a call that failed before any model was resolved
 * both count as the requested model - so a model's failures stay with it - while a different
 * model served in its place (gpt-4o asked, gpt-4o-mini-2024-07-18 served) stays visible.
 */
export const MODEL = `multiIf(model_resolved = '', model_requested, model_requested != '' AND startsWith(model_resolved, model_requested) AND match(substring(model_resolved, length(model_requested) + 1), '^[-@]?(\\\\d{4}-?\\\\d{2}-?\\\\d{2}|\\\\d{6,8}|latest)$'), model_requested, model_resolved)`

/** MODEL in TypeScript, for spans assembled outside the engine (a span merged from its parts). */
export function servingModelOf(span: { model_requested: string; model_resolved: string }): string {
  const { model_requested: requested, model_resolved: resolved } = span
  if (resolved === '') return requested
  if (requested !== '' && resolved.startsWith(requested) && /^[-@]?(\d{4}-?\d{2}-?\d{2}|\d{6,8}|latest)$/.test(resolved.slice(requested.length))) return requested
  return resolved
}

/**
 * A span's weight in counts and costs: 1 / the probability that sampling kept its trace (1 when
 * the project does not sample, or a policy rule kept the trace). docs/analytics.md, "Sampling".
 */
export const WEIGHT = 'sample_weight'

/** The weighted number of requests (model calls) in a group: sum(WEIGHT) over its model calls. */
export const WEIGHTED_REQUESTS = `sum(${WEIGHT})`

/** The weighted number of failed requests in a group. */
export const WEIGHTED_ERRORS = `sumIf(${WEIGHT}, status = 'error')`

/** A token count scaled by the span's weight (whole tokens, as the token columns hold). */
export const weightedTokens = (column: string) => `toUInt64(round(${column} * ${WEIGHT}))`

/**
 * The SQL with every weight 1: what the expressions computed before spans had weights (the
 * materialized views of 0030_analytics_rollups.sql). Rows written before and after sit side by
 * side in the rollups, so they agree wherever no trace was sampled; tests compare against it.
 */
export function unweightedSql(sql: string): string {
  return sql
    .replaceAll(WEIGHTED_REQUESTS, 'count()')
    .replaceAll(WEIGHTED_ERRORS, "countIf(status = 'error')")
    .replaceAll(`ifNull(cost_usd, 0) * ${WEIGHT}`, 'ifNull(cost_usd, 0)')
    .replace(/toUInt64\(round\((\w+) \* sample_weight\)\)/g, '$1')
}

/**
 * Cost inputs of a group of model calls: what the spans reported in cost_usd, and the token sums
 * of the calls that reported no cost (priced from the model price table), each weighted by
 * WEIGHT. Group by model too.
 */
export const COST_SUMS = `sum(cost_usd * ${WEIGHT}) AS reported_cost_usd,
  sumIf(${weightedTokens('input_tokens')}, cost_usd IS NULL) AS unpriced_input_tokens,
  sumIf(${weightedTokens('output_tokens')}, cost_usd IS NULL) AS unpriced_output_tokens,
  sumIf(${weightedTokens('cache_read_tokens')}, cost_usd IS NULL) AS unpriced_cache_read_tokens,
  sumIf(${weightedTokens('cache_write_tokens')}, cost_usd IS NULL) AS unpriced_cache_write_tokens`

export interface CostSums {
  reported_cost_usd: number | null
  unpriced_input_tokens: string | number
  unpriced_output_tokens: string | number
  unpriced_cache_read_tokens: string | number
  unpriced_cache_write_tokens: string | number
}

/**
 * Tokens at the serving model's rates from the bound price table ({price_*} parameters, entry
 * `price_index`): the one pricing formula of the SQL, for one call (CALL_COST) or for the token
 * sums of calls to one model (CALL_COST_SUM). `netInput` is input less cache reads and writes.
 */
function pricedTokens(netInput: string, cacheRead: string, cacheWrite: string, output: string): string {
  return `(${netInput} * {price_input:Array(Float64)}[price_index]
   + ${cacheRead} * {price_cache_read:Array(Float64)}[price_index]
   + ${cacheWrite} * {price_cache_write:Array(Float64)}[price_index]
   + ${output} * {price_output:Array(Float64)}[price_index])`
}

const NET_INPUT = 'greatest(toInt64(input_tokens) - toInt64(cache_read_tokens) - toInt64(cache_write_tokens), 0)'

/**
 * A model call's cost as docs/analytics.md defines it and lib/analytics/costs.ts callCostOf
 * computes it: the reported cost_usd, else its tokens at the serving model's rates from the
 * bound price table ({price_*} parameters), else NULL (no price). Needs price_index and the
 * token columns.
 */
export const CALL_COST = `if(cost_usd IS NOT NULL, toFloat64(cost_usd), if(price_index = 0, NULL,
  ${pricedTokens(NET_INPUT, 'cache_read_tokens', 'cache_write_tokens', 'output_tokens')}))`

/**
 * CALL_COST summed over many calls without pricing each one: aggregate the calls grouped by
 * their raw model columns (model_requested, model_resolved) into these sums, then price each
 * group once with CALL_COST_SUM (needs price_index of the group's serving model). The sum of
 * CALL_COST over the calls, with unpriced calls as 0, since every term is linear per call.
 */
export const CALL_COST_PARTS = `sum(ifNull(toFloat64(cost_usd), 0) * ${WEIGHT}) AS cost_reported,
  sumIf((${NET_INPUT}) * ${WEIGHT}, cost_usd IS NULL) AS cost_net_input,
  sumIf(cache_read_tokens * ${WEIGHT}, cost_usd IS NULL) AS cost_cache_read,
  sumIf(cache_write_tokens * ${WEIGHT}, cost_usd IS NULL) AS cost_cache_write,
  sumIf(output_tokens * ${WEIGHT}, cost_usd IS NULL) AS cost_output`

/** The cost of a group aggregated with CALL_COST_PARTS (see there). */
export const CALL_COST_SUM = `cost_reported + if(price_index = 0, 0,
  ${pricedTokens('cost_net_input', 'cost_cache_read', 'cost_cache_write', 'cost_output')})`

/** The index of a model call's serving model in the bound price table ({price_models}); 0 when unpriced. */
export const PRICE_INDEX = `indexOf({price_models:Array(String)}, ${MODEL})`
