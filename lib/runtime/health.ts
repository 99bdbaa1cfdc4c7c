// Whether both stores answer, and how far the rollups trail ingest. Used by /api/health and the
// container health check.
//
// The embedded engine runs one statement at a time, so a probe sent while a large insert runs
// would wait for the insert: health must stay fast exactly when the server is busiest. At most
// one probe per store is in flight; a caller waits for it up to PROBE_WAIT_MS, and past that the
// store's last answer stands when it is at most RECENT_MS old (the probe carries on and
// refreshes it). Without a recent answer, the caller waits for the probe itself. The rollup lag
// is read the same way.
import { sql } from 'drizzle-orm'
import { clickhouse } from '@/db/clickhouse/client'
import { postgres } from '@/db/postgres/client'
import { readRefreshLag } from '@/db/clickhouse/queries/rollup-progress'
import { rollupRefresher } from '@/lib/rollups/refresher'
import { ROLLUP_FRESHNESS_BOUND_SECONDS } from '@/lib/rollups/freshness'
import { storesReady } from './stores'

export interface Health {
  ok: boolean
  clickhouse: { ok: boolean; error?: string }
  postgres: { ok: boolean; error?: string }
  /**
   * The rollup refresher's watermark (every span ingested up to it is in the rollups) and how many
   * seconds it trails the engine's clock; `refresher` says whether this process runs it. Answers
   * stay exact whatever the lag (readers take newer spans from the spans table); the lag only
   * costs query time. Absent while ClickHouse is down.
   */
  rollups?: { watermark: string; lag_seconds: number; bound_seconds: number; refresher: 'running' | 'failing' | 'off'; error?: string }
}

type StoreHealth = Health['clickhouse']

const PROBE_WAIT_MS = 150
const RECENT_MS = 5_000

async function probe(check: () => Promise<unknown>): Promise<StoreHealth> {
  try {
    await check()
    return { ok: true }
  } catch (error) {
    return { ok: false, error: (error as Error).message }
  }
}

/** The latest answer of a slow read, with at most one read in flight (see the file's header). */
export class RecentValue<T> {
  private inFlight?: Promise<T>
  private last?: { at: number; value: T }

  constructor(private readonly read: () => Promise<T>) {}

  async value(): Promise<T> {
    this.inFlight ??= this.read().then(
      (value) => {
        this.last = { at: Date.now(), value }
        this.inFlight = undefined
        return value
      },
      (error) => {
        this.inFlight = undefined
        throw error
      },
    )
    const last = this.last
    if (!last || Date.now() - last.at > RECENT_MS) return this.inFlight
    let timer: NodeJS.Timeout | undefined
    const lastStands = new Promise<T>((resolve) => (timer = setTimeout(() => resolve(last.value), PROBE_WAIT_MS)))
    try {
      return await Promise.race([this.inFlight, lastStands])
    } finally {
      clearTimeout(timer)
    }
  }
}

/** A store's health, answered within PROBE_WAIT_MS when a recent answer exists. */
export class StoreProbe extends RecentValue<StoreHealth> {
  constructor(check: () => Promise<unknown>) {
    super(() => probe(check))
  }

  health(): Promise<StoreHealth> {
    return this.value()
  }
}

const GLOBAL_KEY = Symbol.for('flightline.health-probes')
type Probes = { clickhouse: StoreProbe; postgres: StoreProbe; rollupLag: RecentValue<Awaited<ReturnType<typeof readRefreshLag>>> }

function probes(): Probes {
  const slot = globalThis as Record<symbol, Probes | undefined>
  slot[GLOBAL_KEY] ??= {
    clickhouse: new StoreProbe(async () => {
      const result = await clickhouse().ping()
      if (!result.success) throw result.error
    }),
    postgres: new StoreProbe(() => postgres().execute(sql`select 1`)),
    rollupLag: new RecentValue(() => readRefreshLag()),
  }
  return slot[GLOBAL_KEY]
}

/** Seconds the rollups trail ingest, read like /api/health reads it; undefined before the stores are open. */
export async function rollupLagSeconds(): Promise<number | undefined> {
  const ready = await probe(() => storesReady())
  if (!ready.ok) return undefined
  return (await probes().rollupLag.value())?.lag_seconds
}

export async function checkHealth(): Promise<Health> {
  const ready = await probe(() => storesReady())
  if (!ready.ok) return { ok: false, clickhouse: ready, postgres: ready }
  const [ch, pg] = await Promise.all([probes().clickhouse.health(), probes().postgres.health()])
  const health: Health = { ok: ch.ok && pg.ok, clickhouse: ch, postgres: pg }
  if (ch.ok) {
    const lag = await probes().rollupLag.value().catch(() => undefined)
    const refresher = rollupRefresher()
    if (lag) {
      health.rollups = {
        ...lag,
        bound_seconds: ROLLUP_FRESHNESS_BOUND_SECONDS,
        refresher: !refresher ? 'off' : refresher.error ? 'failing' : 'running',
        ...(refresher?.error ? { error: refresher.error } : {}),
      }
    }
  }
  return health
}
