#!/usr/bin/env node
// The Flightline HTTP server: the built Next.js app behind a plain Node HTTP server of ours.
// `npm start`, the integration tests and the end-to-end tests all serve through it.
//
// Why not `next start`: Next passes route handlers and server actions a Request without its
// socket, so the app cannot know the address a connection comes from (Next only fills in
// X-Forwarded-For when the client sent none, so that header is whatever the client wants).
// This server writes the socket's address into its own header on every request, replacing
// any value a client sent, and marks the process so the app trusts that header only here
// (lib/http/client-address.ts).
//
// It listens on every interface at PORT (default 3000), as `next start` does.
import http from 'node:http'
import next from 'next'

// Shared with lib/http/client-address.ts.
const PEER_ADDRESS_HEADER = 'x-flightline-peer-address'
globalThis[Symbol.for('flightline.peer-address-header')] = true

const port = Number(process.env.PORT || 3000)

const app = next({ dev: false, dir: process.cwd(), port, hostname: 'localhost' })
await app.prepare()
const handle = app.getRequestHandler()

const server = http.createServer((req, res) => {
  req.headers[PEER_ADDRESS_HEADER] = req.socket.remoteAddress ?? ''
  void handle(req, res)
})
server.listen(port, () => {
  console.log(`[flightline] listening on http://localhost:${port}`)
})
