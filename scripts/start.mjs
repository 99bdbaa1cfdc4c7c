#!/usr/bin/env node
// `npm start`: builds once when there is no build yet, then serves on $PORT (default 3000)
// through our server (scripts/server.mjs, which says why it is not `next start`). Stopping
// `npm start` stops the server too.
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

const distDir = process.env.FLIGHTLINE_DIST_DIR || '.next'
const nextBin = path.join('node_modules', 'next', 'dist', 'bin', 'next')

if (!fs.existsSync(path.join(distDir, 'BUILD_ID'))) {
  console.log(`[flightline] no build found in ${distDir}: building first (about a minute)`)
  const build = spawnSync(process.execPath, [nextBin, 'build'], { stdio: 'inherit', env: process.env })
  if (build.status !== 0) process.exit(build.status ?? 1)
}

// A larger young generation: ingest allocates many short-lived objects per span, and the
// default semi-space makes the server spend a fifth of its time collecting them.
const server = spawn(process.execPath, ['--max-semi-space-size=64', path.join('scripts', 'server.mjs')], { stdio: 'inherit', env: process.env })
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal))
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
