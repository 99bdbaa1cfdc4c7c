#!/usr/bin/env node
// The Flightline HTTP server: the built Next.js app behind a plain Node HTTP server of ours.
// `npm start`, the integration tests and the end-to-end tests all serve through it.
//
// Why not `next start`: Next passes route handlers and server actions a Request without its
// socket, so the app cannot know the address a connection comes from (Next only fills in
// X-Forwarded-For when the client sent none, so that header is whatever the client wants).
// This server writes the socket's address into its own header on every request, replacing
// any value a client sent, and marks the process so the app trusts that header only here
// (lib/http/client-address.ts). It also answers a path that is not valid percent-encoding with
// a 400, where Next would fail with a plain-text 500.
//
// It also writes one structured log line per request (pino, JSON on stdout: method, route
// template, status, duration, project, bytes in and out, request id), returns the request id as
// X-Request-Id, and counts requests per route template and status for /metrics (prom-client's
// default registry, shared with the app: both packages are external to the Next bundles).
//
// It listens on every interface at PORT (default 3000), as `next start` does.
import http from 'node:http'
import fs from 'node:fs'
import path from 'node:path'
import { AsyncLocalStorage } from 'node:async_hooks'
import { randomUUID } from 'node:crypto'
import pino from 'pino'
import promClient from 'prom-client'

// A production server, as `next start` makes it (before Next and React are loaded: React picks
// its build from NODE_ENV).
process.env.NODE_ENV = 'production'
const { default: next } = await import('next')

// Shared with lib/http/client-address.ts.
const PEER_ADDRESS_HEADER = 'x-flightline-peer-address'
globalThis[Symbol.for('flightline.peer-address-header')] = true

const port = Number(process.env.PORT || 3000)

// The logger the app shares (lib/observability/logger.ts), at FLIGHTLINE_LOG_LEVEL.
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']
const logLevel = process.env.FLIGHTLINE_LOG_LEVEL?.trim() || 'info'
if (!LOG_LEVELS.includes(logLevel)) {
  console.error(`[flightline] Invalid configuration:\n  - FLIGHTLINE_LOG_LEVEL: must be one of ${LOG_LEVELS.join(', ')} (got ${JSON.stringify(logLevel)})`)
  process.exit(1)
}
const log = pino({ level: logLevel, base: { service: 'flightline' }, timestamp: pino.stdTimeFunctions.isoTime, formatters: { level: (label) => ({ level: label }) } })
globalThis[Symbol.for('flightline.logger')] = log

// The request context the app reads (lib/observability/request-context.ts).
const requestContext = (globalThis[Symbol.for('flightline.request-context')] ??= new AsyncLocalStorage())

const httpRequests = new promClient.Counter({
  name: 'flightline_http_requests_total',
  help: 'HTTP requests answered, by route template and status',
  labelNames: ['route', 'status'],
})
const httpDuration = new promClient.Histogram({
  name: 'flightline_http_request_duration_seconds',
  help: 'Time from the arrival of a request to the end of its answer, by route template',
  labelNames: ['route'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
})
const shed = () => promClient.register.getSingleMetric('flightline_shed_total')
  ?? new promClient.Counter({ name: 'flightline_shed_total', help: 'Requests answered 503 or 429 (load shed, store unavailable, sign-in limits), by way', labelNames: ['status'] })

/**
 * The route templates of the built app (Next's routes manifest), so metrics and logs name
 * `/api/v1/traces/[traceId]` and never a raw id. Paths no route matches count as `unmatched`.
 */
function loadRoutes() {
  const manifestPath = path.join(process.cwd(), process.env.FLIGHTLINE_DIST_DIR || '.next', 'routes-manifest.json')
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'))
  const exact = new Map()
  for (const route of manifest.staticRoutes ?? []) exact.set(route.page, route.page)
  const patterns = (manifest.dynamicRoutes ?? []).map((route) => ({ page: route.page, regex: new RegExp(route.regex) }))
  return (pathname) => {
    if (pathname.startsWith('/_next/')) return pathname.startsWith('/_next/static/') ? '/_next/static' : '/_next'
    const trimmed = pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname
    const found = exact.get(trimmed)
    if (found) return found
    for (const { page, regex } of patterns) if (regex.test(trimmed)) return page
    return 'unmatched'
  }
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/

/** Counts the body bytes of a request as the parser hands them over, and of its answer as written. */
function countBytes(req, res) {
  const counts = { in: 0, out: 0 }
  const push = req.push
  req.push = function (chunk, encoding) {
    if (chunk) counts.in += typeof chunk === 'string' ? Buffer.byteLength(chunk, encoding) : chunk.length
    return push.call(this, chunk, encoding)
  }
  const size = (chunk, encoding) => (!chunk || typeof chunk === 'function' ? 0 : typeof chunk === 'string' ? Buffer.byteLength(chunk, typeof encoding === 'string' ? encoding : 'utf8') : chunk.length)
  const write = res.write
  res.write = function (chunk, encoding, callback) {
    counts.out += size(chunk, encoding)
    return write.call(this, chunk, encoding, callback)
  }
  const end = res.end
  res.end = function (chunk, encoding, callback) {
    counts.out += size(chunk, encoding)
    return end.call(this, chunk, encoding, callback)
  }
  return counts
}

/** Once the answer is over (or the client went away): one log line and the request metrics. */
function observe(req, res, context, route) {
  const started = process.hrtime.bigint()
  const bytes = countBytes(req, res)
  res.once('close', () => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9
    const status = res.statusCode
    httpRequests.inc({ route, status: String(status) })
    httpDuration.observe({ route }, seconds)
    if (status === 503 || status === 429) shed().inc({ status: String(status) })
    const line = {
      request_id: context.requestId,
      method: req.method,
      route,
      status,
      duration_ms: Math.round(seconds * 1e4) / 10,
      project_id: context.projectId ?? null,
      bytes_in: bytes.in,
      bytes_out: bytes.out,
      ...(res.writableFinished ? {} : { aborted: true }),
    }
    if (status >= 500) log.error(line, 'request')
    else log.info(line, 'request')
  })
}

function decodablePath(url) {
  const path = (url ?? '/').split('?', 1)[0]
  try {
    decodeURIComponent(path)
    return true
  } catch {
    return false
  }
}

function refuseUndecodablePath(req, res) {
  const path = (req.url ?? '/').split('?', 1)[0]
  const message = `the path ${JSON.stringify(path.slice(0, 200))} is not valid percent-encoding (a % must be followed by two hex digits that spell UTF-8)`
  const api = path.startsWith('/api/') || path.startsWith('/v1/')
  const body = api ? JSON.stringify({ error: message, code: 'bad_request' }) : `Bad request: ${message}\n`
  res.writeHead(400, { 'Content-Type': api ? 'application/json' : 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' })
  res.end(body)
}

const app = next({ dev: false, dir: process.cwd(), port, hostname: 'localhost' })
await app.prepare()
const handle = app.getRequestHandler()
const routeOf = loadRoutes()

const server = http.createServer((req, res) => {
  req.headers[PEER_ADDRESS_HEADER] = req.socket.remoteAddress ?? ''
  const offered = req.headers['x-request-id']
  const context = { requestId: typeof offered === 'string' && REQUEST_ID.test(offered) ? offered : randomUUID(), projectId: undefined }
  res.setHeader('X-Request-Id', context.requestId)
  if (!decodablePath(req.url)) {
    observe(req, res, context, 'invalid_path')
    return refuseUndecodablePath(req, res)
  }
  observe(req, res, context, routeOf((req.url ?? '/').split('?', 1)[0]))
  requestContext.run(context, () =>
    handle(req, res).catch((error) => {
      log.error({ request_id: context.requestId, error: { type: error?.name, message: String(error?.message ?? error).split('\n')[0].slice(0, 300) } }, 'request failed')
      if (res.headersSent) res.destroy()
      else {
        res.statusCode = 500
        res.end('Internal Server Error')
      }
    }),
  )
})
// Idle keep-alive connections stay open for 65 s (Node's default is 5 s). A client that reuses a
// connection just as the server closes it sees "socket hang up" on a request that never arrived;
// clients and load balancers commonly keep connections for up to 60 s, so the server outlasts them.
server.keepAliveTimeout = 65_000
server.headersTimeout = 66_000
server.listen(port, () => {
  log.info({ port }, `listening on http://localhost:${port}`)
})
