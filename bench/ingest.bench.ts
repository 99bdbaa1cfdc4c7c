// Native ingest: spans/s through POST /api/v1/spans vs a direct client insert of the same rows
// into an engine of the same kind, their ratio, answer latency at a fixed offered load, and
// bytes per span on disk.
import { openClickhouse, closeClickhouse } from '../db/clickhouse/client'
import { migrateClickhouse } from '../db/clickhouse/migrate'
import { parseEnv } from '../lib/config/env'
import { compactRow, toSpanRow } from '../lib/ingest/span-row'
import { spanInputSchema } from '../lib/ingest/span-schema'
import { percentile, rate, type BenchContext } from './harness'

const TOTAL = Number(process.env.BENCH_INGEST_SPANS ?? 200_000)
const BATCH = 1000
const CONCURRENCY = 4

/** Deterministic hex of a number (ids must look random: real ids do not compress to nothing). */
function hex(n: number, length: number): string {
  let out = ''
  let x = n + 0x9e3779b9
  while (out.length < length) {
    x = Math.imul(x ^ (x >>> 16), 0x45d9f3b)
    x = Math.imul(x ^ (x >>> 16), 0x45d9f3b)
    x ^= x >>> 16
    out += (x >>> 0).toString(16).padStart(8, '0')
  }
  return out.slice(0, length)
}

const WORDS = ['order', 'refund', 'shipping', 'invoice', 'account', 'password', 'delivery', 'warranty', 'upgrade', 'cancel', 'address', 'billing']

/** Spans with short payloads, shaped like an agent's model and tool calls. */
function shortSpans(count: number, seed: number, baseMs: number) {
  const models = ['gpt-4o', 'gpt-4o-mini', 'claude-sonnet-4-5']
  const tenants = ['acme', 'globex', 'initech', 'umbrella', 'hooli']
  return Array.from({ length: count }, (_, i) => {
    const n = seed + i
    const trace = hex((n / 8) | 0, 32)
    const isLlm = n % 8 !== 0
    const start = baseMs + n * 2
    return {
      trace_id: trace,
      span_id: hex(n + 1_000_000_007, 16),
      parent_span_id: n % 8 === 0 ? undefined : hex(n - (n % 8) + 1_000_000_007, 16),
      name: isLlm ? 'chat' : 'agent',
      kind: isLlm ? 'llm' : 'agent',
      start_time: new Date(start).toISOString(),
      end_time: new Date(start + 300 + (n % 700)).toISOString(),
      status: n % 50 === 0 ? 'error' : 'ok',
      tenant_id: tenants[n % tenants.length],
      user_id: `user-${n % 997}`,
      session_id: `session-${(n / 40) | 0}`,
      model_requested: isLlm ? models[n % 3] : undefined,
      input_tokens: isLlm ? 800 + (n % 400) : undefined,
      output_tokens: isLlm ? 100 + (n % 90) : undefined,
      cache_read_tokens: isLlm ? 500 : undefined,
      cost_usd: isLlm ? 0.001 + (n % 10) / 10_000 : undefined,
      input: isLlm ? `Question about my ${WORDS[n % 12]} ${hex(n, 6)}: can you check the ${WORDS[(n >> 3) % 12]}?` : undefined,
      output: isLlm ? `Your ${WORDS[n % 12]} ${hex(n, 6)} is handled; ${WORDS[(n >> 5) % 12]} updated.` : undefined,
    }
  })
}

async function postAll(ctx: BenchContext, spans: object[]): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < spans.length) {
      const batch = spans.slice(next, next + BATCH)
      next += BATCH
      const response = await ctx.client.sendSpans(batch)
      if (response.status !== 200) throw new Error(`ingest answered ${response.status}: ${JSON.stringify(response.json).slice(0, 300)}`)
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker))
}

export async function run(ctx: BenchContext): Promise<void> {
  const baseMs = Date.now() - 3 * 3600_000
  const spans = shortSpans(TOTAL, 0, baseMs)

  // Direct: the same rows, converted exactly as ingest converts them, inserted by the client.
  const config = parseEnv({ FLIGHTLINE_DATA_DIR: ctx.scratchDir('direct') })
  const client = await openClickhouse(config)
  await migrateClickhouse(client, { retentionDays: 30 })
  // Converted and compacted exactly as the ingest path does before its insert.
  const rows = spans.map((span) => compactRow(toSpanRow(ctx.project.id, spanInputSchema.parse(span), { maxPayloadBytes: 1 << 20 }).row))
  let started = performance.now()
  for (let i = 0; i < rows.length; i += BATCH) {
    await client.insert({ table: 'spans', values: rows.slice(i, i + BATCH), format: 'JSONEachRow' })
  }
  const directMs = performance.now() - started
  await client.command({ query: 'OPTIMIZE TABLE spans FINAL' })
  const [disk] = await (
    await client.query({
      query: `SELECT sum(bytes_on_disk) AS bytes, sum(rows) AS rows FROM system.parts WHERE database = currentDatabase() AND table = 'spans' AND active`,
      format: 'JSONEachRow',
    })
  ).json<{ bytes: string; rows: string }>()
  await closeClickhouse()

  // HTTP: the same spans through the real ingest endpoint.
  started = performance.now()
  await postAll(ctx, spans)
  const httpMs = performance.now() - started

  const directRate = (TOTAL / directMs) * 1000
  const httpRate = (TOTAL / httpMs) * 1000
  ctx.log(`spans: ${TOTAL.toLocaleString('en-US')} in requests of ${BATCH}, ${CONCURRENCY} in flight`)
  ctx.log(`HTTP ingest (POST /api/v1/spans): ${rate(TOTAL, httpMs)}`)
  ctx.log(`direct client insert (batches of ${BATCH}): ${rate(TOTAL, directMs)}`)
  ctx.log(`ratio HTTP / direct: ${(httpRate / directRate).toFixed(2)} (target >= 0.6)`)
  ctx.log(`bytes per span on disk: ${(Number(disk.bytes) / Number(disk.rows)).toFixed(1)} (target <= 150; short payloads, after merge)`)

  // Fixed offered load: 5,000 spans/s as 50 requests/s of 100 spans, open loop, 20 s.
  const seconds = Number(process.env.BENCH_LOAD_SECONDS ?? 20)
  const perRequest = 100
  const interval = 20
  const latencies: number[] = []
  const inflight: Promise<void>[] = []
  let offset = TOTAL
  const loadStart = performance.now()
  for (let i = 0; i < (seconds * 1000) / interval; i++) {
    const due = loadStart + i * interval
    const wait = due - performance.now()
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
    const batch = shortSpans(perRequest, offset, baseMs)
    offset += perRequest
    const sent = performance.now()
    inflight.push(
      ctx.client.sendSpans(batch).then((response) => {
        if (response.status !== 200) throw new Error(`ingest answered ${response.status}`)
        latencies.push(performance.now() - sent)
      }),
    )
  }
  await Promise.all(inflight)
  latencies.sort((a, b) => a - b)
  ctx.log(
    `latency at 5,000 spans/s offered (${latencies.length} requests of ${perRequest}): p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms (target p99 < 250 ms)`,
  )
}
