// The trace explorer at size, against the built server:
//   - GET /api/v1/traces/{id} for a 10,000-span trace (target under 1 s),
//   - the ELK layout of a 500-node call graph, as the browser's worker runs it (target under 2 s),
//   - GET /api/v1/traces list queries with 1M spans stored (target under 300 ms),
// plus the two explorer pages as a signed-in browser gets them. BENCH_EXPLORER_SPANS sizes the
// stored workload (default 1M spans of the demo generator over 7 days).
import { generateLargeTrace } from '../lib/demo'
import { httpSink } from '../lib/demo/http-sink'
import { loadDemo } from '../lib/demo/load'
import { layoutGraph, type LayoutEdge, type LayoutNode } from '../lib/graph/layout'
import { sendInBatches } from '../tests/fixtures/agent-traces'
import { ADMIN_EMAIL, ADMIN_PASSWORD, login } from '../tests/harness'
import { percentile, rate, type BenchContext } from './harness'

const STORED_SPANS = Number(process.env.BENCH_EXPLORER_SPANS ?? 1_000_000)
const RUNS = 10
const TARGET_MS = { trace: 1000, layout: 2000, list: 300 }

interface Timing {
  p50: number
  p95: number
  max: number
  bytes: number
}

/** One warm-up call, then RUNS timed calls. */
async function measure(call: () => Promise<{ status: number; bytes: number }>): Promise<Timing> {
  const first = await call()
  if (first.status !== 200) throw new Error(`answered ${first.status}`)
  const times: number[] = []
  let bytes = 0
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now()
    const answer = await call()
    times.push(performance.now() - started)
    if (answer.status !== 200) throw new Error(`answered ${answer.status}`)
    bytes = answer.bytes
  }
  times.sort((a, b) => a - b)
  return { p50: percentile(times, 50), p95: percentile(times, 95), max: times[times.length - 1], bytes }
}

function fetcher(url: string, headers: Record<string, string>) {
  return async () => {
    const response = await fetch(url, { headers })
    const body = await response.arrayBuffer()
    return { status: response.status, bytes: body.byteLength }
  }
}

function line(label: string, t: Timing, target?: number): string {
  const verdict = target === undefined ? '' : t.p50 < target ? `  (target < ${target} ms: met)` : `  (target < ${target} ms: MISSED)`
  return `${label}: p50 ${t.p50.toFixed(0)} ms, p95 ${t.p95.toFixed(0)} ms, max ${t.max.toFixed(0)} ms, ${(t.bytes / 1024).toFixed(0)} KiB${verdict}`
}

/** A 500-node graph with the shape of an aggregated call graph: a call tree plus back edges. */
function callGraph(nodeCount: number): { nodes: LayoutNode[]; edges: LayoutEdge[] } {
  let x = 0x2545f491
  const random = () => {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    return (x >>> 0) / 4294967296
  }
  const nodes = Array.from({ length: nodeCount }, (_, i) => ({ id: `n${i}`, width: 210, height: 44 }))
  const edges: LayoutEdge[] = []
  for (let i = 1; i < nodeCount; i++) edges.push({ id: `t${i}`, source: `n${Math.floor(random() * i)}`, target: `n${i}` })
  for (let i = 0; i < nodeCount * 0.3; i++) edges.push({ id: `b${i}`, source: `n${Math.floor(random() * nodeCount)}`, target: `n${Math.floor(random() * nodeCount)}` })
  return { nodes, edges: edges.filter((e) => e.source !== e.target) }
}

export async function run(ctx: BenchContext): Promise<void> {
  const auth = { Authorization: `Bearer ${ctx.project.api_key}` }
  const session = await login(ctx.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD)
  const browser = session.cookie ? { Cookie: session.cookie } : undefined

  // 1. One 10,000-span trace (the demo's runaway re-index job), read back whole: every span with
  // payloads, the summary and the graph.
  const large = generateLargeTrace({ spans: 10_000 })
  const traceId = large[0].trace_id
  await sendInBatches(ctx.baseUrl, ctx.project.api_key, large)
  const check = await ctx.client.getTrace(traceId)
  if (check.json.spans?.length !== large.length) throw new Error(`expected ${large.length} spans back, got ${check.json.spans?.length}`)
  const size = `${large.length.toLocaleString('en-US')} spans`
  ctx.log(line(`GET /api/v1/traces/{id}, ${size}`, await measure(fetcher(`${ctx.baseUrl}/api/v1/traces/${traceId}`, auth)), TARGET_MS.trace))
  if (browser) ctx.log(line(`trace page HTML, ${size}`, await measure(fetcher(`${ctx.baseUrl}/projects/${ctx.project.id}/traces/${traceId}`, browser))))

  // 2. ELK layout of a 500-node graph (the first run includes ELK's start, as a fresh worker has).
  const graph = callGraph(500)
  const layouts: number[] = []
  for (let i = 0; i < 5; i++) {
    const started = performance.now()
    await layoutGraph({ ...graph, algorithm: 'layered', direction: 'DOWN' })
    layouts.push(performance.now() - started)
  }
  const [cold, ...warm] = layouts
  warm.sort((a, b) => a - b)
  ctx.log(
    `ELK layered layout, 500 nodes / ${graph.edges.length} edges: first ${cold.toFixed(0)} ms, then p50 ${percentile(warm, 50).toFixed(0)} ms` +
      `  (target < ${TARGET_MS.layout} ms: ${cold < TARGET_MS.layout ? 'met' : 'MISSED'})`,
  )

  // 3. The list with the demo workload stored (7 days, ~60 spans per trace).
  const loaded = await loadDemo({ demo: { spans: STORED_SPANS, days: 7, seed: 7 }, sink: httpSink({ baseUrl: ctx.baseUrl, apiKey: ctx.project.api_key }), concurrency: 4 })
  ctx.log(`stored ${loaded.spansSent.toLocaleString('en-US')} spans in ${loaded.tracesSent.toLocaleString('en-US')} traces at ${rate(loaded.spansSent, loaded.elapsedMs)}`)
  // Let the cycle index catch up, so the has_cycle query sees the planted loops.
  const deadline = Date.now() + 120_000
  let cyclic = 0
  while (Date.now() < deadline) {
    cyclic = (await ctx.client.listTraces({ range: '7d', has_cycle: 'true', limit: '500' })).json.traces.length
    if (cyclic > 0) break
    await new Promise((resolve) => setTimeout(resolve, 1000))
  }
  const list = (query: Record<string, string>) => fetcher(`${ctx.baseUrl}/api/v1/traces?${new URLSearchParams({ limit: '50', ...query })}`, auth)
  const second = (await ctx.client.listTraces({ range: '7d', limit: '50' })).json.next_cursor as string
  const cases: Array<[string, Record<string, string>, number?]> = [
    ['list, last 7 days, newest first', { range: '7d' }, TARGET_MS.list],
    ['list, last 7 days, page 2 (cursor)', { range: '7d', cursor: second }, TARGET_MS.list],
    ['list, last 7 days, by cost', { range: '7d', sort: 'cost' }, TARGET_MS.list],
    ['list, last 7 days, by duration, one tenant', { range: '7d', sort: 'duration', tenant_id: 'globex' }, TARGET_MS.list],
    ['list, last 7 days, errors only, by errors', { range: '7d', errors_only: 'true', sort: 'errors' }, TARGET_MS.list],
    [`list, last 7 days, has a cycle (${cyclic}${cyclic === 500 ? '+' : ''} traces)`, { range: '7d', has_cycle: 'true' }, TARGET_MS.list],
    ['list, last 24 hours, newest first', { range: '24h' }, TARGET_MS.list],
    ['list, last 7 days, text search in payloads', { range: '7d', q: 'refund' }],
  ]
  for (const [label, query, target] of cases) ctx.log(line(label, await measure(list(query)), target))
  if (browser) ctx.log(line('traces page HTML, last 7 days', await measure(fetcher(`${ctx.baseUrl}/projects/${ctx.project.id}/traces?range=7d`, browser))))
}
