// What the server process does once at start, before the first request: validate the
// environment, claim the data directory, open and migrate both stores. A bad configuration or
// a data directory owned by another process ends the process with a message saying so.
import { env, EnvError } from '@/lib/config/env'
import { clickhouseMode } from '@/db/clickhouse/client'
import { DataDirLockedError } from './data-lock'
import { storesReady } from './stores'
import { startShutdownHooks } from './shutdown'
import { startCycleIndexer } from '@/lib/traces/cycle-indexer'
import { startRollupRefresher } from '@/lib/rollups/refresher'
import { startGrpcServer } from '@/lib/otlp/grpc-server'
import { startPartPromoter } from '@/lib/ingest/part-promoter'
import { startRecorderWorker } from '@/lib/recorder/worker'
import { startMonitorEvaluator } from '@/lib/monitors/evaluator'
import { startNotifier } from '@/lib/monitors/notifications'
import { startMetricsServer } from '@/lib/observability/metrics-server'
import { metrics } from '@/lib/observability/metrics'

export async function onServerStart(): Promise<void> {
  try {
    const config = env()
    const started = Date.now()
    await storesReady(config)
    console.log(
      `[flightline] stores ready in ${Date.now() - started} ms (ClickHouse: ${clickhouseMode(config)}, Postgres: ${config.DATABASE_URL ? 'server' : 'embedded'}, data: ${config.dataDir})`,
    )
    startShutdownHooks()
    // Created now, so the first scrape sees every series (and insert timings are observed from the start).
    metrics()
    if (config.FLIGHTLINE_METRICS_PORT > 0) await startMetricsServer(config.FLIGHTLINE_METRICS_PORT)
    if (config.FLIGHTLINE_ROLLUP_REFRESHER) {
      const intervalMs = config.FLIGHTLINE_ROLLUP_INTERVAL_SECONDS * 1000
      startRollupRefresher({ intervalMs, yieldToOthersMs: clickhouseMode(config) === 'server' ? 10 * intervalMs : 0 })
    }
    if (config.FLIGHTLINE_CYCLE_INDEXER) startCycleIndexer()
    if (config.FLIGHTLINE_PART_PROMOTER) startPartPromoter()
    if (config.FLIGHTLINE_RECORDER_WORKER) await startRecorderWorker()
    if (config.FLIGHTLINE_MONITOR_EVALUATOR) {
      startMonitorEvaluator()
      startNotifier()
    }
    // Never fails start-up: a port in use is logged and HTTP ingest keeps working.
    if (config.FLIGHTLINE_OTLP_GRPC_PORT > 0) await startGrpcServer(config.FLIGHTLINE_OTLP_GRPC_PORT)
  } catch (error) {
    if (error instanceof EnvError || error instanceof DataDirLockedError) console.error(`[flightline] ${error.message}`)
    else console.error('[flightline] could not open the stores:', error)
    process.exit(1)
  }
}
