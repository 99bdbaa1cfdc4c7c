// Analytics endpoints over a week of 10 million spans on the embedded engine: the cache-thrash,
// routing, diurnal, overview, component, guardrail, reranker, retries, structured-output, tokenizer
// and energy answers, the traces list and custom charts (POST /api/v1/query) for the whole week, each
// timed over real HTTP (target: under 1 s).
//
// The dataset lives on a data directory of its own that later runs reuse
// (BENCH_ANALYTICS_DATA_DIR, default <tmp>/flightline-bench-analytics; BENCH_ANALYTICS_SPANS,
// default 10M). The first run generates it inside the engine (bench/analytics-dataset.ts, a few
// minutes; not measured) and later runs start a server on it directly.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { FlightlineClient, startServer } from '../tests/harness'
import { DATASET_VERSION, readDataset, type AnalyticsDataset } from './analytics-dataset'
import { percentile, type BenchContext } from './harness'

const SPANS = Number(process.env.BENCH_ANALYTICS_SPANS ?? 10_000_000)
const DATA_DIR = path.resolve(process.env.BENCH_ANALYTICS_DATA_DIR ?? path.join(os.tmpdir(), 'flightline-bench-analytics'))
const RUNS = 7
// BENCH_ANALYTICS_ONLY=components,traces times only the endpoints whose path contains one of them
// (charts count as "query").
const ONLY = (process.env.BENCH_ANALYTICS_ONLY ?? '').split(',').map((s) => s.trim()).filter(Boolean)
const selected = (name: string) => ONLY.length === 0 || ONLY.some((part) => name.includes(part))
const TARGET_MS = 1000

function ensureDataset(log: (line: string) => void): AnalyticsDataset {
  const existing = readDataset(DATA_DIR)
  if (existing?.spans === SPANS && existing.version === DATASET_VERSION) {
    log(`reusing ${existing.spans.toLocaleString('en-US')} spans in ${DATA_DIR} (generated ${existing.generated_at})`)
    return existing
  }
  // A dataset of an older shape is replaced, not added to.
  if (existing) fs.rmSync(DATA_DIR, { recursive: true, force: true })
  log(`generating ${SPANS.toLocaleString('en-US')} spans in ${DATA_DIR} (once; not measured)`)
  const started = Date.now()
  const tsx = path.join('node_modules', '.bin', 'tsx')
  const result = spawnSync(tsx, [path.join('bench', 'analytics-dataset.ts'), DATA_DIR, String(SPANS)], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' })
  if (result.status !== 0) throw new Error(`dataset generation failed (exit ${result.status})`)
  log(`generated in ${((Date.now() - started) / 1000).toFixed(0)} s`)
  return readDataset(DATA_DIR)!
}

export async function run(ctx: BenchContext): Promise<void> {
  const dataset = ensureDataset(ctx.log)
  const server = await startServer({ dataDir: DATA_DIR })
  try {
    const client = new FlightlineClient(server.url, dataset.api_key)
    const range = { from: dataset.from, to: dataset.to }
    const endpoints: Array<[string, Record<string, string>]> = [
      ['analytics/cache', range],
      ['analytics/routing', range],
      ['analytics/diurnal', { ...range, tz: 'America/New_York' }],
      ['analytics/overview', range],
      ['analytics/components', range],
      ['analytics/guardrails', range],
      ['analytics/rerankers', range],
      ['analytics/retries', range],
      ['analytics/structured-output', range],
      ['analytics/tokenizer', range],
      ['analytics/energy', range],
      ['traces', { ...range, limit: '50' }],
    ]
    ctx.log(`dataset: ${dataset.spans.toLocaleString('en-US')} spans, ${dataset.scores.toLocaleString('en-US')} scores, ${dataset.from} .. ${dataset.to}`)
    if (dataset.refresh_seconds !== undefined) ctx.log(`rollup refresher folded the dataset in ${dataset.refresh_seconds.toFixed(0)} s`)
    for (const table of dataset.tables ?? []) {
      ctx.log(`on disk: ${table.table} ${table.rows.toLocaleString('en-US')} rows, ${(table.bytes / 1e6).toFixed(1)} MB (${(table.bytes / dataset.spans).toFixed(1)} bytes per span)`)
    }
    for (const [name, query] of endpoints) {
      if (!selected(name)) continue
      await measure(ctx, `GET /api/v1/${name}`, () => timed(client, `/api/v1/${name}?${new URLSearchParams(query)}`))
    }
    // Custom charts (POST /api/v1/query): what dashboard widgets ask, over the same week.
    const charts: Array<[string, Record<string, unknown>]> = [
      ['p95 by model, hourly', { metric: 'p95_ms', group_by: 'model', bucket: 3600 }],
      ['cost by tenant', { metric: 'cost_usd', group_by: 'tenant_id', limit: 20 }],
      ['one tenant by tool, hourly', { metric: 'count', filters: { kind: 'tool', tenant_id: 'tenant-0' /* the busiest: tenants are skewed towards low numbers */ }, group_by: 'tool_name', bucket: 3600 }],
      ['mean score by route segment', { metric: 'score_mean', score_name: 'helpfulness', group_by: 'route_segment' }],
    ]
    for (const [name, body] of charts) {
      if (!selected('query')) continue
      await measure(ctx, `POST /api/v1/query (${name})`, () => timed(client, '/api/v1/query', { ...range, ...body }))
    }
  } finally {
    await server.stop()
  }
}

async function measure(ctx: BenchContext, name: string, request: () => Promise<{ ms: number; size: number }>): Promise<void> {
  // The first request of a fresh server also loads the engine's caches: reported apart.
  const first = await request()
  const times: number[] = []
  let bytes = 0
  for (let i = 0; i < RUNS; i++) {
    const { ms, size } = await request()
    times.push(ms)
    bytes = size
  }
  times.sort((a, b) => a - b)
  const median = percentile(times, 50)
  ctx.log(
    `${name} over 7 days: median ${median.toFixed(0)} ms, max ${times[times.length - 1].toFixed(0)} ms, first ${first.ms.toFixed(0)} ms (${RUNS} runs, ${(bytes / 1024).toFixed(0)} KiB) ${median < TARGET_MS ? 'OK' : 'OVER'} target < ${TARGET_MS} ms`,
  )
}

async function timed(client: FlightlineClient, url: string, body?: unknown): Promise<{ ms: number; size: number }> {
  const started = performance.now()
  const response = await client.request(body === undefined ? 'GET' : 'POST', url, body)
  const ms = performance.now() - started
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}: ${JSON.stringify(response.json)}`)
  return { ms, size: JSON.stringify(response.json).length }
}
