// Owns the one drizzle database of the process: PGlite under the data directory by default,
// or a real Postgres when DATABASE_URL is set. Same schema, same migrations, same queries.
import path from 'node:path'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import type { Env } from '@/lib/config/env'
import * as schema from './schema'

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>

export const POSTGRES_MIGRATIONS_DIR = path.join(/* turbopackIgnore: true */ process.cwd(), 'migrations', 'postgres')

const GLOBAL_KEY = Symbol.for('flightline.postgres')
type Holder = { db?: Database; close?: () => Promise<void>; dump?: () => Promise<Blob> }
const holder: Holder = ((globalThis as Record<symbol, Holder>)[GLOBAL_KEY] ??= {})

export async function openPostgres(config: Env): Promise<Database> {
  if (holder.db) return holder.db
  if (config.DATABASE_URL) {
    const { default: pg } = await import('pg')
    const { drizzle } = await import('drizzle-orm/node-postgres')
    const { migrate } = await import('drizzle-orm/node-postgres/migrator')
    const pool = new pg.Pool({ connectionString: config.DATABASE_URL, max: 10 })
    const db = drizzle(pool, { schema })
    await migrate(db, { migrationsFolder: POSTGRES_MIGRATIONS_DIR })
    holder.db = db as unknown as Database
    holder.close = () => pool.end()
  } else {
    const { PGlite } = await import('@electric-sql/pglite')
    const { drizzle } = await import('drizzle-orm/pglite')
    const { migrate } = await import('drizzle-orm/pglite/migrator')
    const client = await PGlite.create(path.join(config.dataDir, 'postgres'))
    const db = drizzle(client, { schema })
    await migrate(db, { migrationsFolder: POSTGRES_MIGRATIONS_DIR })
    holder.db = db as unknown as Database
    holder.close = () => client.close()
    holder.dump = () => client.dumpDataDir('gzip')
  }
  return holder.db
}

export function postgres(): Database {
  if (!holder.db) throw new Error('Postgres is not open yet: stores are opened at server start-up.')
  return holder.db
}

export async function closePostgres(): Promise<void> {
  const close = holder.close
  holder.db = undefined
  holder.close = undefined
  holder.dump = undefined
  await close?.()
}

/**
 * The embedded database's data directory as a gzipped tarball, consistent: PGlite runs one
 * statement at a time, and the dump is taken between two. Undefined with a Postgres server.
 */
export async function dumpEmbeddedPostgres(): Promise<Blob | undefined> {
  return holder.dump?.()
}

/**
 * Creates an embedded database at `dir` from a dumpEmbeddedPostgres() tarball, and closes it.
 * Returns the rows per table it holds.
 */
export async function loadEmbeddedPostgres(dir: string, tarball: Blob): Promise<Record<string, number>> {
  const { PGlite } = await import('@electric-sql/pglite')
  const client = await PGlite.create(dir, { loadDataDir: tarball })
  try {
    const tables = await client.query<{ name: string }>(`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`)
    const rows: Record<string, number> = {}
    for (const { name } of tables.rows) {
      const result = await client.query<{ n: number }>(`select count(*)::int as n from "${name.replace(/"/g, '""')}"`)
      rows[name] = result.rows[0].n
    }
    return rows
  } finally {
    await client.close()
  }
}
