// Whether both stores answer. Used by /api/health and the container health check.
//
// The embedded engine runs one statement at a time, so a probe sent while a large insert runs
// would wait for the insert: health must stay fast exactly when the server is busiest. At most
// one probe per store is in flight; a caller waits for it up to PROBE_WAIT_MS, and past that the
// store's last answer stands when it is at most RECENT_MS old (the probe carries on and
// refreshes it). Without a recent answer, the caller waits for the probe itself.
import { sql } from 'drizzle-orm'
import { clickhouse } from '@/db/clickhouse/client'
import { postgres } from '@/db/postgres/client'
import { storesReady } from './stores'

export interface Health {
  ok: boolean
  clickhouse: { ok: boolean; error?: string }
  postgres: { ok: boolean; error?: string }
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

export class StoreProbe {
  private inFlight?: Promise<StoreHealth>
  private last?: { at: number; health: StoreHealth }

  constructor(private readonly check: () => Promise<unknown>) {}

  async health(): Promise<StoreHealth> {
    this.inFlight ??= probe(this.check).then((health) => {
      this.last = { at: Date.now(), health }
      this.inFlight = undefined
      return health
    })
    const last = this.last
    if (!last || Date.now() - last.at > RECENT_MS) return this.inFlight
    let timer: NodeJS.Timeout | undefined
    const lastStands = new Promise<StoreHealth>((resolve) => (timer = setTimeout(() => resolve(last.health), PROBE_WAIT_MS)))
    try {
      return await Promise.race([this.inFlight, lastStands])
    } finally {
      clearTimeout(timer)
    }
  }
}

const GLOBAL_KEY = Symbol.for('flightline.health-probes')
type Probes = { clickhouse: StoreProbe; postgres: StoreProbe }

function probes(): Probes {
  const slot = globalThis as Record<symbol, Probes | undefined>
  slot[GLOBAL_KEY] ??= {
    clickhouse: new StoreProbe(async () => {
      const result = await clickhouse().ping()
      if (!result.success) throw result.error
    }),
    postgres: new StoreProbe(() => postgres().execute(sql`select 1`)),
  }
  return slot[GLOBAL_KEY]
}

export async function checkHealth(): Promise<Health> {
  const ready = await probe(() => storesReady())
  if (!ready.ok) return { ok: false, clickhouse: ready, postgres: ready }
  const [ch, pg] = await Promise.all([probes().clickhouse.health(), probes().postgres.health()])
  return { ok: ch.ok && pg.ok, clickhouse: ch, postgres: pg }
}
