#!/usr/bin/env node
// The server end-to-end tests run against: the built app on a fresh data directory of its own.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

const dataDir = path.resolve('tmp', 'e2e-data')
fs.rmSync(dataDir, { recursive: true, force: true })
const server = spawn(process.execPath, ['scripts/start.mjs'], {
  stdio: 'inherit',
  env: {
    ...process.env,
    FLIGHTLINE_DATA_DIR: dataDir,
    FLIGHTLINE_ADMIN_TOKEN: 'e2e-admin-token-0123456789',
    CLICKHOUSE_URL: '',
    DATABASE_URL: '',
    // End-to-end runs share the machine with other servers: gRPC only on a port asked for.
    FLIGHTLINE_OTLP_GRPC_PORT: process.env.E2E_GRPC_PORT ?? '0',
  },
})
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal))
server.on('exit', (code) => process.exit(code ?? 0))
