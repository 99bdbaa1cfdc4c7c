// Queries of the cache-thrash view: token sums per time bucket, tenant and model, and the
// system-prompt hashes each tenant started to use per bucket.
import { dateToClickhouse } from '@/lib/time/nanos'
import { queryClickhouse } from '../../query'
import { COST_SUMS, MODEL, MODEL_CALLS, type CostSums } from './model-calls'

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
  input_tokens: string
  cache_read_tokens: string
}

const BUCKET = `intDiv(toUnixTimestamp(start_time), {bucket:UInt32}) * {bucket:UInt32}`

function params({ from, to, bucketSeconds }: CacheQueryRange) {
  return { from: dateToClickhouse(from), to: dateToClickhouse(to), bucket: bucketSeconds }
}

export function cacheUsage(projectId: string, range: CacheQueryRange): Promise<CacheUsageRow[]> {
  return queryClickhouse<CacheUsageRow>({
    tag: 'analytics.cache.usage',
    projectId,
    query: `SELECT ${BUCKET} AS t, tenant_id, ${MODEL} AS model,
        count() AS requests, sum(input_tokens) AS input_tokens, sum(cache_read_tokens) AS cache_read_tokens,
        ${COST_SUMS}
      FROM spans
      WHERE ${MODEL_CALLS}
      GROUP BY t, tenant_id, model
      ORDER BY t`,
    params: params(range),
  })
}

export interface PromptShiftRow {
  t: number
  tenant_id: string
  new_hashes: string
}

/** Per bucket and tenant: how many system-prompt hashes the tenant used for the first time in the range. */
export function promptShifts(projectId: string, range: CacheQueryRange): Promise<PromptShiftRow[]> {
  return queryClickhouse<PromptShiftRow>({
    tag: 'analytics.cache.prompt-shifts',
    projectId,
    query: `SELECT intDiv(toUnixTimestamp(first_seen), {bucket:UInt32}) * {bucket:UInt32} AS t, tenant_id, count() AS new_hashes
      FROM (
        SELECT tenant_id, system_prompt_hash, min(start_time) AS first_seen
        FROM spans
        WHERE ${MODEL_CALLS} AND system_prompt_hash != ''
        GROUP BY tenant_id, system_prompt_hash
      )
      GROUP BY t, tenant_id`,
    params: params(range),
  })
}
