// The other ways in against a direct client insert of the rows they end up as, measured in
// alternating rounds of one run:
//   OTLP/gRPC     spans/s through TraceService/Export (the same protobuf bodies as otlp.bench.ts,
//                 a real grpc-js client, 8 exports of 512 in flight);
//   Langfuse      observations/s through POST /api/public/ingestion (batches of 100 events as the
//                 langfuse SDK sends them: a generation-create and its generation-update per
//                 observation). The request path stores parts; the promoter writes the spans
//                 rows off the request path, so this is the rate an SDK is answered at.
import { Client, Metadata, credentials } from '@grpc/grpc-js'
import { alternatingRounds, directSpansInserter, rate, type BenchContext } from './harness'
import { requestBody, rowsOf } from './otlp.bench'

const GRPC_SPANS = Number(process.env.BENCH_GRPC_SPANS ?? 50_000)
const LANGFUSE_OBSERVATIONS = Number(process.env.BENCH_LANGFUSE_OBSERVATIONS ?? 20_000)
const BATCH = 512
const CONCURRENCY = 8
/** Events per ingestion request (the SDK's default flushAt is 15; 100 is a busy service). */
const LANGFUSE_BATCH = 100
const LANGFUSE_CONCURRENCY = 4
const DIRECT_BATCH = 1000
const ROUNDS = 4

export const server = { grpc: true }

function grpcExportAll(port: number, key: string, bodies: Uint8Array[]): Promise<void> {
  const client = new Client(`127.0.0.1:${port}`, credentials.createInsecure())
  const metadata = new Metadata()
  metadata.set('authorization', `Bearer ${key}`)
  let next = 0
  const worker = async () => {
    while (next < bodies.length) {
      const body = Buffer.from(bodies[next++])
      await new Promise<void>((resolve, reject) =>
        client.makeUnaryRequest(
          '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
          (value: Buffer) => value,
          (value: Buffer) => value,
          body,
          metadata,
          (error, response) => (error ? reject(error) : response && response.length > 0 ? reject(new Error(`partial success: ${response.length} bytes`)) : resolve()),
        ),
      )
    }
  }
  return Promise.all(Array.from({ length: CONCURRENCY }, worker)).then(() => client.close())
}

/** Langfuse batches: per observation a generation-create and its generation-update. */
function langfuseBatches(first: number, count: number, baseMs: number): string[] {
  const events: object[] = []
  for (let n = first; n < first + count; n++) {
    const traceId = `lf-trace-${Math.floor(n / 4)}`
    const start = new Date(baseMs + n * 2).toISOString()
    const end = new Date(baseMs + n * 2 + 800).toISOString()
    events.push({
      id: `ev-${n}-c`,
      type: 'generation-create',
      timestamp: start,
      body: { id: `obs-${n}`, traceId, name: 'answer', startTime: start, model: 'gpt-4o-mini', modelParameters: { temperature: 0.2 }, input: [{ role: 'user', content: `Question ${n} about my order` }] },
    })
    events.push({
      id: `ev-${n}-u`,
      type: 'generation-update',
      timestamp: end,
      body: { id: `obs-${n}`, traceId, endTime: end, output: { role: 'assistant', content: `Order ${n} ships today.` }, usageDetails: { input: 300, cache_read_input_tokens: 500, output: 60 } },
    })
  }
  const bodies: string[] = []
  for (let i = 0; i < events.length; i += LANGFUSE_BATCH) bodies.push(JSON.stringify({ batch: events.slice(i, i + LANGFUSE_BATCH), metadata: { sdk_name: 'bench' } }))
  return bodies
}

async function postLangfuse(ctx: BenchContext, bodies: string[]): Promise<void> {
  const auth = `Basic ${Buffer.from(`pk-lf-bench:${ctx.project.api_key}`).toString('base64')}`
  let next = 0
  const worker = async () => {
    while (next < bodies.length) {
      const response = await fetch(`${ctx.baseUrl}/api/public/ingestion`, { method: 'POST', headers: { Authorization: auth, 'Content-Type': 'application/json' }, body: bodies[next++] })
      const answer = (await response.json()) as { errors?: unknown[] }
      if (response.status !== 207 || (answer.errors?.length ?? 1) > 0) throw new Error(`Langfuse ingestion answered ${response.status}: ${JSON.stringify(answer).slice(0, 300)}`)
    }
  }
  await Promise.all(Array.from({ length: LANGFUSE_CONCURRENCY }, worker))
}

/** The spans rows Langfuse observations become: one llm row each, the same columns as the promoter writes. */
function langfuseRows(projectId: string, first: number, count: number, baseMs: number): object[] {
  const rows: object[] = []
  for (let n = first; n < first + count; n++) {
    const start = new Date(baseMs + n * 2).toISOString().replace('T', ' ').replace('Z', '000000')
    const end = new Date(baseMs + n * 2 + 800).toISOString().replace('T', ' ').replace('Z', '000000')
    rows.push({
      project_id: projectId,
      trace_id: `lf-trace-${Math.floor(n / 4)}`,
      span_id: `obs-${n}`,
      parent_span_id: `lf-trace-${Math.floor(n / 4)}`,
      name: 'answer',
      kind: 'llm',
      start_time: start,
      end_time: end,
      duration_ms: 800,
      model_requested: 'gpt-4o-mini',
      input_tokens: 800,
      output_tokens: 60,
      cache_read_tokens: 500,
      temperature: 0.2,
      params: '{"temperature":0.2}',
      input: `[{"role":"user","content":"Question ${n} about my order"}]`,
      output: `{"role":"assistant","content":"Order ${n} ships today."}`,
      attributes: { 'langfuse.metadata': '{}' },
    })
  }
  return rows
}

export async function run(ctx: BenchContext): Promise<void> {
  if (!ctx.server.grpcPort) throw new Error('the bench server has no gRPC port')
  const baseMs = Date.now() - 3 * 3600_000
  const bodies: Uint8Array[] = []
  for (let first = 0; first < GRPC_SPANS; first += BATCH) bodies.push(requestBody(first, Math.min(BATCH, GRPC_SPANS - first), baseMs))
  const rows = await rowsOf(ctx.project.id, bodies)

  const direct = await directSpansInserter(ctx, 'ways-in-direct', DIRECT_BATCH)

  // Warm-up on spans and observations that are not measured.
  const warmup = Array.from({ length: 4 }, (_, i) => requestBody(GRPC_SPANS + i * BATCH, BATCH, baseMs))
  await direct.insert(await rowsOf(ctx.project.id, warmup))
  await grpcExportAll(ctx.server.grpcPort, ctx.project.api_key, warmup)
  await postLangfuse(ctx, langfuseBatches(10_000_000, 500, baseMs))

  const perRound = Math.ceil(bodies.length / ROUNDS)
  const { directMs, measuredMs: grpcMs } = await alternatingRounds(
    ROUNDS,
    (round) => direct.insert(rows.slice(round * perRound * BATCH, (round + 1) * perRound * BATCH)),
    (round) => grpcExportAll(ctx.server.grpcPort, ctx.project.api_key, bodies.slice(round * perRound, (round + 1) * perRound)),
  )
  ctx.log(`OTLP/gRPC: ${GRPC_SPANS.toLocaleString('en-US')} spans in exports of ${BATCH}, ${CONCURRENCY} in flight, ${ROUNDS} alternating rounds`)
  ctx.log(`OTLP/gRPC ingest (TraceService/Export): ${rate(GRPC_SPANS, grpcMs)}`)
  ctx.log(`direct client insert of the same rows: ${rate(GRPC_SPANS, directMs)}`)
  ctx.log(`ratio gRPC / direct: ${(directMs / grpcMs).toFixed(2)}`)

  const perLfRound = Math.ceil(LANGFUSE_OBSERVATIONS / ROUNDS)
  const lfRounds = Array.from({ length: ROUNDS }, (_, round) => {
    const first = round * perLfRound
    const count = Math.min(perLfRound, LANGFUSE_OBSERVATIONS - first)
    return { rows: langfuseRows(ctx.project.id, first, count, baseMs), bodies: langfuseBatches(first, count, baseMs) }
  })
  const { directMs: lfDirectMs, measuredMs: lfMs } = await alternatingRounds(
    ROUNDS,
    (round) => direct.insert(lfRounds[round].rows),
    (round) => postLangfuse(ctx, lfRounds[round].bodies),
  )
  await direct.close()
  ctx.log(`Langfuse: ${LANGFUSE_OBSERVATIONS.toLocaleString('en-US')} observations (create + update each) in batches of ${LANGFUSE_BATCH} events, ${LANGFUSE_CONCURRENCY} in flight`)
  ctx.log(`Langfuse ingestion (POST /api/public/ingestion): ${rate(LANGFUSE_OBSERVATIONS, lfMs)} observations (${rate(LANGFUSE_OBSERVATIONS * 2, lfMs)} events)`)
  ctx.log(`direct client insert of the rows they become: ${rate(LANGFUSE_OBSERVATIONS, lfDirectMs)}`)
  ctx.log(`ratio Langfuse / direct: ${(lfDirectMs / lfMs).toFixed(2)}`)
}

// `npx tsx bench/ways-in.bench.ts` runs this benchmark alone (the app must be built).
if (import.meta.url === `file://${process.argv[1]}`) {
  const { withBenchServer } = await import('./harness')
  await withBenchServer('ways-in', run, {}, server)
}
