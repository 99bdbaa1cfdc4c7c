// Applies migrations/clickhouse/*.sql in order at start-up and records each in
// flightline_migrations, so a restart (or a second replica) re-runs nothing.
import fs from 'node:fs'
import path from 'node:path'
import { createHash } from 'node:crypto'
import type { ClickHouseClient } from '@clickhouse/client'
import { renderMigration, type RenderOptions } from './render-migration'

export const MIGRATIONS_DIR = path.join(/* turbopackIgnore: true */ process.cwd(), 'migrations', 'clickhouse')

export interface MigrationFile {
  version: number
  name: string
  source: string
}

export function readMigrationFiles(dir = MIGRATIONS_DIR): MigrationFile[] {
  return fs
    .readdirSync(dir)
    .filter((file) => /^\d{4}_[\w-]+\.sql$/.test(file))
    .sort()
    .map((file) => ({ version: Number.parseInt(file.slice(0, 4), 10), name: file, source: fs.readFileSync(path.join(dir, file), 'utf8') }))
}

/** Tables whose TTL follows FLIGHTLINE_RETENTION_DAYS, and the time column it is based on. */
const RETAINED_TABLES: Record<string, string> = { spans: 'start_time', scores: 'timestamp', trace_stats: 'hour', trace_cycles: 'trace_start', span_parts: 'time' }

export async function migrateClickhouse(client: ClickHouseClient, options: RenderOptions, dir = MIGRATIONS_DIR): Promise<string[]> {
  const onCluster = options.cluster ? ` ON CLUSTER ${options.cluster}` : ''
  const engine = options.cluster
    ? `ReplicatedReplacingMergeTree('/clickhouse/tables/{database}/flightline_migrations', '{replica}')`
    : 'ReplacingMergeTree'
  await client.command({
    query: `CREATE TABLE IF NOT EXISTS flightline_migrations${onCluster} (version UInt32, name String, checksum String, applied_at DateTime DEFAULT now()) ENGINE = ${engine} ORDER BY version`,
  })
  const applied = new Set(
    (await (await client.query({ query: 'SELECT version FROM flightline_migrations FINAL', format: 'JSONEachRow' })).json<{ version: number }>()).map(
      (row) => Number(row.version),
    ),
  )
  const ran: string[] = []
  for (const file of readMigrationFiles(dir)) {
    if (applied.has(file.version)) continue
    for (const statement of renderMigration(file.source, options)) {
      await client.command({ query: statement })
    }
    await client.insert({
      table: 'flightline_migrations',
      values: [{ version: file.version, name: file.name, checksum: createHash('sha256').update(file.source).digest('hex') }],
      format: 'JSONEachRow',
    })
    ran.push(file.name)
  }
  await applyRetention(client, options)
  return ran
}

/** Rewrites the TTL when FLIGHTLINE_RETENTION_DAYS changed since the tables were created. */
async function applyRetention(client: ClickHouseClient, { cluster, retentionDays }: RenderOptions): Promise<void> {
  const rows = await (
    await client.query({
      query: `SELECT name, engine_full FROM system.tables WHERE database = currentDatabase() AND name IN {names:Array(String)}`,
      query_params: { names: Object.keys(RETAINED_TABLES).map((t) => (cluster ? `${t}_local` : t)) },
      format: 'JSONEachRow',
    })
  ).json<{ name: string; engine_full: string }>()
  for (const row of rows) {
    const current = /toIntervalDay\((\d+)\)/.exec(row.engine_full)?.[1] ?? /INTERVAL (\d+) DAY/.exec(row.engine_full)?.[1]
    if (current === String(retentionDays)) continue
    const column = RETAINED_TABLES[row.name.replace(/_local$/, '')]
    await client.command({
      query: `ALTER TABLE ${row.name}${cluster ? ` ON CLUSTER ${cluster}` : ''} MODIFY TTL toDateTime(${column}) + INTERVAL ${retentionDays} DAY`,
    })
  }
}
