// Every table derived from spans, and how to compute its rows from any set of spans. The rollup
// refresher (lib/rollups/refresher.ts) inserts these SELECTs over the spans ingested since its
// watermark; readers run the same SELECTs over the spans it has not reached yet, so a table's
// definition lives here once and nowhere else. To add a rollup: create its table (an
// AggregatingMergeTree whose columns merge exactly, with non_replicated_deduplication_window set)
// in a migration, and add a DerivedTable to DERIVED_TABLES (docs/analytics.md, "Adding a rollup").
import { WATERMARK_SQL } from './rollup-progress'
import { MODEL_CALL_BLOCKS, MODEL_CALL_OUTCOMES, MODEL_CALL_USER_DAYS, type Rollup } from './analytics/rollups'

export interface DerivedTable {
  table: string
  /** The table's columns, in the order `select` returns them. */
  columns: string[]
  /** A SELECT of `columns` from `spans`, a table expression with the columns of spans. */
  select: (spans: string) => string
}

/** Per (trace, hour): see migrations/clickhouse/0020_trace_stats.sql for what each column means. */
export const TRACE_STATS_COLUMNS = [
  'project_id',
  'hour',
  'trace_id',
  'trace_start',
  'trace_end',
  'span_count',
  'error_count',
  'root',
  'tenants',
  'users',
  'sessions',
  'models',
  'model_names',
  'kinds',
  'statuses',
  'model_calls',
]

export function traceStatsSelect(spans: string): string {
  return `SELECT
    project_id,
    toStartOfHour(start_time) AS hour,
    trace_id,
    min(start_time) AS trace_start,
    max(end_time) AS trace_end,
    count() AS span_count,
    countIf(status = 'error') AS error_count,
    min((parent_span_id != '', start_time, toString(name))) AS root,
    groupUniqArrayIf(toString(tenant_id), tenant_id != '') AS tenants,
    groupUniqArrayIf(user_id, user_id != '') AS users,
    groupUniqArrayIf(session_id, session_id != '') AS sessions,
    groupUniqArrayIf(toString(if(model_resolved != '', model_resolved, model_requested)), kind = 'llm' AND (model_resolved != '' OR model_requested != '')) AS models,
    arrayFilter(m -> m != '', groupUniqArrayArray([toString(model_requested), toString(model_resolved)])) AS model_names,
    groupBitOr(bitShiftLeft(toUInt16(1), CAST(kind, 'Int8'))) AS kinds,
    groupBitOr(bitShiftLeft(toUInt8(1), CAST(status, 'Int8'))) AS statuses,
    groupArrayIf((cityHash64(span_id), cityHash64(parent_span_id), input_tokens, output_tokens, cache_read_tokens, ifNull(cost_usd, 0)), kind = 'llm') AS model_calls
  FROM ${spans}
  GROUP BY project_id, hour, trace_id`
}

export const TRACE_STATS: DerivedTable = { table: 'trace_stats', columns: TRACE_STATS_COLUMNS, select: traceStatsSelect }

/** Which traces a set of spans touched, for the cycle indexer (0021_trace_cycles.sql). */
export const TRACE_TOUCHES: DerivedTable = {
  table: 'trace_touches',
  columns: ['touched_at', 'project_id', 'trace_id'],
  select: (spans) => `SELECT max(ingested_at) AS touched_at, project_id, trace_id FROM ${spans} GROUP BY project_id, trace_id`,
}

/** First and last use of each model, prompt version and system-prompt hash per tenant. */
export const MODEL_CALL_FIRST_SEEN: DerivedTable = {
  table: 'model_call_first_seen',
  columns: ['project_id', 'what', 'value', 'tenant_id', 'first_seen', 'last_seen', 'requests'],
  select: (spans) => `SELECT project_id, what, value, tenant_id, min(start_time) AS first_seen, max(start_time) AS last_seen, count() AS requests
  FROM
  (
    SELECT project_id, tenant_id, start_time,
      arrayJoin([
        ('model', if(model_resolved != '', model_resolved, if(status != 'error', model_requested, ''))),
        ('prompt_version', if(prompt_version != '', concat(prompt_name, ' v', prompt_version), '')),
        ('system_prompt_hash', system_prompt_hash)
      ]) AS pair,
      CAST(pair.1, 'Enum8(\\'model\\' = 1, \\'prompt_version\\' = 2, \\'system_prompt_hash\\' = 3)') AS what,
      pair.2 AS value
    FROM ${spans}
    WHERE kind = 'llm'
  )
  WHERE value != ''
  GROUP BY project_id, what, value, tenant_id`,
}

/**
 * model_call_first_seen of the caller's project, current to the last insert: the table plus the
 * spans ingested after the watermark. Rows of a pass under way may be counted in both, which
 * min(first_seen) and max(last_seen) do not mind; `requests` is left out for that reason.
 */
export const FIRST_SEEN_SOURCE = `(
    SELECT what, value, tenant_id, first_seen, last_seen FROM model_call_first_seen WHERE project_id = {project_id:String}
    UNION ALL
    SELECT what, value, tenant_id, first_seen, last_seen FROM (${MODEL_CALL_FIRST_SEEN.select(`(SELECT * FROM spans WHERE project_id = {project_id:String} AND ingested_at > ${WATERMARK_SQL})`)})
  )`

/** A model-call rollup of analytics/rollups.ts as a derived table: its keys and measures per project. */
export function rollupTable(rollup: Rollup): DerivedTable {
  const columns = [...rollup.keys, ...rollup.measures]
  return {
    table: rollup.table,
    columns: ['project_id', ...columns.map((c) => c.name)],
    select: (spans) => `SELECT project_id, ${columns.map((c) => (c.raw === c.name ? c.name : `${c.raw} AS ${c.name}`)).join(', ')}
  FROM ${spans}
  WHERE kind = 'llm'
  GROUP BY project_id, ${rollup.keys.map((k) => k.name).join(', ')}`,
  }
}

export const DERIVED_TABLES: DerivedTable[] = [
  TRACE_STATS,
  TRACE_TOUCHES,
  rollupTable(MODEL_CALL_BLOCKS),
  rollupTable(MODEL_CALL_OUTCOMES),
  rollupTable(MODEL_CALL_USER_DAYS),
  MODEL_CALL_FIRST_SEEN,
]
