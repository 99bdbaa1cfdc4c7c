// Redaction before storage: native ingest (POST /api/v1/spans) with every built-in detector on,
// against the same ingest without rules, in alternating rounds on one server (target: within
// 20%, i.e. a ratio >= 0.8); and the in-process cost of redacting one span.
import { createProject, FlightlineClient, ADMIN_TOKEN } from '../tests/harness'
import { compileRules, DETECTORS, redactSpan, redactionPutSchema, type RedactionRule } from '../lib/recorder/redaction'
import { rate, type BenchContext } from './harness'

const TOTAL = Number(process.env.BENCH_REDACTION_SPANS ?? 100_000)
const BATCH = 500
const CONCURRENCY = 4
const ROUNDS = 4

const WORDS = ['order', 'refund', 'shipping', 'invoice', 'account', 'delivery', 'warranty', 'upgrade', 'cancel', 'address', 'billing', 'status']

/** Agent-like spans with conversation payloads; one in ten carries an email, a card number or a token. */
function spans(count: number, seed: number, baseMs: number, tag: string) {
  return Array.from({ length: count }, (_, i) => {
    const n = seed + i
    const start = baseMs + n * 2
    const secret = n % 10 === 0 ? ` Reach me at user${n}@example.com, card 4111 1111 1111 1111.` : n % 10 === 5 ? ' header Authorization: Bearer abc.def.ghi' : ''
    const words = Array.from({ length: 40 }, (_, w) => WORDS[(n + w * 7) % WORDS.length]).join(' ')
    return {
      trace_id: `${tag}${(n / 8) | 0}`,
      span_id: `s${n}`,
      name: 'chat',
      kind: 'llm',
      start_time: new Date(start).toISOString(),
      end_time: new Date(start + 400).toISOString(),
      user_id: `user-${n % 997}`,
      model_requested: 'gpt-4o',
      input_tokens: 900,
      output_tokens: 120,
      input: [
        { role: 'system', content: 'You are a support assistant for an online shop.' },
        { role: 'user', content: `Question ${n} about my ${words}.${secret}` },
      ],
      output: { role: 'assistant', content: `Your ${words} is handled, version 1.2.${n % 10}, see 10.0.${n % 250}.${n % 200}.` },
      attributes: { 'http.route': '/v1/chat', 'app.request_id': `req-${n}` },
    }
  })
}

async function postAll(client: FlightlineClient, list: object[]): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < list.length) {
      const batch = list.slice(next, next + BATCH)
      next += BATCH
      const response = await client.sendSpans(batch)
      if (response.status !== 200) throw new Error(`ingest answered ${response.status}: ${JSON.stringify(response.json).slice(0, 300)}`)
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker))
}

export async function run(ctx: BenchContext): Promise<void> {
  const redacted = await createProject(ctx.baseUrl, 'bench-redaction-on')
  const rules = DETECTORS.map((detector) => ({ detector }))
  const put = await new FlightlineClient(ctx.baseUrl, ADMIN_TOKEN).request('PUT', `/api/v1/projects/${redacted.id}/redaction`, { rules })
  if (put.status !== 200) throw new Error(`could not save rules: ${JSON.stringify(put.json)}`)

  const baseMs = Date.now() - 3 * 3600_000
  const plainSpans = spans(TOTAL, 0, baseMs, 'p')
  const redactedSpans = spans(TOTAL, 0, baseMs, 'r')
  await postAll(ctx.client, spans(4 * BATCH, 10 * TOTAL, baseMs, 'wp'))
  await postAll(redacted.client, spans(4 * BATCH, 10 * TOTAL, baseMs, 'wr'))

  let offMs = 0
  let onMs = 0
  const perRound = Math.ceil(TOTAL / ROUNDS / BATCH) * BATCH
  for (let round = 0; round < ROUNDS; round++) {
    const part = (list: object[]) => list.slice(round * perRound, (round + 1) * perRound)
    // Alternate which goes first, so a change in machine load does not decide the ratio.
    const measure = async (client: FlightlineClient, list: object[]) => {
      const started = performance.now()
      await postAll(client, part(list))
      return performance.now() - started
    }
    if (round % 2 === 0) {
      offMs += await measure(ctx.client, plainSpans)
      onMs += await measure(redacted.client, redactedSpans)
    } else {
      onMs += await measure(redacted.client, redactedSpans)
      offMs += await measure(ctx.client, plainSpans)
    }
  }

  // In-process: what redactSpan costs per span with every detector on.
  const parsed = redactionPutSchema.parse({ rules }) as RedactionRule[]
  const compiled = compileRules(parsed)
  const sample = spans(20_000, 0, baseMs, 'x')
  const started = performance.now()
  let replaced = 0
  for (const span of sample) replaced += Object.values(redactSpan(span as never, compiled).counts).reduce((a, b) => a + b, 0)
  const perSpanUs = ((performance.now() - started) * 1000) / sample.length

  ctx.log(`spans: ${TOTAL.toLocaleString('en-US')} per project in requests of ${BATCH}, ${CONCURRENCY} in flight, ${ROUNDS} alternating rounds; every built-in detector on: ${DETECTORS.join(', ')}`)
  ctx.log(`HTTP ingest without rules: ${rate(TOTAL, offMs)}`)
  ctx.log(`HTTP ingest with the built-in detectors: ${rate(TOTAL, onMs)}`)
  ctx.log(`ratio with / without: ${(offMs / onMs).toFixed(2)} (target >= 0.80: within 20%)`)
  ctx.log(`redactSpan in process: ${perSpanUs.toFixed(1)} µs per span (${replaced.toLocaleString('en-US')} values replaced in ${sample.length.toLocaleString('en-US')} spans)`)
}
