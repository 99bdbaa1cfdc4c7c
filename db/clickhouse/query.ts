// The one choke point for ClickHouse reads and writes. Every read names the project it is for
// (bound as {project_id:String}); every value is bound as a typed query parameter; every query
// carries a tag in its query id so `system.query_log` shows who issued it.
import { randomUUID } from 'node:crypto'
import type { ClickHouseSettings } from '@clickhouse/client'
import { clickhouse } from './client'
import { timedInsert, timedQuery } from './observe'

export type QueryParams = Record<string, unknown>

export interface ProjectQuery {
  /** Short name of the caller, e.g. 'traces.list'; used in the query id. */
  tag: string
  projectId: string
  /** SQL that must reference {project_id:String}; all other inputs as {name:Type}. */
  query: string
  params?: QueryParams
  settings?: ClickHouseSettings
}

export class UnscopedQueryError extends Error {}

/**
 * Every setting a query may override, with the value all other queries run with. The embedded
 * engine applies per-query settings as session `SET`s that outlive the query, so each query
 * states all of these explicitly; a query overriding a setting not listed here is refused.
 */
const QUERY_SCOPED_SETTINGS: ClickHouseSettings = {
  prefer_column_name_to_alias: 0,
  // Chart queries (queries/analytics/chart-query.ts) are bounded in time; everything else is not.
  max_execution_time: 0,
  // The rollup refresher's inserts (db/clickhouse/queries/rollup-progress.ts): a token naming
  // the pass, one block per insert, and a distributed insert that returns once on the shards.
  insert_deduplicate: 1,
  insert_deduplication_token: '',
  min_insert_block_size_rows: '1048449',
  min_insert_block_size_bytes: '268402944',
  max_insert_threads: '0',
  distributed_foreground_insert: 0,
}

function scopedSettings(tag: string, settings: ClickHouseSettings | undefined): ClickHouseSettings {
  for (const name of Object.keys(settings ?? {})) {
    if (!(name in QUERY_SCOPED_SETTINGS)) throw new UnscopedQueryError(`query ${tag} overrides ${name}; list its default in QUERY_SCOPED_SETTINGS`)
  }
  return { ...QUERY_SCOPED_SETTINGS, ...settings }
}

export async function queryClickhouse<T>({ tag, projectId, query, params = {}, settings }: ProjectQuery): Promise<T[]> {
  if (!projectId) throw new UnscopedQueryError(`query ${tag} has no project id`)
  if (!query.includes('{project_id:String}')) {
    throw new UnscopedQueryError(`query ${tag} does not filter by {project_id:String}`)
  }
  return timedQuery(tag, async () => {
    const result = await clickhouse().query({
      query,
      format: 'JSONEachRow',
      query_params: { ...params, project_id: projectId },
      query_id: `${tag}:${randomUUID()}`,
      clickhouse_settings: scopedSettings(tag, settings),
    })
    return result.json<T>()
  })
}

/** Inserts rows that were already validated and scoped by the ingest path. */
export async function insertRows(table: string, rows: readonly object[], settings?: ClickHouseSettings): Promise<void> {
  if (rows.length === 0) return
  await timedInsert(table, () =>
    clickhouse().insert({
      table,
      values: rows as object[],
      format: 'JSONEachRow',
      clickhouse_settings: scopedSettings(`insert.${table}`, settings),
    }),
  )
}

/** For instance-level statements that are not about one project (migrations, health). */
export async function querySystem<T>(tag: string, query: string, params: QueryParams = {}): Promise<T[]> {
  return timedQuery(tag, async () => {
    const result = await clickhouse().query({
      query,
      format: 'JSONEachRow',
      query_params: params,
      query_id: `${tag}:${randomUUID()}`,
      clickhouse_settings: QUERY_SCOPED_SETTINGS,
    })
    return result.json<T>()
  })
}

/** An instance-level statement that returns no rows (the rollup refresher's INSERT ... SELECTs). */
export async function commandSystem(tag: string, query: string, params: QueryParams = {}, settings?: ClickHouseSettings): Promise<void> {
  await timedQuery(tag, () =>
    clickhouse().command({
      query,
      query_params: params,
      query_id: `${tag}:${randomUUID()}`,
      clickhouse_settings: scopedSettings(tag, settings),
    }),
  )
}

/**
 * A statement about one project that returns no rows (deletions, sampling moves): like
 * queryClickhouse it must filter by {project_id:String}, and binds every other value.
 */
export async function commandProject({ tag, projectId, query, params = {}, settings }: ProjectQuery): Promise<void> {
  if (!projectId) throw new UnscopedQueryError(`query ${tag} has no project id`)
  if (!query.includes('{project_id:String}')) throw new UnscopedQueryError(`query ${tag} does not filter by {project_id:String}`)
  await clickhouse().command({
    query,
    query_params: { ...params, project_id: projectId },
    query_id: `${tag}:${randomUUID()}`,
    clickhouse_settings: scopedSettings(tag, settings),
  })
}
