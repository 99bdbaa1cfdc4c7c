// Owns the one ClickHouse client of the process: the embedded engine (chdb) under the data
// directory by default, or a ClickHouse server over HTTP when CLICKHOUSE_URL is set. Both are
// driven through @clickhouse/client with the same explicit settings, so queries behave alike.
import path from 'node:path'
import { createClient, type ClickHouseClient, type ClickHouseSettings } from '@clickhouse/client'
import type { Env } from '@/lib/config/env'

/** Settings both engines must agree on; chdb's defaults differ from a server's. */
export const SHARED_SETTINGS: ClickHouseSettings = {
  // UInt64 as JSON strings: token sums and nanosecond times must not lose precision.
  output_format_json_quote_64bit_integers: 1,
  // We batch inserts ourselves and answer only once rows are in a part (durability promise).
  async_insert: 0,
  wait_for_async_insert: 1,
  date_time_input_format: 'best_effort',
  // Our own `IN` tuples over ids rely on this; set explicitly for the server too.
  transform_null_in: 0,
  max_execution_time: 60,
}

const GLOBAL_KEY = Symbol.for('flightline.clickhouse')
type Holder = { client?: ClickHouseClient; mode?: 'embedded' | 'server'; engineSession?: { close(): void } }
const holder: Holder = ((globalThis as Record<symbol, Holder>)[GLOBAL_KEY] ??= {})

export function clickhouseMode(config: Env): 'embedded' | 'server' {
  return config.CLICKHOUSE_URL ? 'server' : 'embedded'
}

/**
 * Ingest accepts start times from the retention window up to a day ahead, and tables are
 * partitioned by day, so one insert can touch retention + 2 daily partitions (the engine's
 * default cap is 100, which a longer retention would exceed and fail the whole insert).
 */
export function partitionsPerInsert(config: Pick<Env, 'FLIGHTLINE_RETENTION_DAYS'>): number {
  return Math.max(100, config.FLIGHTLINE_RETENTION_DAYS + 3)
}

export async function openClickhouse(config: Env): Promise<ClickHouseClient> {
  if (holder.client) return holder.client
  const settings: ClickHouseSettings = { ...SHARED_SETTINGS, max_partitions_per_insert_block: String(partitionsPerInsert(config)) }
  if (config.CLICKHOUSE_URL) {
    holder.client = createClient({
      url: config.CLICKHOUSE_URL,
      username: config.CLICKHOUSE_USER,
      password: config.CLICKHOUSE_PASSWORD,
      database: config.CLICKHOUSE_DATABASE,
      clickhouse_settings: settings,
      request_timeout: 120_000,
      compression: { request: false, response: true },
    })
    holder.mode = 'server'
  } else {
    // Loaded lazily: the 500 MB engine is only mapped when the embedded mode is used.
    const [{ createChdbConnection }, { Session }] = await Promise.all([import('chdb/connection'), import('chdb')])
    const enginePath = path.join(config.dataDir, 'clickhouse')
    // The engine takes its configuration from the first session opened on a directory, and the
    // client's connection cannot pass any: this session opens it with BACKUP/RESTORE to files
    // allowed (lib/backup; only our own statements name a backup path), and stays open while
    // the client uses the engine.
    holder.engineSession = new Session(enginePath, { connectionArgs: [`--backups.allowed_path=/`] })
    const connection = createChdbConnection({ path: enginePath })
    holder.client = createClient({
      // chdb types against its own copy of @clickhouse/client-common; the runtime contract is the same.
      connection: connection as unknown as NonNullable<Parameters<typeof createClient>[0]>['connection'],
      clickhouse_settings: settings,
    })
    holder.mode = 'embedded'
  }
  return holder.client
}

export function clickhouse(): ClickHouseClient {
  if (!holder.client) throw new Error('ClickHouse is not open yet: stores are opened at server start-up.')
  return holder.client
}

export async function closeClickhouse(): Promise<void> {
  const client = holder.client
  const session = holder.engineSession
  holder.client = undefined
  holder.engineSession = undefined
  await client?.close()
  session?.close()
}
