// Answers a scrape of /metrics, on the public port (app/metrics/route.ts) or on the port of
// FLIGHTLINE_METRICS_PORT (metrics-server.ts): checks the caller's token, reads the scrape-time
// gauges, renders the Prometheus text format.
import { timingSafeEqual, createHash } from 'node:crypto'
import { env } from '@/lib/config/env'
import { writers } from '@/lib/ingest/writers'
import { spanPartsPendingRows } from '@/lib/ingest/span-parts'
import { rollupLagSeconds } from '@/lib/runtime/health'
import { registerScrapeGauges, renderMetrics } from './metrics'

export interface ScrapeAnswer {
  status: number
  body: string
  headers: Record<string, string>
}

function sameSecret(a: string, b: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest()
  return timingSafeEqual(digest(a), digest(b))
}

function bearer(authorization: string | null | undefined): string | undefined {
  const match = /^\s*bearer\s+(\S+)\s*$/i.exec(authorization ?? '')
  return match?.[1]
}

function refusal(status: number, message: string, extra: Record<string, string> = {}): ScrapeAnswer {
  return { status, body: `${message}\n`, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...extra } }
}

/**
 * The answer to `GET /metrics` with this Authorization header. On the public port it takes
 * FLIGHTLINE_METRICS_TOKEN or FLIGHTLINE_ADMIN_TOKEN (and answers 404 when a metrics port is
 * set); on the private metrics port (`onMetricsPort`), a token only when FLIGHTLINE_METRICS_TOKEN is set.
 */
export async function answerScrape(authorization: string | null | undefined, onMetricsPort: boolean): Promise<ScrapeAnswer> {
  const config = env()
  if (!onMetricsPort && config.FLIGHTLINE_METRICS_PORT > 0) {
    return refusal(404, `Metrics are served on port ${config.FLIGHTLINE_METRICS_PORT} (FLIGHTLINE_METRICS_PORT), not on this one.`)
  }
  const tokens = [config.FLIGHTLINE_METRICS_TOKEN, config.FLIGHTLINE_ADMIN_TOKEN].filter((t): t is string => Boolean(t))
  if (tokens.length === 0 && !onMetricsPort) {
    return refusal(403, 'Metrics are off on the public port: set FLIGHTLINE_METRICS_TOKEN (or FLIGHTLINE_ADMIN_TOKEN) and scrape with "Authorization: Bearer <token>", or serve them on a private port with FLIGHTLINE_METRICS_PORT.')
  }
  // The private port asks for a token only when a metrics token is set: the admin token alone
  // is too strong a credential to hand to a scraper.
  const tokenNeeded = onMetricsPort ? Boolean(config.FLIGHTLINE_METRICS_TOKEN) : true
  if (tokenNeeded) {
    const presented = bearer(authorization)
    if (!presented) return refusal(401, 'Missing token: send "Authorization: Bearer <FLIGHTLINE_METRICS_TOKEN or FLIGHTLINE_ADMIN_TOKEN>".', { 'WWW-Authenticate': 'Bearer realm="flightline-metrics"' })
    if (!tokens.some((token) => sameSecret(presented, token))) return refusal(403, 'This token may not read metrics: use FLIGHTLINE_METRICS_TOKEN or FLIGHTLINE_ADMIN_TOKEN.')
  }
  registerScrapeGauges({
    pendingRows: () => {
      const w = writers()
      return { spans: w.spans.pendingRows, scores: w.scores.pendingRows, prompt_snapshots: w.snapshots.pendingRows, span_parts: spanPartsPendingRows() }
    },
    rollupLagSeconds,
  })
  const { body, contentType } = await renderMetrics()
  return { status: 200, body, headers: { 'Content-Type': contentType, 'Cache-Control': 'no-store' } }
}
