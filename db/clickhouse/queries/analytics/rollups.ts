// Reading the model-call rollups of migrations/clickhouse/0030_analytics_rollups.sql. A rollup
// holds whole blocks (15 minutes or a day); a range rarely starts and ends on block boundaries,
// so `rollupSource` reads the whole blocks inside the range from the rollup and the partial
// blocks at its edges from spans, aggregated the same way, as one derived table with the
// rollup's columns. Queries over it combine columns with sum/min/...Merge as the rollup does.
//
// The raw expressions below are the materialized views' SELECT expressions; rollups.test.ts
// checks that they agree with the migration.
import type { ClickHouseSettings } from '@clickhouse/client'
import { dateToClickhouse } from '@/lib/time/nanos'
import { blocksAfterWatermark } from '../rollup-progress'
import { MODEL, WEIGHT, WEIGHTED_ERRORS, WEIGHTED_REQUESTS, weightedTokens } from './model-calls'

export interface RollupColumn {
  name: string
  /** How the view computes the column from spans (an aggregate, or a key expression). */
  raw: string
}

export interface Rollup {
  table: string
  /** Block length: 900 seconds or one day. */
  blockSeconds: 900 | 86_400
  keys: RollupColumn[]
  measures: RollupColumn[]
}

/** Costs weighted by the sampling weight (model-calls.ts COST_SUMS). */
const COST_MEASURES: RollupColumn[] = [
  { name: 'reported_cost_usd', raw: `sum(ifNull(cost_usd, 0) * ${WEIGHT})` },
  { name: 'unpriced_input_tokens', raw: `sumIf(${weightedTokens('input_tokens')}, cost_usd IS NULL)` },
  { name: 'unpriced_output_tokens', raw: `sumIf(${weightedTokens('output_tokens')}, cost_usd IS NULL)` },
  { name: 'unpriced_cache_read_tokens', raw: `sumIf(${weightedTokens('cache_read_tokens')}, cost_usd IS NULL)` },
  { name: 'unpriced_cache_write_tokens', raw: `sumIf(${weightedTokens('cache_write_tokens')}, cost_usd IS NULL)` },
]

/** COST_SUMS (see model-calls.ts) over a rollup source: the sums of its cost columns. */
export const MERGED_COST_SUMS = COST_MEASURES.map((c) => `sum(${c.name}) AS ${c.name}`).join(', ')

/** Overload (rate limit) errors: 429 / 529 by error type or in the status message. */
export const IS_OVERLOAD = `status = 'error' AND (error_type IN ('429', '529') OR match(error_type, '(?i)rate.?limit|overload|too.?many.?requests') OR match(status_message, '(?i)\\\\b(429|529)\\\\b|rate.?limit|overloaded|too many requests'))`

export const MODEL_CALL_BLOCKS: Rollup = {
  table: 'model_call_blocks',
  blockSeconds: 900,
  keys: [
    { name: 'block', raw: 'toStartOfFifteenMinutes(start_time)' },
    { name: 'tenant_id', raw: 'tenant_id' },
    { name: 'model', raw: MODEL },
  ],
  measures: [
    { name: 'requests', raw: WEIGHTED_REQUESTS },
    { name: 'input_sum', raw: 'sum(input_tokens)' },
    { name: 'cache_read_sum', raw: 'sum(cache_read_tokens)' },
    ...COST_MEASURES,
  ],
}

export const MODEL_CALL_OUTCOMES: Rollup = {
  table: 'model_call_outcomes',
  blockSeconds: 900,
  keys: [
    { name: 'block', raw: 'toStartOfFifteenMinutes(start_time)' },
    { name: 'route_segment', raw: 'route_segment' },
    { name: 'model', raw: MODEL },
    {
      name: 'prompt',
      raw: `if(prompt_name != '' OR prompt_version != '', concat(prompt_name, if(prompt_version != '', concat(' v', prompt_version), '')), '')`,
    },
    { name: 'is_eval', raw: `eval_run_id != ''` },
  ],
  measures: [
    { name: 'requests', raw: WEIGHTED_REQUESTS },
    { name: 'errors', raw: WEIGHTED_ERRORS },
    { name: 'refusals', raw: 'countIf(refusal)' },
    { name: 'format_checked', raw: 'countIf(schema_valid IS NOT NULL)' },
    { name: 'format_failures', raw: 'countIf(schema_valid = false)' },
    { name: 'overloads', raw: `countIf(${IS_OVERLOAD})` },
    { name: 'fallbacks', raw: 'countIf(fallback)' },
    { name: 'ttft_count', raw: 'countIf(ttft_ms IS NOT NULL)' },
    { name: 'duration', raw: 'quantilesTDigestState(0.5, 0.95)(duration_ms)' },
    { name: 'ttft', raw: 'quantilesTDigestStateIf(0.5, 0.95)(assumeNotNull(ttft_ms), ttft_ms IS NOT NULL)' },
    ...COST_MEASURES,
  ],
}

export const MODEL_CALL_USER_DAYS: Rollup = {
  table: 'model_call_user_days',
  blockSeconds: 86_400,
  keys: [
    { name: 'day', raw: 'toDate(start_time)' },
    { name: 'user_id', raw: 'user_id' },
    { name: 'tenant_id', raw: 'tenant_id' },
    { name: 'route_segment', raw: 'route_segment' },
    { name: 'model', raw: MODEL },
    { name: 'is_eval', raw: `eval_run_id != ''` },
  ],
  measures: [
    { name: 'requests', raw: 'count()' },
    { name: 'first_served', raw: 'min(start_time)' },
  ],
}

export const ROLLUPS = [MODEL_CALL_BLOCKS, MODEL_CALL_OUTCOMES, MODEL_CALL_USER_DAYS]

/**
 * Source queries read with: column names win over same-named aliases, so `sum(requests) AS
 * requests` sums the column instead of referring to itself.
 */
export const ROLLUP_SETTINGS: ClickHouseSettings = { prefer_column_name_to_alias: 1 }

export interface RollupRange {
  from: Date
  to: Date
}

/** Whole blocks inside [from, to); empty (from, from) when the range holds no whole block. */
export function wholeBlocks(rollup: Rollup, { from, to }: RollupRange): { blockFrom: Date; blockTo: Date } {
  const ms = rollup.blockSeconds * 1000
  const blockFrom = Math.ceil(from.getTime() / ms) * ms
  const blockTo = Math.floor(to.getTime() / ms) * ms
  if (blockFrom >= blockTo) return { blockFrom: from, blockTo: from }
  return { blockFrom: new Date(blockFrom), blockTo: new Date(blockTo) }
}

/**
 * A derived table with the rollup's keys and measures for model calls in [from, to), optionally
 * narrowed by `rawFilter` (SQL over span columns) and `rollupFilter` (the same over rollup keys).
 * Whole blocks come from the rollup, except blocks that received spans after the rollup
 * refresher's watermark ({stale_blocks}): those, and the partial blocks at the edges, come from
 * spans. Binds what `rollupParams` returns; spread it into the query params.
 */
export function rollupSource(rollup: Rollup, filters: { raw?: string; rollup?: string } = {}): string {
  const columns = [...rollup.keys, ...rollup.measures].map((c) => c.name).join(', ')
  const blockType = rollup.blockSeconds === 86_400 ? 'Date' : `DateTime('UTC')`
  const block = rollup.keys[0]
  return `(
    SELECT ${columns}
    FROM ${rollup.table}
    WHERE project_id = {project_id:String} AND ${block.name} >= {block_from:${blockType}} AND ${block.name} < {block_to:${blockType}}
      AND ${block.name} NOT IN {stale_blocks:Array(${blockType})}${filters.rollup ? ` AND (${filters.rollup})` : ''}
    UNION ALL
    SELECT ${[...rollup.keys, ...rollup.measures].map((c) => (c.raw === c.name ? c.name : `${c.raw} AS ${c.name}`)).join(', ')}
    FROM spans
    WHERE project_id = {project_id:String} AND kind = 'llm'
      AND ((start_time >= {from:DateTime64(3, 'UTC')} AND start_time < {block_from_time:DateTime64(3, 'UTC')})
        OR (start_time >= {block_to_time:DateTime64(3, 'UTC')} AND start_time < {to:DateTime64(3, 'UTC')})
        OR (start_time >= {block_from_time:DateTime64(3, 'UTC')} AND start_time < {block_to_time:DateTime64(3, 'UTC')}
          AND ${block.raw} IN {stale_blocks:Array(${blockType})}))${filters.raw ? ` AND (${filters.raw})` : ''}
    GROUP BY ${rollup.keys.map((k) => k.name).join(', ')}
  )`
}

export async function rollupParams(projectId: string, rollup: Rollup, range: RollupRange): Promise<Record<string, string | string[]>> {
  const { blockFrom, blockTo } = wholeBlocks(rollup, range)
  const blockLiteral = (date: Date) => (rollup.blockSeconds === 86_400 ? date.toISOString().slice(0, 10) : date.toISOString().slice(0, 19).replace('T', ' '))
  const times = { block_from_time: dateToClickhouse(blockFrom), block_to_time: dateToClickhouse(blockTo) }
  const staleBlocks = blockFrom < blockTo ? await blocksAfterWatermark(projectId, rollup.keys[0].raw, { from: times.block_from_time, to: times.block_to_time }, `kind = 'llm'`) : []
  return {
    from: dateToClickhouse(range.from),
    to: dateToClickhouse(range.to),
    block_from: blockLiteral(blockFrom),
    block_to: blockLiteral(blockTo),
    ...times,
    stale_blocks: staleBlocks,
  }
}
