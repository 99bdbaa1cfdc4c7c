// Backs up both embedded stores while the server runs and ingests (npm run backup, POST
// /api/v1/admin/backup): ClickHouse with the engine's own BACKUP, Postgres as a PGlite dump,
// and a manifest written last. Both are taken after the moment recorded as `started_at`, so
// every row acknowledged before it is in the backup (an acknowledged span is in a ClickHouse
// part; an acknowledged account change is in PGlite). Rows written while the backup runs may
// or may not be in it. With ClickHouse or Postgres servers, each is backed up with its own
// tools (docs/operations.md).
import fs from 'node:fs'
import path from 'node:path'
import { sql } from 'drizzle-orm'
import type { Env } from '@/lib/config/env'
import { clickhouseMode } from '@/db/clickhouse/client'
import { appliedMigrations, backupDatabase, engineVersion, tableRowCounts } from '@/db/clickhouse/queries/backup'
import { dumpEmbeddedPostgres, postgres } from '@/db/postgres/client'
import { logger } from '@/lib/observability/logger'
import { withBackgroundWritersStill } from '@/lib/runtime/hold-writers'
import { BACKUP_FORMAT, BackupError, CLICKHOUSE_DIR, MANIFEST_FILE, POSTGRES_FILE, flightlineVersion, type BackupManifest } from './manifest'

const GLOBAL_KEY = Symbol.for('flightline.backup-running')

/** Checks `out` names a place a new backup may be written: absolute, outside the data directory, empty or absent. */
export function checkBackupTarget(out: string, config: Env): string {
  if (!path.isAbsolute(out)) throw new BackupError(`out must be an absolute path on the server (got ${JSON.stringify(out)})`)
  if (/['\\\n\r\0]/.test(out)) throw new BackupError('out may not contain quotes, backslashes or line breaks')
  const target = path.resolve(out)
  const relative = path.relative(config.dataDir, target)
  if (relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))) {
    throw new BackupError(`out must be outside the data directory ${config.dataDir}`)
  }
  if (fs.existsSync(target)) {
    if (!fs.statSync(target).isDirectory()) throw new BackupError(`${target} exists and is not a directory`, 409)
    if (fs.readdirSync(target).length > 0) throw new BackupError(`${target} is not empty; name a new directory for each backup`, 409)
  }
  return target
}

async function postgresRowCounts(): Promise<{ rows: Record<string, number>; migrations: number }> {
  const db = postgres()
  const tables = (await db.execute(sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`)) as unknown as
    | { rows: { name: string }[] }
    | { name: string }[]
  const names = (Array.isArray(tables) ? tables : tables.rows).map((t) => t.name)
  const rows: Record<string, number> = {}
  for (const name of names) {
    const result = (await db.execute(sql`select count(*)::int as n from ${sql.identifier(name)}`)) as unknown as { rows: { n: number }[] } | { n: number }[]
    rows[name] = Number((Array.isArray(result) ? result : result.rows)[0].n)
  }
  const applied = (await db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`)) as unknown as { rows: { n: number }[] } | { n: number }[]
  return { rows, migrations: Number((Array.isArray(applied) ? applied : applied.rows)[0].n) }
}


/** Takes a backup into `out` (see checkBackupTarget); returns its manifest. One at a time per process. */
export async function createBackup(out: string, config: Env): Promise<{ out: string; manifest: BackupManifest }> {
  if (clickhouseMode(config) === 'server' || config.DATABASE_URL) {
    throw new BackupError(
      'this server uses a ClickHouse or Postgres server (CLICKHOUSE_URL / DATABASE_URL): back up each server with its own tools (docs/operations.md, "Backup and restore")',
      409,
    )
  }
  const target = checkBackupTarget(out, config)
  const slot = globalThis as Record<symbol, boolean | undefined>
  if (slot[GLOBAL_KEY]) throw new BackupError('a backup is already running; try again when it has finished', 409)
  slot[GLOBAL_KEY] = true
  const pgFile = path.join(target, POSTGRES_FILE)
  try {
    fs.mkdirSync(target, { recursive: true })
    const startedAt = new Date()
    const started = performance.now()
    logger().info({ out: target }, 'backup started')

    // ClickHouse first, Postgres second: a project exists before any span of it is acknowledged,
    // so every project owning a backed-up span is in the later dump.
    const { chRows, migrations, version, database } = await withBackgroundWritersStill(async () => {
      const [chRows, migrations, version] = await Promise.all([tableRowCounts(), appliedMigrations(), engineVersion()])
      const { database } = await backupDatabase(path.join(target, CLICKHOUSE_DIR))
      return { chRows, migrations, version, database }
    })

    const pg = await postgresRowCounts()
    const dump = await dumpEmbeddedPostgres()
    if (!dump) throw new BackupError('the embedded Postgres is not open', 409)
    fs.writeFileSync(pgFile, Buffer.from(await dump.arrayBuffer()))

    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      flightline_version: flightlineVersion(),
      started_at: startedAt.toISOString(),
      finished_at: new Date().toISOString(),
      clickhouse: { engine_version: version, database, migrations, rows: chRows },
      postgres: pg,
    }
    fs.writeFileSync(path.join(target, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`)
    logger().info({ out: target, duration_ms: Math.round(performance.now() - started), spans: chRows.spans ?? 0 }, 'backup finished')
    return { out: target, manifest }
  } catch (error) {
    // Leaves nothing behind (without manifest.json it is no backup anyway), so the same
    // directory can be named again.
    for (const entry of fs.existsSync(target) ? fs.readdirSync(target) : []) fs.rmSync(path.join(target, entry), { recursive: true, force: true })
    throw error
  } finally {
    slot[GLOBAL_KEY] = false
  }
}
