// Shared benchmark harness: starts the built server on a fresh data directory, creates a
// project, and gives each benchmark module a context. Every number a benchmark prints is
// measured in this one run on this machine; ratios compare measurements of the same run.
import fs from 'node:fs'
import { closeClickhouse, openClickhouse } from '../db/clickhouse/client'
import { migrateClickhouse } from '../db/clickhouse/migrate'
import { parseEnv } from '../lib/config/env'
import { createProject, startServer, tempDataDir, type FlightlineClient, type TestServer } from '../tests/harness'

export interface BenchContext {
  baseUrl: string
  server: TestServer
  project: { id: string; api_key: string }
  client: FlightlineClient
  /** Prints one result line, prefixed with the benchmark's name. */
  log: (line: string) => void
  /** A scratch directory for this benchmark (removed afterwards unless BENCH_KEEP=1). */
  scratchDir: (label: string) => string
}

export interface BenchModule {
  run: (ctx: BenchContext) => Promise<void>
  /** How the module's server is started (default: no gRPC, default settings). */
  server?: { grpc?: boolean; env?: Record<string, string> }
}

export async function withBenchServer<T>(
  name: string,
  body: (ctx: BenchContext) => Promise<T>,
  env: Record<string, string> = {},
  options: { grpc?: boolean } = {},
): Promise<T> {
  const dirs: string[] = []
  const scratchDir = (label: string) => {
    const dir = tempDataDir(`bench-${label}`)
    dirs.push(dir)
    return dir
  }
  const server = await startServer({ dataDir: scratchDir('server'), env, grpc: options.grpc })
  try {
    const project = await createProject(server.url, `bench-${name}`)
    return await body({
      baseUrl: server.url,
      server,
      project: { id: project.id, api_key: project.api_key },
      client: project.client,
      log: (line) => console.log(`[${name}] ${line}`),
      scratchDir,
    })
  } catch (error) {
    // What the server said last, for a failure that is the server's (a crash, a 500).
    console.error(`[${name}] server output (last 3000 characters):\n${server.output().slice(-3000)}`)
    throw error
  } finally {
    await server.stop()
    if (process.env.BENCH_KEEP !== '1') for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true })
  }
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[index]
}

export function rate(count: number, ms: number): string {
  return `${Math.round((count / ms) * 1000).toLocaleString('en-US')}/s`
}

/** An embedded engine of the same kind as the server's, on a scratch directory, for direct inserts into spans. */
export async function directSpansInserter(ctx: BenchContext, label: string, batchRows = 1000) {
  const client = await openClickhouse(parseEnv({ FLIGHTLINE_DATA_DIR: ctx.scratchDir(label) }))
  await migrateClickhouse(client, { retentionDays: 30 })
  return {
    insert: async (rows: object[]) => {
      for (let i = 0; i < rows.length; i += batchRows) await client.insert({ table: 'spans', values: rows.slice(i, i + batchRows), format: 'JSONEachRow' })
    },
    close: () => closeClickhouse(),
  }
}

/**
 * Times two paths in alternating rounds (the machine is shared: a change in load between two
 * measurements must not decide their ratio). Returns the summed milliseconds of each.
 */
export async function alternatingRounds(rounds: number, direct: (round: number) => Promise<void>, measured: (round: number) => Promise<void>) {
  let directMs = 0
  let measuredMs = 0
  for (let round = 0; round < rounds; round++) {
    let started = performance.now()
    await direct(round)
    directMs += performance.now() - started
    started = performance.now()
    await measured(round)
    measuredMs += performance.now() - started
  }
  return { directMs, measuredMs }
}
