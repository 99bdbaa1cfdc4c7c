// The process's Prometheus metrics (prom-client, default registry), served at GET /metrics
// (app/metrics/route.ts, or the port of FLIGHTLINE_METRICS_PORT). Names, labels and meaning are
// documented in docs/operations.md. Counting costs nothing per span: the ways in add a request's
// accepted and rejected counts once per request, inserts are timed once per batch, and gauges
// (pending rows, rollup lag) are read only when Prometheus scrapes.
//
// HTTP request counts and durations are recorded by scripts/server.mjs, which sees every
// request; it registers them on the same default registry (prom-client is not bundled: see
// next.config.ts), and the definitions here match its own.
import client from 'prom-client'
import { setStatementObserver } from '@/db/clickhouse/observe'

/** The ways in, as the `path` label of the ingest counters. */
export type IngestPath = 'native' | 'otlp_http' | 'otlp_grpc' | 'langfuse' | 'logs'

/**
 * Why an item (span, log record, event) was rejected, as the `reason` label: a small fixed set,
 * never the item's own text.
 */
export type RejectReason = 'invalid' | 'too_old' | 'conflict' | 'not_stored'

const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]

function create() {
  const register = client.register
  const existing = <T>(name: string) => register.getSingleMetric(name) as T | undefined
  const counter = (name: string, help: string, labelNames: string[] = []) =>
    existing<client.Counter<string>>(name) ?? new client.Counter({ name, help, labelNames })
  const histogram = (name: string, help: string, labelNames: string[] = []) =>
    existing<client.Histogram<string>>(name) ?? new client.Histogram({ name, help, labelNames, buckets: SECONDS_BUCKETS })

  if (!existing('process_resident_memory_bytes')) client.collectDefaultMetrics({ register, eventLoopMonitoringPrecision: 20 })

  return {
    ingestSpans: counter('flightline_ingest_spans_total', 'Spans (and log records, Langfuse events) accepted, by way in', ['path']),
    ingestRejected: counter('flightline_ingest_rejected_total', 'Items rejected inside ingest requests, by way in and reason', ['path', 'reason']),
    insertDuration: histogram('flightline_insert_duration_seconds', 'Duration of one ClickHouse INSERT (one batch of rows), by table', ['table']),
    queryDuration: histogram('flightline_query_duration_seconds', 'Duration of ClickHouse reads and commands, by query tag', ['tag']),
    shed: counter('flightline_shed_total', 'Requests answered 503 or 429 (load shed, store unavailable, sign-in limits), by way', ['status']),
    rollupPassDuration: histogram('flightline_rollup_pass_duration_seconds', 'Duration of one rollup refresher pass'),
    rollupPassFailures: counter('flightline_rollup_pass_failures_total', 'Rollup refresher passes that failed'),
    monitorEvaluationDuration: histogram('flightline_monitor_evaluation_duration_seconds', 'Duration of one monitor evaluation', ['monitor_kind']),
    monitorEvaluationFailures: counter('flightline_monitor_evaluation_failures_total', 'Monitor evaluations that failed', ['monitor_kind']),
    webhookDeliveries: counter('flightline_webhook_deliveries_total', 'Webhook deliveries, by outcome (delivered, failed, retried)', ['outcome']),
  }
}

export type Metrics = ReturnType<typeof create>

const GLOBAL_KEY = Symbol.for('flightline.metrics')

/** The metrics, created once per process (every bundle that imports this module shares them). */
export function metrics(): Metrics {
  const slot = globalThis as Record<symbol, Metrics | undefined>
  if (!slot[GLOBAL_KEY]) {
    const created = create()
    slot[GLOBAL_KEY] = created
    setStatementObserver({
      query: (tag, seconds) => created.queryDuration.observe({ tag }, seconds),
      insert: (table, seconds) => created.insertDuration.observe({ table }, seconds),
    })
  }
  return slot[GLOBAL_KEY]
}

/**
 * Gauges read at scrape time: rows waiting to be written, and the rollup lag. The readers are
 * passed in by the caller (the /metrics route), so this module imports no store code.
 */
export function registerScrapeGauges(read: { pendingRows: () => Record<string, number>; rollupLagSeconds: () => Promise<number | undefined> }): void {
  const register = client.register
  if (register.getSingleMetric('flightline_pending_rows')) return
  new client.Gauge({
    name: 'flightline_pending_rows',
    help: 'Rows handed to a writer and not yet written, by table (ingest answers 503 above FLIGHTLINE_MAX_PENDING_ROWS)',
    labelNames: ['table'],
    collect() {
      for (const [table, rows] of Object.entries(read.pendingRows())) this.set({ table }, rows)
    },
  })
  new client.Gauge({
    name: 'flightline_rollup_lag_seconds',
    help: 'How many seconds the rollups (trace stats, analytics) trail ingest',
    async collect() {
      const lag = await read.rollupLagSeconds().catch(() => undefined)
      if (lag === undefined) this.reset()
      else this.set(lag)
    },
  })
}

/**
 * Counts one ingest request's outcome: its accepted items, and its rejected ones (one message
 * each) by reason. A request refused whole (401, 413, a 503 while shedding) stores nothing and
 * is counted by flightline_http_requests_total{status} and flightline_shed_total instead.
 */
export function countIngest(path: IngestPath, accepted: number, rejections: readonly string[] = []): void {
  const m = metrics()
  if (accepted > 0) m.ingestSpans.inc({ path }, accepted)
  if (rejections.length === 0) return
  const byReason = new Map<RejectReason, number>()
  for (const error of rejections) {
    const reason = rejectReason(error)
    byReason.set(reason, (byReason.get(reason) ?? 0) + 1)
  }
  for (const [reason, count] of byReason) m.ingestRejected.inc({ path, reason }, count)
}

/**
 * The reason class of a rejection message. The messages come from lib/ingest/ingest.ts (and
 * the ways in that reuse it): store refusals start "not stored", same-request conflicts say
 * "already appears at index", retention refusals say "older than the retention window"; every
 * other message is a validation failure.
 */
export function rejectReason(error: string): RejectReason {
  if (error.includes('not stored')) return 'not_stored'
  if (error.includes('already appears at index')) return 'conflict'
  if (error.includes('older than the retention window')) return 'too_old'
  return 'invalid'
}

export async function renderMetrics(): Promise<{ body: string; contentType: string }> {
  metrics()
  return { body: await client.register.metrics(), contentType: client.register.contentType }
}
