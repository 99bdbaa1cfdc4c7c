// OTLP ingest: spans/s through POST /v1/traces (protobuf, as the OTel exporters send it) vs a
// direct client insert of the same rows into a plain MergeTree table (bench/plain-table.ts) and
// into our own spans table, in an engine of the same kind, and the ratios.
// The rows for the direct insert are made from the very same request bodies by the same
// decode -> map -> validate -> row code the server runs, so both sides store identical rows.
import Long from 'long'
import { openClickhouse, closeClickhouse } from '../db/clickhouse/client'
import { migrateClickhouse } from '../db/clickhouse/migrate'
import { parseEnv } from '../lib/config/env'
import { compactRow, toSpanRow } from '../lib/ingest/span-row'
import { spanInputSchema } from '../lib/ingest/span-schema'
import { decodeProtobuf } from '../lib/otlp/decode-protobuf'
import { ExportTraceServiceRequest } from '../lib/otlp/otlp-proto'
import { toNativeSpan } from '../lib/otlp/to-native-span'
import { rate, type BenchContext } from './harness'
import { createPlainSpansTable, PLAIN_TABLE } from './plain-table'

const TOTAL = Number(process.env.BENCH_OTLP_SPANS ?? 100_000)
/** The OTel BatchSpanProcessor's default export batch. */
const BATCH = Number(process.env.BENCH_OTLP_BATCH ?? 512)
/**
 * Exports in flight: 8 x 512 keeps about as many spans in flight as the native ingest
 * benchmark (4 x 1000). Throughput follows the spans in flight, because the server answers only
 * once each batch is written and groups concurrent requests into one insert.
 */
const CONCURRENCY = Number(process.env.BENCH_OTLP_CONCURRENCY ?? 8)
const DIRECT_BATCH = 1000
const ROUNDS = 4

function hexBytes(n: number, bytes: number): Buffer {
  const out = Buffer.alloc(bytes)
  let x = n + 0x9e3779b9
  for (let i = 0; i < bytes; i += 4) {
    x = Math.imul(x ^ (x >>> 16), 0x45d9f3b)
    x = Math.imul(x ^ (x >>> 16), 0x45d9f3b)
    x ^= x >>> 16
    out.writeUInt32BE(x >>> 0, i)
  }
  return out
}

const str = (key: string, value: string) => ({ key, value: { stringValue: value } })
const int = (key: string, value: number) => ({ key, value: { intValue: value } })
const MODELS = ['gpt-4o', 'gpt-4o-mini', 'claude-sonnet-4-5']
const TENANTS = ['acme', 'globex', 'initech', 'umbrella', 'hooli']
const WORDS = ['order', 'refund', 'shipping', 'invoice', 'account', 'password', 'delivery', 'warranty']

/** One protobuf ExportTraceServiceRequest of `count` spans: agent roots with model and tool calls beneath. */
export function requestBody(first: number, count: number, baseMs: number): Uint8Array {
  const spans = []
  for (let n = first; n < first + count; n++) {
    const root = n - (n % 8)
    const startNs = Long.fromNumber(baseMs + n * 2).multiply(1_000_000)
    const role = n % 8 === 0 ? 'agent' : n % 8 === 7 ? 'tool' : 'llm'
    const attributes =
      role === 'agent'
        ? [str('gen_ai.operation.name', 'invoke_agent'), str('gen_ai.agent.name', 'support')]
        : role === 'tool'
          ? [str('gen_ai.operation.name', 'execute_tool'), str('gen_ai.tool.name', 'lookup_order'), str('gen_ai.tool.call.id', `call-${n}`), str('gen_ai.tool.call.arguments', `{"order":"A-${n}"}`)]
          : [
              str('gen_ai.operation.name', 'chat'),
              str('gen_ai.provider.name', 'openai'),
              str('gen_ai.request.model', MODELS[n % 3]),
              str('gen_ai.response.model', `${MODELS[n % 3]}-2025`),
              int('gen_ai.usage.input_tokens', 800 + (n % 400)),
              int('gen_ai.usage.output_tokens', 100 + (n % 90)),
              int('gen_ai.usage.cache_read.input_tokens', 500),
              { key: 'gen_ai.request.temperature', value: { doubleValue: 0.2 } },
              { key: 'gen_ai.response.finish_reasons', value: { arrayValue: { values: [{ stringValue: 'stop' }] } } },
              str('gen_ai.input.messages', `[{"role":"user","parts":[{"type":"text","content":"Question about my ${WORDS[n % 8]} ${n}"}]}]`),
              str('gen_ai.output.messages', `[{"role":"assistant","parts":[{"type":"text","content":"Your ${WORDS[n % 8]} ${n} is handled."}]}]`),
            ]
    spans.push({
      traceId: hexBytes(root, 16),
      spanId: hexBytes(n + 1_000_000_007, 8),
      parentSpanId: role === 'agent' ? Buffer.alloc(0) : hexBytes(root + 1_000_000_007, 8),
      name: role === 'agent' ? 'invoke_agent support' : role === 'tool' ? 'execute_tool lookup_order' : `chat ${MODELS[n % 3]}`,
      kind: role === 'llm' ? 3 : 1,
      startTimeUnixNano: startNs,
      endTimeUnixNano: startNs.add(Long.fromNumber((300 + (n % 700)) * 1_000_000)),
      attributes: [...attributes, str('tenant.id', TENANTS[n % 5]), str('user.id', `user-${n % 997}`)],
      status: { code: n % 50 === 0 ? 2 : 1 },
    })
  }
  const message = {
    resourceSpans: [
      {
        resource: { attributes: [str('service.name', 'support-api'), str('service.version', '1.4.2'), str('deployment.environment.name', 'prod')] },
        scopeSpans: [{ scope: { name: 'bench', version: '1.0.0' }, spans }],
      },
    ],
  }
  return ExportTraceServiceRequest.encode(message).finish()
}

async function postAll(ctx: BenchContext, bodies: Uint8Array[]): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < bodies.length) {
      const body = bodies[next++]
      const response = await fetch(`${ctx.baseUrl}/v1/traces`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${ctx.project.api_key}`, 'Content-Type': 'application/x-protobuf' },
        body: new Uint8Array(body),
      })
      const answer = new Uint8Array(await response.arrayBuffer())
      if (response.status !== 200 || answer.length !== 0) throw new Error(`OTLP ingest answered ${response.status} (${answer.length} bytes of response)`)
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker))
}

/** The rows the server makes from these bodies: same decode, mapping, validation and row code. */
export async function rowsOf(projectId: string, bodies: Uint8Array[]): Promise<object[]> {
  const decoded = await Promise.all(bodies.map((body) => decodeProtobuf(body)))
  return decoded.flatMap((request) =>
    request.flatMap((rs) =>
      rs.scopeSpans.flatMap((ss) =>
        ss.spans.map((span) => compactRow(toSpanRow(projectId, spanInputSchema.parse(toNativeSpan(span, rs.resource, ss.scope, {}).span), { maxPayloadBytes: 1 << 20 }).row)),
      ),
    ),
  )
}

export async function run(ctx: BenchContext): Promise<void> {
  const baseMs = Date.now() - 3 * 3600_000
  const bodies: Uint8Array[] = []
  for (let first = 0; first < TOTAL; first += BATCH) bodies.push(requestBody(first, Math.min(BATCH, TOTAL - first), baseMs))
  const wireBytes = bodies.reduce((sum, body) => sum + body.length, 0)
  const rows = await rowsOf(ctx.project.id, bodies)

  const config = parseEnv({ FLIGHTLINE_DATA_DIR: ctx.scratchDir('otlp-direct') })
  const client = await openClickhouse(config)
  await migrateClickhouse(client, { retentionDays: 30 })
  await createPlainSpansTable(client)
  const insertDirect = async (batch: object[], table = 'spans') => {
    for (let i = 0; i < batch.length; i += DIRECT_BATCH) await client.insert({ table, values: batch.slice(i, i + DIRECT_BATCH), format: 'JSONEachRow' })
  }

  // Warm every path up on spans that are not measured.
  const warmup = Array.from({ length: 4 }, (_, i) => requestBody(TOTAL + i * BATCH, BATCH, baseMs))
  const warmRows = await rowsOf(ctx.project.id, warmup)
  await insertDirect(warmRows, PLAIN_TABLE)
  await insertDirect(warmRows)
  await postAll(ctx, warmup)

  // The machine is shared: measure in alternating rounds so that a change in load between the
  // two measurements does not decide the ratio.
  let plainMs = 0
  let directMs = 0
  let otlpMs = 0
  const perRound = Math.ceil(bodies.length / ROUNDS)
  for (let round = 0; round < ROUNDS; round++) {
    const roundBodies = bodies.slice(round * perRound, (round + 1) * perRound)
    const roundRows = rows.slice(round * perRound * BATCH, (round + 1) * perRound * BATCH)
    let started = performance.now()
    await insertDirect(roundRows, PLAIN_TABLE)
    plainMs += performance.now() - started
    started = performance.now()
    await insertDirect(roundRows)
    directMs += performance.now() - started
    started = performance.now()
    await postAll(ctx, roundBodies)
    otlpMs += performance.now() - started
  }
  await closeClickhouse()

  const otlpRate = TOTAL / otlpMs
  ctx.log(`spans: ${TOTAL.toLocaleString('en-US')} in protobuf requests of ${BATCH} (${(wireBytes / TOTAL).toFixed(0)} bytes/span on the wire), ${CONCURRENCY} in flight (${(CONCURRENCY * BATCH).toLocaleString('en-US')} spans), ${ROUNDS} alternating rounds`)
  ctx.log(`OTLP ingest (POST /v1/traces, protobuf): ${rate(TOTAL, otlpMs)}`)
  ctx.log(`plain-table insert of the same rows (MergeTree, same fields, batches of ${DIRECT_BATCH}): ${rate(TOTAL, plainMs)}`)
  ctx.log(`direct client insert of the same rows into spans (batches of ${DIRECT_BATCH}): ${rate(TOTAL, directMs)}`)
  ctx.log(`ratio OTLP / plain-table: ${(otlpRate / (TOTAL / plainMs)).toFixed(2)} (target >= 0.5)`)
  ctx.log(`ratio OTLP / direct spans: ${(otlpRate / (TOTAL / directMs)).toFixed(2)}`)
}

// `npx tsx bench/otlp.bench.ts` runs this benchmark alone (the app must be built).
if (import.meta.url === `file://${process.argv[1]}`) {
  const { withBenchServer } = await import('./harness')
  await withBenchServer('otlp', run)
}
