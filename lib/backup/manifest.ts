// What a backup directory holds, and the manifest that describes it. A backup is complete
// exactly when its manifest.json exists: it is written last.
import fs from 'node:fs'
import path from 'node:path'

export const MANIFEST_FILE = 'manifest.json'
export const CLICKHOUSE_DIR = 'clickhouse'
export const POSTGRES_FILE = 'postgres.tar.gz'
export const BACKUP_FORMAT = 1

export interface BackupManifest {
  format: typeof BACKUP_FORMAT
  /** The Flightline version (package.json) that took the backup. */
  flightline_version: string
  /** When the backup began: everything acknowledged before this moment is in it. */
  started_at: string
  finished_at: string
  clickhouse: {
    engine_version: string
    database: string
    /** Migrations applied (migrations/clickhouse file names). */
    migrations: string[]
    /** Rows per table counted as the backup began; the backup holds at least these. */
    rows: Record<string, number>
  }
  postgres: {
    /** drizzle migrations applied. */
    migrations: number
    /** Rows per table, counted just before the dump. */
    rows: Record<string, number>
  }
}

export class BackupError extends Error {
  constructor(
    message: string,
    /** The HTTP status the admin API answers with. */
    public readonly status: 400 | 409 = 400,
  ) {
    super(message)
    this.name = 'BackupError'
  }
}

export function readManifest(dir: string): BackupManifest {
  const file = path.join(dir, MANIFEST_FILE)
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch {
    throw new BackupError(`${dir} is not a complete Flightline backup: it has no ${MANIFEST_FILE} (a backup writes it last)`)
  }
  const manifest = JSON.parse(text) as BackupManifest
  if (manifest.format !== BACKUP_FORMAT) throw new BackupError(`${file} has format ${String(manifest.format)}; this Flightline reads format ${BACKUP_FORMAT}`)
  return manifest
}

export function flightlineVersion(): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(/* turbopackIgnore: true */ process.cwd(), 'package.json'), 'utf8')) as { version: string }).version
  } catch {
    return 'unknown'
  }
}
