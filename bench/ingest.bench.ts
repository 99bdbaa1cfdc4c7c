// Native ingest: spans/s through POST /api/v1/spans vs a direct client insert of the same rows
// into a plain MergeTree table (bench/plain-table.ts) and into our own spans table, in an engine
// of the same kind; their ratios; what the re-send check costs per batch; answer latency at a
// fixed offered load; and bytes per span on disk.
import fs from 'node:fs'
import { openClickhouse, closeClickhouse } from '../db/clickhouse/client'
import { migrateClickhouse } from '../db/clickhouse/migrate'
import { parseEnv } from '../lib/config/env'
import { compactRow, toSpanRow } from '../lib/ingest/span-row'
import { spanInputSchema } from '../lib/ingest/span-schema'
import { findStoredSpanKeys, type SpanKey } from '../db/clickhouse/queries/existing-rows'
import { percentile, rate, type BenchContext } from './harness'
import { createPlainSpansTable, PLAIN_TABLE } from './plain-table'

const TOTAL = Number(process.env.BENCH_INGEST_SPANS ?? 200_000)
const BATCH = 1000
const CONCURRENCY = 4
const ROUNDS = 4

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

  // Direct: the same rows, converted and compacted exactly as ingest does before its insert.
  const config = parseEnv({ FLIGHTLINE_DATA_DIR: ctx.scratchDir('direct') })
  const client = await openClickhouse(config)
  await migrateClickhouse(client, { retentionDays: 30 })
  await createPlainSpansTable(client)
  const rows = spans.map((span) => compactRow(toSpanRow(ctx.project.id, spanInputSchema.parse(span), { maxPayloadBytes: 1 << 20 }).row))
  const insertAll = async (table: string, part: object[]) => {
    for (let i = 0; i < part.length; i += BATCH) await client.insert({ table, values: part.slice(i, i + BATCH), format: 'JSONEachRow' })
  }
  // Warm every path up on spans that are not measured.
  const warmup = shortSpans(4 * BATCH, 10 * TOTAL, baseMs)
  const warmupRows = warmup.map((span) => compactRow(toSpanRow(ctx.project.id, spanInputSchema.parse(span), { maxPayloadBytes: 1 << 20 }).row))
  await insertAll(PLAIN_TABLE, warmupRows)
  await insertAll('spans', warmupRows)
  await postAll(ctx, warmup)

  // The machine is shared: alternating rounds, so a change in load between measurements does
  // not decide a ratio. The re-send check runs against the direct spans table as it fills.
  let plainMs = 0
  let directMs = 0
  let httpMs = 0
  let checkMs = 0
  let checks = 0
  const perRound = Math.ceil(TOTAL / ROUNDS / BATCH) * BATCH
  for (let round = 0; round < ROUNDS; round++) {
    const roundSpans = spans.slice(round * perRound, (round + 1) * perRound)
    const roundRows = rows.slice(round * perRound, (round + 1) * perRound)
    let started = performance.now()
    await insertAll(PLAIN_TABLE, roundRows)
    plainMs += performance.now() - started
    started = performance.now()
    await insertAll('spans', roundRows)
    directMs += performance.now() - started
    for (let i = 0; i < roundRows.length; i += 10 * BATCH) {
      started = performance.now()
      await findStoredSpanKeys(roundRows.slice(i, i + BATCH) as SpanKey[])
      checkMs += performance.now() - started
      checks++
    }
    started = performance.now()
    await postAll(ctx, roundSpans)
    httpMs += performance.now() - started
  }
  await client.command({ query: 'OPTIMIZE TABLE spans FINAL' })
  const [disk] = await (
    await client.query({
      query: `SELECT sum(bytes_on_disk) AS bytes, sum(rows) AS rows FROM system.parts WHERE database = currentDatabase() AND table = 'spans' AND active`,
      format: 'JSONEachRow',
    })
  ).json<{ bytes: string; rows: string }>()
  const largeBytes = await bytesPerLargeSpan(client, ctx.project.id, baseMs)
  await closeClickhouse()

  const plainRate = (TOTAL / plainMs) * 1000
  const httpRate = (TOTAL / httpMs) * 1000
  ctx.log(`spans: ${TOTAL.toLocaleString('en-US')} in requests of ${BATCH}, ${CONCURRENCY} in flight, server inserts in flight: ${process.env.FLIGHTLINE_INSERTS_IN_FLIGHT ?? 'default'}, ${ROUNDS} alternating rounds`)
  ctx.log(`HTTP ingest (POST /api/v1/spans): ${rate(TOTAL, httpMs)}`)
  ctx.log(`plain-table insert (MergeTree, same fields, batches of ${BATCH}): ${rate(TOTAL, plainMs)}`)
  ctx.log(`direct client insert into spans (batches of ${BATCH}): ${rate(TOTAL, directMs)}`)
  ctx.log(`ratio HTTP / plain-table: ${(httpRate / plainRate).toFixed(2)} (target >= 0.6)`)
  ctx.log(`ratio HTTP / direct spans: ${(httpRate / ((TOTAL / directMs) * 1000)).toFixed(2)}`)
  ctx.log(
    `re-send check by lookup in spans, per batch of ${BATCH}: ${(checkMs / checks).toFixed(1)} ms (insert of the batch: ${((directMs / TOTAL) * BATCH).toFixed(1)} ms; the embedded engine skips it for spans its recent keys vouch for)`,
  )
  ctx.log(`bytes per span on disk: ${(Number(disk.bytes) / Number(disk.rows)).toFixed(1)} (target <= 150; short payloads, after merge)`)
  ctx.log(`bytes per span on disk with large payloads (~${LARGE_INPUT_BYTES / 1000} KB input, ~${LARGE_OUTPUT_BYTES / 1000} KB output): ${largeBytes.toFixed(0)}`)

  // Fixed offered load: 5,000 spans/s as 50 requests/s of 100 spans, open loop, 20 s.
  const seconds = Number(process.env.BENCH_LOAD_SECONDS ?? 20)
  const perRequest = 100
  const interval = 20
  const latencies: number[] = []
  const inflight: Promise<void>[] = []
  let offset = TOTAL
  const rss = sampleRss(ctx.server.process.pid!)
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
  await Promise.all(inflight).finally(() => rss.stop())
  const memory = rss.stop()
  latencies.sort((a, b) => a - b)
  ctx.log(
    `latency at 5,000 spans/s offered (${latencies.length} requests of ${perRequest}): p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms (target p99 < 250 ms)`,
  )
  ctx.log(`server memory (RSS) during that load: ${memory.first.toFixed(0)} MB at the start, ${memory.max.toFixed(0)} MB at most, ${memory.last.toFixed(0)} MB at the end`)
}

const LARGE_INPUT_BYTES = 4000
const LARGE_OUTPUT_BYTES = 1000

/** Bytes per span on disk (after merge) of 20,000 model calls with conversation-sized payloads. */
async function bytesPerLargeSpan(client: Awaited<ReturnType<typeof openClickhouse>>, projectId: string, baseMs: number): Promise<number> {
  await client.command({ query: 'CREATE TABLE spans_large AS spans' })
  const count = 20_000
  const text = (n: number, bytes: number) => {
    let out = ''
    for (let i = 0; out.length < bytes; i++) out += `${WORDS[(n * 7 + i * 3) % 12]} ${hex(n * 31 + i, 8)} ${i % 5 === 0 ? 'please check the status of my request. ' : ''}`
    return out.slice(0, bytes)
  }
  const rows = shortSpans(count, 50 * TOTAL, baseMs).map((span, i) =>
    compactRow(toSpanRow(projectId, spanInputSchema.parse({ ...span, kind: 'llm', input: text(i, LARGE_INPUT_BYTES), output: text(i + 1, LARGE_OUTPUT_BYTES) }), { maxPayloadBytes: 1 << 20 }).row),
  )
  for (let i = 0; i < rows.length; i += BATCH) await client.insert({ table: 'spans_large', values: rows.slice(i, i + BATCH), format: 'JSONEachRow' })
  await client.command({ query: 'OPTIMIZE TABLE spans_large FINAL' })
  const [disk] = await (
    await client.query({
      query: `SELECT sum(bytes_on_disk) AS bytes, sum(rows) AS rows FROM system.parts WHERE database = currentDatabase() AND table = 'spans_large' AND active`,
      format: 'JSONEachRow',
    })
  ).json<{ bytes: string; rows: string }>()
  return Number(disk.bytes) / Number(disk.rows)
}

/** Samples a process's resident memory (MB) every 500 ms until stopped (NaN once it is gone). */
function sampleRss(pid: number) {
  const read = () => {
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))
      return match ? Number(match[1]) / 1024 : NaN
    } catch {
      return NaN
    }
  }
  const samples = [read()]
  const timer = setInterval(() => samples.push(read()), 500)
  timer.unref()
  return {
    stop: () => {
      clearInterval(timer)
      samples.push(read())
      return { first: samples[0], max: Math.max(...samples.filter(Number.isFinite)), last: samples[samples.length - 1] }
    },
  }
}
