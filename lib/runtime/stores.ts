// Opens both stores once per process: claims the data directory when an embedded engine is
// used, opens ClickHouse and Postgres, and applies their migrations. Called from
// instrumentation.ts at server start and by scripts that work on the stores directly.
import { env, type Env } from '@/lib/config/env'
import { openClickhouse, clickhouseMode } from '@/db/clickhouse/client'
import { migrateClickhouse } from '@/db/clickhouse/migrate'
import { engineTimeZones } from '@/db/clickhouse/queries/time-zones'
import { openPostgres } from '@/db/postgres/client'
import { seedPricesIfEmpty } from '@/lib/pricing/price-table'
import { seedCoefficientsIfEmpty } from '@/lib/energy/coefficient-table'
import { ensureAdminFromEnv } from '@/lib/auth/users'
import { setStoreTimeZones } from '@/lib/time/time-zones'
import { lockDataDir } from './data-lock'

const GLOBAL_KEY = Symbol.for('flightline.stores')
type Holder = { ready?: Promise<void> }
const holder: Holder = ((globalThis as Record<symbol, Holder>)[GLOBAL_KEY] ??= {})

export function usesDataDir(config: Env): boolean {
  return clickhouseMode(config) === 'embedded' || !config.DATABASE_URL
}

async function open(config: Env): Promise<void> {
  if (usesDataDir(config)) lockDataDir(config.dataDir)
  const client = await openClickhouse(config)
  const ran = await migrateClickhouse(client, { cluster: config.CLICKHOUSE_CLUSTER, retentionDays: config.FLIGHTLINE_RETENTION_DAYS })
  if (ran.length > 0) console.log(`[flightline] applied ClickHouse migrations: ${ran.join(', ')}`)
  setStoreTimeZones(await engineTimeZones())
  await openPostgres(config)
  const seeded = await seedPricesIfEmpty()
  if (seeded > 0) console.log(`[flightline] seeded the model price table with ${seeded} public list prices`)
  const estimates = await seedCoefficientsIfEmpty()
  if (estimates > 0) console.log(`[flightline] seeded the energy coefficient table with ${estimates} per-class estimates`)
  await ensureAdminFromEnv(config.FLIGHTLINE_ADMIN_EMAIL, config.FLIGHTLINE_ADMIN_PASSWORD)
}

/** Resolves when both stores are open and migrated; safe to call many times. */
export function storesReady(config: Env = env()): Promise<void> {
  holder.ready ??= open(config).catch((error) => {
    holder.ready = undefined
    throw error
  })
  return holder.ready
}
