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
// It listens on every interface at PORT (default 3000), as `next start` does.
import http from 'node:http'

// A production server, as `next start` makes it (before Next and React are loaded: React picks
// its build from NODE_ENV).
process.env.NODE_ENV = 'production'
const { default: next } = await import('next')

// Shared with lib/http/client-address.ts.
const PEER_ADDRESS_HEADER = 'x-flightline-peer-address'
globalThis[Symbol.for('flightline.peer-address-header')] = true

const port = Number(process.env.PORT || 3000)

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

const server = http.createServer((req, res) => {
  req.headers[PEER_ADDRESS_HEADER] = req.socket.remoteAddress ?? ''
  if (!decodablePath(req.url)) return refuseUndecodablePath(req, res)
  handle(req, res).catch((error) => {
    console.error('[flightline] request failed:', error)
    if (res.headersSent) res.destroy()
    else {
      res.statusCode = 500
      res.end('Internal Server Error')
    }
  })
})
// Idle keep-alive connections stay open for 65 s (Node's default is 5 s). A client that reuses a
// connection just as the server closes it sees "socket hang up" on a request that never arrived;
// clients and load balancers commonly keep connections for up to 60 s, so the server outlasts them.
server.keepAliveTimeout = 65_000
server.headersTimeout = 66_000
server.listen(port, () => {
  console.log(`[flightline] listening on http://localhost:${port}`)
})
