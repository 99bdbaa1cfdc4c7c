// Whether both stores answer, and how far the rollups trail ingest. Used by /api/health and the
// container health check.
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

async function probe(check: () => Promise<unknown>): Promise<{ ok: boolean; error?: string }> {
  try {
    await check()
    return { ok: true }
  } catch (error) {
    return { ok: false, error: (error as Error).message }
  }
}

export async function checkHealth(): Promise<Health> {
  const ready = await probe(() => storesReady())
  if (!ready.ok) return { ok: false, clickhouse: ready, postgres: ready }
  const [ch, pg] = await Promise.all([
    probe(async () => {
      const result = await clickhouse().ping()
      if (!result.success) throw result.error
    }),
    probe(() => postgres().execute(sql`select 1`)),
  ])
  const health: Health = { ok: ch.ok && pg.ok, clickhouse: ch, postgres: pg }
  if (ch.ok) {
    const lag = await readRefreshLag().catch(() => undefined)
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
