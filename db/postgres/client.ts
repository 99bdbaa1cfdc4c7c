// Owns the one drizzle database of the process: PGlite under the data directory by default,
// or a real Postgres when DATABASE_URL is set. Same schema, same migrations, same queries.
import path from 'node:path'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import type { Env } from '@/lib/config/env'
import * as schema from './schema'

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>

export const POSTGRES_MIGRATIONS_DIR = path.join(/* turbopackIgnore: true */ process.cwd(), 'migrations', 'postgres')

const GLOBAL_KEY = Symbol.for('flightline.postgres')
type Holder = { db?: Database; close?: () => Promise<void> }
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
  await close?.()
}
