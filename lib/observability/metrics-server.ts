// /metrics on a port of its own (FLIGHTLINE_METRICS_PORT), so Prometheus can scrape from a
// private network while the public port refuses. Answers GET /metrics and 404 otherwise. Like
// gRPC, a port that cannot be bound is logged and the rest keeps running.
import http from 'node:http'
import { logFailure, logger } from './logger'
import { answerScrape } from './metrics-endpoint'

const GLOBAL_KEY = Symbol.for('flightline.metrics-server')
type Holder = { server?: http.Server }
const holder: Holder = ((globalThis as Record<symbol, Holder>)[GLOBAL_KEY] ??= {})

export function startMetricsServer(port: number): Promise<void> {
  if (holder.server) return Promise.resolve()
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0]
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Only GET /metrics is served on this port.\n')
      return
    }
    answerScrape(req.headers.authorization, true).then(
      ({ status, body, headers }) => res.writeHead(status, headers).end(body),
      (error) => {
        logFailure('metrics scrape failed', error)
        res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end('internal error; see the server log\n')
      },
    )
  })
  return new Promise((resolve) => {
    server.once('error', (error) => {
      logger().error({ port, error: { type: error.name, message: error.message } }, `metrics port ${port} could not be opened; /metrics is not served (set FLIGHTLINE_METRICS_PORT to a free port, or 0 for the public port)`)
      resolve()
    })
    server.listen(port, () => {
      holder.server = server
      logger().info({ port }, `metrics on http://localhost:${port}/metrics`)
      resolve()
    })
  })
}

export function stopMetricsServer(): Promise<void> {
  const server = holder.server
  holder.server = undefined
  return new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()))
}
