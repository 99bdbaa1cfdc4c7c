// The engine's own BACKUP and RESTORE of the Flightline database to and from a directory of
// files, and what a backup manifest records about the ClickHouse side. Used with the embedded
// engine, which is opened with file backups allowed (db/clickhouse/client.ts).
import { querySystem } from '../query'

/** A path as a ClickHouse string literal; lib/backup refuses paths with quotes or backslashes first. */
function fileLiteral(dir: string): string {
  if (/['\\\n\r\0]/.test(dir)) throw new Error(`a backup path may not contain quotes, backslashes or line breaks: ${JSON.stringify(dir)}`)
  return `'${dir}'`
}

async function databaseName(): Promise<string> {
  const [row] = await querySystem<{ db: string }>('backup.database', 'SELECT currentDatabase() AS db')
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(row.db)) throw new Error(`unexpected database name ${JSON.stringify(row.db)}`)
  return row.db
}

/** Backs up the whole database (tables, their data, the migration record) into `dir`. */
export async function backupDatabase(dir: string): Promise<{ database: string; status: string }> {
  const database = await databaseName()
  const [row] = await querySystem<{ status: string }>('backup.create', `BACKUP DATABASE ${database} TO File(${fileLiteral(dir)})`)
  if (row?.status !== 'BACKUP_CREATED') throw new Error(`ClickHouse BACKUP ended with status ${row?.status ?? '(none)'}`)
  return { database, status: row.status }
}

/** Restores the database backed up in `dir` into this (empty) engine. */
export async function restoreDatabase(dir: string, database: string): Promise<void> {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(database)) throw new Error(`unexpected database name ${JSON.stringify(database)}`)
  const [row] = await querySystem<{ status: string }>('backup.restore', `RESTORE DATABASE ${database} FROM File(${fileLiteral(dir)})`)
  if (row?.status !== 'RESTORED') throw new Error(`ClickHouse RESTORE ended with status ${row?.status ?? '(none)'}`)
}

/** Rows per table of the Flightline database (active parts; a ReplacingMergeTree may still fold repeats). */
export async function tableRowCounts(): Promise<Record<string, number>> {
  const rows = await querySystem<{ table: string; rows: string }>(
    'backup.rows',
    `SELECT table, toString(sum(rows)) AS rows FROM system.parts WHERE active AND database = currentDatabase() GROUP BY table ORDER BY table`,
  )
  return Object.fromEntries(rows.map((row) => [row.table, Number(row.rows)]))
}

export async function engineVersion(): Promise<string> {
  const [row] = await querySystem<{ v: string }>('backup.version', 'SELECT version() AS v')
  return row.v
}

export async function appliedMigrations(): Promise<string[]> {
  const rows = await querySystem<{ name: string }>('backup.migrations', 'SELECT name FROM flightline_migrations FINAL ORDER BY version')
  return rows.map((row) => row.name)
}
