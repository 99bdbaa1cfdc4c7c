// Whether both stores answer. Used by /api/health and the container health check.
import { sql } from 'drizzle-orm'
import { clickhouse } from '@/db/clickhouse/client'
import { postgres } from '@/db/postgres/client'
import { storesReady } from './stores'

export interface Health {
  ok: boolean
  clickhouse: { ok: boolean; error?: string }
  postgres: { ok: boolean; error?: string }
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
  return { ok: ch.ok && pg.ok, clickhouse: ch, postgres: pg }
}
