// npm run backup -- --out <dir>
// Backs up the embedded stores of FLIGHTLINE_DATA_DIR (default ./data) into a new directory.
// While a server holds the data directory, the server takes the backup (POST
// /api/v1/admin/backup with FLIGHTLINE_ADMIN_TOKEN, at FLIGHTLINE_URL or http://localhost:$PORT),
// so it keeps ingesting meanwhile; with no server running, this process opens the stores itself.
import fs from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import type { BackupManifest } from '../lib/backup/manifest'

const USAGE = 'usage: npm run backup -- --out <new backup dir> [--url http://localhost:3000]'

function describe(out: string, manifest: BackupManifest): string {
  const spans = manifest.clickhouse.rows.spans ?? 0
  const projects = manifest.postgres.rows.projects ?? 0
  return `backup of ${manifest.started_at} written to ${out}: ${spans} spans, ${projects} projects (Flightline ${manifest.flightline_version}, ClickHouse ${manifest.clickhouse.engine_version})`
}

async function viaServer(url: string, out: string, pid: number): Promise<number> {
  const token = process.env.FLIGHTLINE_ADMIN_TOKEN
  if (!token) {
    console.error(`a running server (pid ${pid}) holds the data directory, so it takes the backup: set FLIGHTLINE_ADMIN_TOKEN to its admin token`)
    return 1
  }
  let response: Response
  try {
    response = await fetch(new URL('/api/v1/admin/backup', url), {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ out }),
    })
  } catch (error) {
    console.error(`a running server (pid ${pid}) holds the data directory, but ${url} does not answer (${(error as Error).message}); set FLIGHTLINE_URL or PORT to where it listens`)
    return 1
  }
  const body = (await response.json().catch(() => ({}))) as { out?: string; manifest?: BackupManifest; error?: string }
  if (!response.ok || !body.manifest || !body.out) {
    console.error(`backup failed: ${response.status} ${body.error ?? ''}`)
    return 1
  }
  console.log(describe(body.out, body.manifest))
  return 0
}

async function inProcess(out: string): Promise<number> {
  const { env } = await import('../lib/config/env')
  const { storesReady } = await import('../lib/runtime/stores')
  const { createBackup } = await import('../lib/backup/backup')
  const { closeClickhouse } = await import('../db/clickhouse/client')
  const { closePostgres } = await import('../db/postgres/client')
  await storesReady()
  try {
    const result = await createBackup(out, env())
    console.log(describe(result.out, result.manifest))
    return 0
  } finally {
    await closePostgres()
    await closeClickhouse()
  }
}

async function main(): Promise<number> {
  let values: { out?: string; url?: string; help?: boolean }
  try {
    ;({ values } = parseArgs({ options: { out: { type: 'string' }, url: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }))
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`)
    return 2
  }
  if (values.help) {
    console.log(USAGE)
    return 0
  }
  if (!values.out) {
    console.error(`name the directory to write the backup to\n${USAGE}`)
    return 2
  }
  const out = path.resolve(values.out)
  const dataDir = path.resolve(process.env.FLIGHTLINE_DATA_DIR || './data')
  const { ownerIsAlive, parseOwner } = await import('../lib/runtime/data-lock')
  const lock = path.join(dataDir, 'flightline.lock')
  const owner = fs.existsSync(lock) ? parseOwner(fs.readFileSync(lock, 'utf8')) : undefined
  try {
    if (owner && ownerIsAlive(owner)) {
      const url = values.url ?? process.env.FLIGHTLINE_URL ?? `http://localhost:${process.env.PORT || 3000}`
      return await viaServer(url, out, owner.pid)
    }
    return await inProcess(out)
  } catch (error) {
    console.error(`backup failed: ${(error as Error).message}`)
    return 1
  }
}

// The embedded engines may keep handles open after closing; the work is done.
process.exit(await main())
