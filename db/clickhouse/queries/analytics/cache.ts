// Queries of the cache-thrash view: token sums per time bucket, tenant and model, and the
// system-prompt hashes each tenant used for the first time, per bucket.
import { dateToClickhouse } from '@/lib/time/nanos'
import { queryClickhouse } from '../../query'
import { COST_SUMS, MODEL, MODEL_CALLS, WEIGHTED_REQUESTS, type CostSums } from './model-calls'
import { FIRST_SEEN_SOURCE } from '../derived-tables'
import { MODEL_CALL_BLOCKS, MERGED_COST_SUMS, ROLLUP_SETTINGS, rollupParams, rollupSource } from './rollups'

export interface CacheQueryRange {
  from: Date
  to: Date
  bucketSeconds: number
}

export interface CacheUsageRow extends CostSums {
  /** Bucket start, unix seconds. */
  t: number
  tenant_id: string
  model: string
  requests: string
  input_sum: string
  cache_read_sum: string
}

export async function cacheUsage(projectId: string, range: CacheQueryRange): Promise<CacheUsageRow[]> {
  const bucketParams = { bucket: range.bucketSeconds }
  if (range.bucketSeconds % MODEL_CALL_BLOCKS.blockSeconds === 0) {
    return queryClickhouse<CacheUsageRow>({
      tag: 'analytics.cache.usage',
      projectId,
      query: `SELECT intDiv(toUnixTimestamp(block), {bucket:UInt32}) * {bucket:UInt32} AS t, tenant_id, model,
          sum(requests) AS requests, sum(input_sum) AS input_sum, sum(cache_read_sum) AS cache_read_sum,
          ${MERGED_COST_SUMS}
        FROM ${rollupSource(MODEL_CALL_BLOCKS)}
        GROUP BY t, tenant_id, model`,
      params: { ...(await rollupParams(projectId, MODEL_CALL_BLOCKS, range)), ...bucketParams },
      settings: ROLLUP_SETTINGS,
    })
  }
  // Buckets finer than the rollup's blocks (or not a multiple of them) are read from spans.
  return queryClickhouse<CacheUsageRow>({
    tag: 'analytics.cache.usage-raw',
    projectId,
    query: `SELECT intDiv(toUnixTimestamp(start_time), {bucket:UInt32}) * {bucket:UInt32} AS t, tenant_id, ${MODEL} AS model,
        ${WEIGHTED_REQUESTS} AS requests, sum(input_tokens) AS input_sum, sum(cache_read_tokens) AS cache_read_sum, ${COST_SUMS}
      FROM spans
      WHERE ${MODEL_CALLS}
      GROUP BY t, tenant_id, model`,
    params: { from: dateToClickhouse(range.from), to: dateToClickhouse(range.to), ...bucketParams },
  })
}

export interface PromptShiftRow {
  t: number
  tenant_id: string
  new_hashes: string
}

/** Per bucket and tenant: system-prompt hashes the tenant used for the first time (within retention) in that bucket. */
export function promptShifts(projectId: string, range: CacheQueryRange): Promise<PromptShiftRow[]> {
  return queryClickhouse<PromptShiftRow>({
    tag: 'analytics.cache.prompt-shifts',
    projectId,
    query: `SELECT intDiv(toUnixTimestamp(first_use), {bucket:UInt32}) * {bucket:UInt32} AS t, tenant_id, count() AS new_hashes
      FROM (
        SELECT tenant_id, value, min(first_seen) AS first_use
        FROM ${FIRST_SEEN_SOURCE}
        WHERE what = 'system_prompt_hash'
        GROUP BY tenant_id, value
        HAVING first_use >= {from:DateTime64(3, 'UTC')} AND first_use < {to:DateTime64(3, 'UTC')}
      )
      GROUP BY t, tenant_id`,
    params: { from: dateToClickhouse(range.from), to: dateToClickhouse(range.to), bucket: range.bucketSeconds },
  })
}

export interface CallMomentsRow {
  t: number
  calls: string
  input_sum: string
  cache_read_sum: string
  input_sq: number
  cache_read_sq: number
  input_cache_read: number
}

export interface CallMomentsRange extends CacheQueryRange {
  /** Starts (unix seconds) of the buckets wanted; the others are not read. */
  buckets: number[]
}

/**
 * Per bucket, over the model calls with input tokens: their count, token sums and the sums of
 * squares and products the hit rate's call-to-call variance is computed from. Read from spans,
 * only for the buckets asked (those a candidate incident is judged on).
 */
export function cacheCallMoments(projectId: string, range: CallMomentsRange): Promise<CallMomentsRow[]> {
  return queryClickhouse<CallMomentsRow>({
    tag: 'analytics.cache.call-moments',
    projectId,
    query: `SELECT intDiv(toUnixTimestamp(start_time), {bucket:UInt32}) * {bucket:UInt32} AS t,
        count() AS calls, sum(input_tokens) AS input_sum, sum(cache_read_tokens) AS cache_read_sum,
        sum(toFloat64(input_tokens) * input_tokens) AS input_sq,
        sum(toFloat64(cache_read_tokens) * cache_read_tokens) AS cache_read_sq,
        sum(toFloat64(input_tokens) * cache_read_tokens) AS input_cache_read
      FROM spans
      WHERE ${MODEL_CALLS} AND input_tokens > 0 AND t IN {buckets:Array(UInt32)}
      GROUP BY t`,
    params: { from: dateToClickhouse(range.from), to: dateToClickhouse(range.to), bucket: range.bucketSeconds, buckets: range.buckets },
  })
}
