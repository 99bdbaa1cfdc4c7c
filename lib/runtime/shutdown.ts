// On SIGTERM / SIGINT: stop taking new rows, write what is queued, close the stores, exit.
import { closeClickhouse } from '@/db/clickhouse/client'
import { closePostgres } from '@/db/postgres/client'
import { drainSpanParts } from '@/lib/ingest/span-parts'
import { stopGrpcServer } from '@/lib/otlp/grpc-server'
import { stopMetricsServer } from '@/lib/observability/metrics-server'
import { stopPartPromoter } from '@/lib/ingest/part-promoter'
import { writers } from '@/lib/ingest/writers'
import { stopCycleIndexer } from '@/lib/traces/cycle-indexer'
import { stopRollupRefresher } from '@/lib/rollups/refresher'
import { stopRecorderWorker } from '@/lib/recorder/worker'
import { deletionsIdle } from '@/lib/recorder/deletions'
import { stopMonitorEvaluator } from '@/lib/monitors/evaluator'
import { stopNotifier } from '@/lib/monitors/notifications'

let installed = false

export function startShutdownHooks(): void {
  if (installed) return
  installed = true
  const stop = async (signal: string) => {
    console.log(`[flightline] ${signal}: writing queued rows and closing stores`)
    const timer = setTimeout(() => process.exit(1), 10_000)
    try {
      await Promise.all([stopGrpcServer(), stopMetricsServer()])
      const w = writers()
      // A deletion under way finishes first (it resumes the background writers when done).
      await deletionsIdle()
      await Promise.all([w.spans.drain(), w.held.drain(), w.scores.drain(), w.snapshots.drain(), drainSpanParts(), stopCycleIndexer(), stopPartPromoter(), stopRollupRefresher(), stopRecorderWorker(), stopMonitorEvaluator(), stopNotifier()])
      await closePostgres()
      await closeClickhouse()
    } finally {
      clearTimeout(timer)
      process.exit(0)
    }
  }
  process.once('SIGTERM', () => void stop('SIGTERM'))
  process.once('SIGINT', () => void stop('SIGINT'))
}
