// Rebuilds a data directory from a backup (npm run restore): the PGlite dump becomes the
// embedded Postgres, the engine's RESTORE brings back every ClickHouse table with its data and
// migration record. A server started on the directory then finds every project, key, user,
// view, share link, price and span of the backup. Never restores over a directory a process
// holds, nor over one with data in it.
import fs from 'node:fs'
import path from 'node:path'
import { parseEnv } from '@/lib/config/env'
import { closeClickhouse, openClickhouse } from '@/db/clickhouse/client'
import { restoreDatabase, tableRowCounts } from '@/db/clickhouse/queries/backup'
import { loadEmbeddedPostgres } from '@/db/postgres/client'
import { lockDataDir, ownerIsAlive, parseOwner } from '@/lib/runtime/data-lock'
import { BackupError, CLICKHOUSE_DIR, POSTGRES_FILE, readManifest, type BackupManifest } from './manifest'

export interface RestoreSummary {
  dataDir: string
  manifest: BackupManifest
  /** Rows per table after the restore. */
  postgresRows: Record<string, number>
  clickhouseRows: Record<string, number>
}

/** Refuses a target a process holds, or one that has anything in it. */
function checkRestoreTarget(dataDir: string): void {
  if (!fs.existsSync(dataDir)) return
  if (!fs.statSync(dataDir).isDirectory()) throw new BackupError(`${dataDir} exists and is not a directory`, 409)
  const lock = path.join(dataDir, 'flightline.lock')
  const owner = fs.existsSync(lock) ? parseOwner(fs.readFileSync(lock, 'utf8')) : undefined
  if (owner && ownerIsAlive(owner)) {
    throw new BackupError(`the data directory ${dataDir} is in use by a running Flightline process (pid ${owner.pid}); restore into a new directory, or stop that process first`, 409)
  }
  const entries = fs.readdirSync(dataDir).filter((entry) => entry !== 'flightline.lock')
  if (entries.length > 0) throw new BackupError(`the data directory ${dataDir} is not empty (${entries.slice(0, 3).join(', ')}); restore into a new directory`, 409)
}

export async function restoreBackup(from: string, dataDir: string): Promise<RestoreSummary> {
  const source = path.resolve(from)
  const target = path.resolve(dataDir)
  const manifest = readManifest(source)
  const tarball = path.join(source, POSTGRES_FILE)
  if (!fs.existsSync(tarball) || !fs.existsSync(path.join(source, CLICKHOUSE_DIR))) {
    throw new BackupError(`${source} lacks ${POSTGRES_FILE} or ${CLICKHOUSE_DIR}/: it is not a whole backup`)
  }
  if (/['\\\n\r\0]/.test(source)) throw new BackupError('the backup path may not contain quotes, backslashes or line breaks')
  checkRestoreTarget(target)
  // Held for the whole restore: a server started on the directory meanwhile is refused.
  const release = lockDataDir(target)
  try {
    const postgresRows = await loadEmbeddedPostgres(path.join(target, 'postgres'), new Blob([fs.readFileSync(tarball)]))
    const config = parseEnv({ ...process.env, FLIGHTLINE_DATA_DIR: target, CLICKHOUSE_URL: '', DATABASE_URL: '' })
    await openClickhouse(config)
    try {
      await restoreDatabase(path.join(source, CLICKHOUSE_DIR), manifest.clickhouse.database)
      return { dataDir: target, manifest, postgresRows, clickhouseRows: await tableRowCounts() }
    } finally {
      await closeClickhouse()
    }
  } finally {
    release()
  }
}
