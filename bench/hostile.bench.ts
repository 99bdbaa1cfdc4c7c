// /api/health latency while one caller sends the heaviest requests the server accepts or refuses
// (a full 16 MB request of 50,000 spans, and bodies past each limit), with clean traffic beside
// them. Target: every health answer under 200 ms (the fuzz test checks a loose bound only).
import { nanos, otlpProtobufBody } from '../tests/ingest-bodies'
import { percentile, type BenchContext } from './harness'

const TARGET_MS = 200

function post(ctx: BenchContext, path: string, body: string | Uint8Array, contentType: string) {
  return fetch(`${ctx.baseUrl}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${ctx.project.api_key}`, 'Content-Type': contentType }, body: body as BodyInit })
}

function fullRequest(prefix: string, count: number): string {
  const start = new Date(Date.now() - 120_000).toISOString()
  const spans = Array.from({ length: count }, (_, i) => ({
    trace_id: `${prefix}-${Math.floor(i / 50)}`,
    span_id: `s${i}`,
    name: 'chat gpt-4o',
    kind: 'llm',
    start_time: start,
    model_requested: 'gpt-4o',
    input_tokens: 1200,
    input: [{ role: 'user', content: 'Where is my order? '.repeat(10) }],
    output: 'It ships tomorrow.',
  }))
  return JSON.stringify({ spans })
}

export async function run(ctx: BenchContext): Promise<void> {
  const heavy = fullRequest('heavy', 50_000)
  const now = nanos(Date.now() - 60_000)
  const hostile: Array<() => Promise<Response>> = [
    () => post(ctx, '/api/v1/spans', heavy, 'application/json'),
    () => post(ctx, '/api/v1/spans', `{"spans":[${Array(5_000_000).fill('{}').join(',')}]}`, 'application/json'),
    () => post(ctx, '/api/v1/spans', `{"spans":[${Array(1_000_000).fill('null').join(',')}]}`, 'application/json'),
    () => post(ctx, '/api/v1/spans', `{"spans":[{"trace_id":"t","span_id":"s","name":"n","start_time":"2026-01-01T00:00:00Z","input":[${Array(4_000_000).fill('0').join(',')}]}]}`, 'application/json'),
    () => post(ctx, '/v1/traces', otlpProtobufBody(Array.from({ length: 60_000 }, () => ({ traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), name: 's', startNanos: now, endNanos: now }))), 'application/x-protobuf'),
  ]
  ctx.log(`heavy native request: ${(heavy.length / 1e6).toFixed(1)} MB, 50,000 spans`)

  let done = false
  const health: number[] = []
  const probe = (async () => {
    while (!done) {
      const started = performance.now()
      await (await fetch(`${ctx.baseUrl}/api/health`)).text()
      health.push(performance.now() - started)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  })()
  const clean = (async () => {
    let n = 0
    while (!done) {
      const traceId = `clean-${n++}`
      const answer = await ctx.client.sendSpans([{ trace_id: traceId, span_id: 'a', name: 'agent', start_time: new Date(Date.now() - 60_000).toISOString() }])
      if (answer.status !== 200) throw new Error(`a clean request answered ${answer.status}`)
    }
    return n
  })()
  const started = performance.now()
  const statuses: number[] = []
  for (let round = 0; round < 3; round++) {
    for (const response of await Promise.all(hostile.map((send) => send()))) {
      statuses.push(response.status)
      await response.arrayBuffer()
    }
  }
  done = true
  await probe
  const cleanSent = await clean
  const sorted = [...health].sort((a, b) => a - b)
  ctx.log(`hostile requests: ${statuses.length} in ${((performance.now() - started) / 1000).toFixed(1)} s, statuses ${[...new Set(statuses)].join(', ')}; clean requests beside them: ${cleanSent}, all 200`)
  ctx.log(
    `health while they ran (${health.length} probes): p50 ${percentile(sorted, 50).toFixed(0)} ms, p99 ${percentile(sorted, 99).toFixed(0)} ms, max ${sorted[sorted.length - 1].toFixed(0)} ms (target max < ${TARGET_MS} ms): ${sorted[sorted.length - 1] < TARGET_MS ? 'met' : 'MISSED'}`,
  )
}
