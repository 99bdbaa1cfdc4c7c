// Fuzzing the three ways in (native JSON, OTLP/JSON, OTLP/protobuf): a few thousand mutated
// bodies (hostile values in every field, broken bytes, wrong encodings) sent concurrently with
// clean requests. No body may get a 5xx, every clean request is answered 200 and stored whole,
// and /api/health keeps answering. Seeded: FUZZ_SEED=<n> replays a run.
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createProject, startServer, type FlightlineClient, type TestServer } from '../harness'
import { nanos, otlpJsonBody, otlpProtobufBody, type OtlpKeyValue, type OtlpSpanSpec } from '../ingest-bodies'

const SEED = Number(process.env.FUZZ_SEED ?? 20261201)
const HOSTILE_BODIES = Number(process.env.FUZZ_BODIES ?? 2_000)
const CLEAN_REQUESTS = Math.max(1, Math.round(HOSTILE_BODIES / 20))
const CONCURRENCY = 16

let server: TestServer
let client: FlightlineClient
let apiKey: string

beforeAll(async () => {
  server = await startServer()
  const project = await createProject(server.url, 'fuzz')
  client = project.client
  apiKey = project.api_key
}, 120_000)

afterAll(async () => {
  await server?.stop()
})

/** mulberry32: a small seeded generator, so a failing run can be replayed. */
function generator(seed: number) {
  let state = seed >>> 0
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (n: number) => Math.floor(next() * n)
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]
  const hex = (bytes: number) => Array.from({ length: bytes }, () => int(256).toString(16).padStart(2, '0')).join('')
  return { next, int, pick, hex }
}

type Random = ReturnType<typeof generator>

// Deeply nested values travel as a placeholder string that is swapped for the nested text once
// the body is serialized (JSON.stringify itself would overflow the stack on them).
const DEEP = /"__deep_(\d+)__"/g
const nested = (depth: number) => `__deep_${depth}__`
const deepText = (depth: number) => `${'['.repeat(Number(depth))}${']'.repeat(Number(depth))}`
/** In a native body, the nested value itself; inside an OTLP string value, its text. */
const expandNative = (json: string) => json.replace(DEEP, (_, depth) => deepText(depth))
const expandInString = (json: string) => json.replace(DEEP, (_, depth) => `"${deepText(depth)}"`)

/** Values that have broken something somewhere: bad Unicode, extreme numbers and times, odd shapes. */
function hostileValue(random: Random): unknown {
  const now = Date.now()
  const values: Array<() => unknown> = [
    () => 'x\ud800',
    () => '\udc00lead',
    () => 'nul\u0000in the middle',
    () => '\u0000',
    () => '',
    () => ' ',
    () => 'é'.repeat(random.int(5000)),
    () => 'a'.repeat(70_000),
    () => '\u{1f600}'.repeat(50),
    () => '2300-01-01T00:00:00Z',
    () => '1970-01-01T00:00:00Z',
    () => '0001-01-01T00:00:00Z',
    () => '9999-12-31T23:59:59.999999999Z',
    () => '99999999999999999999',
    () => new Date(now + 3 * 86_400_000).toISOString(),
    () => new Date(now - 400 * 86_400_000).toISOString(),
    () => 'not a time',
    () => 0,
    () => -1,
    () => -0,
    () => 1e308,
    () => -1e308,
    () => 2 ** 53 + 1,
    () => 4_294_967_296,
    () => 0.1,
    () => true,
    () => null,
    () => [],
    () => {},
    () => ({ __proto__: 'x', constructor: 'y' }),
    () => ['x\ud800', { 'k\udfff': '\u0000' }],
    () => nested(200),
    () => nested(5_000),
    () => ({ [`key\ud800`]: { deep: nested(50) } }),
  ]
  return random.pick(values)()
}

const NATIVE_FIELDS = [
  'trace_id', 'span_id', 'parent_span_id', 'name', 'kind', 'start_time', 'end_time', 'status', 'status_message', 'error_type', 'tenant_id', 'user_id',
  'session_id', 'agent_name', 'model_requested', 'model_resolved', 'provider', 'input_tokens', 'output_tokens', 'cache_read_tokens', 'local_input_tokens',
  'cost_usd', 'params', 'prompt_name', 'prompt_version', 'system_prompt', 'system_prompt_hash', 'tool_name', 'retry_attempt', 'route_segment', 'fallback',
  'schema_valid', 'ttft_ms', 'tags', 'input', 'output', 'events', 'attributes', 'resource', 'unknown_field',
]

function nativeSpan(random: Random, traceId: string, index: number): Record<string, unknown> {
  const start = Date.now() - 60_000 - random.int(3_600_000)
  return {
    trace_id: traceId,
    span_id: `${traceId}-${index}`,
    parent_span_id: index === 0 ? '' : `${traceId}-0`,
    name: random.pick(['agent', 'chat gpt-4o', 'search_orders', 'rerank']),
    kind: random.pick(['agent', 'llm', 'tool', 'reranker']),
    start_time: new Date(start).toISOString(),
    end_time: new Date(start + random.int(5000)).toISOString(),
    status: random.pick(['ok', 'error', 'unset']),
    tenant_id: random.pick(['acme', 'globex', 'initech']),
    model_requested: 'gpt-4o',
    input_tokens: random.int(4000),
    output_tokens: random.int(800),
    system_prompt: random.pick(['You are helpful.', 'You are terse.']),
    input: [{ role: 'user', content: `question ${random.int(1000)}` }],
    output: `answer ${random.int(1000)}`,
    attributes: { 'app.region': random.pick(['eu', 'us']), 'app.n': random.int(10) },
    events: [{ name: 'retry', time: new Date(start + 10).toISOString() }],
  }
}

function otlpSpan(random: Random, traceId: string, index: number): OtlpSpanSpec {
  const start = Date.now() - 60_000 - random.int(3_600_000)
  const attributes: OtlpKeyValue[] = [
    { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o' } },
    { key: 'gen_ai.usage.input_tokens', value: { intValue: random.int(4000) } },
    { key: 'tenant.id', value: { stringValue: random.pick(['acme', 'globex']) } },
    { key: 'input.value', value: { stringValue: JSON.stringify([{ role: 'user', content: `q ${random.int(100)}` }]) } },
  ]
  return { traceId, spanId: random.hex(8), name: index === 0 ? 'invoke_agent' : `chat ${index}`, startNanos: nanos(start), endNanos: nanos(start + random.int(3000)), attributes }
}

/** Text-level damage: flipped, cut, inserted or repeated bytes. */
function damageBytes(random: Random, bytes: Uint8Array): Uint8Array {
  const out = Array.from(bytes)
  const edits = 1 + random.int(4)
  for (let e = 0; e < edits && out.length > 0; e++) {
    const at = random.int(out.length)
    switch (random.int(5)) {
      case 0:
        out[at] = random.int(256)
        break
      case 1:
        out.length = at
        break
      case 2:
        out.splice(at, 0, ...Array.from({ length: 1 + random.int(8) }, () => random.int(256)))
        break
      case 3:
        out.splice(at, 0, ...out.slice(at, at + random.int(64)))
        break
      default:
        out.splice(at, 1 + random.int(16))
    }
  }
  return Uint8Array.from(out)
}

function mutateNative(random: Random, spans: Record<string, unknown>[]): void {
  const mutations = 1 + random.int(4)
  for (let m = 0; m < mutations; m++) {
    const span = random.pick(spans)
    switch (random.int(6)) {
      case 0:
        delete span[random.pick(NATIVE_FIELDS)]
        break
      case 1:
        // the same span id with different content
        spans.push({ ...span, name: `changed ${random.int(100)}` })
        break
      case 2: {
        // (an earlier mutation may have replaced or removed the field)
        const attributes = span.attributes && typeof span.attributes === 'object' ? (span.attributes as Record<string, unknown>) : (span.attributes = {})
        attributes[String(hostileValue(random))] = hostileValue(random)
        break
      }
      case 3: {
        const events = Array.isArray(span.events) ? span.events : (span.events = [])
        events.push({ name: hostileValue(random), time: hostileValue(random), attributes: { a: hostileValue(random) } })
        break
      }
      default:
        span[random.pick(NATIVE_FIELDS)] = hostileValue(random)
    }
  }
}

function hostileAttribute(random: Random): OtlpKeyValue {
  const value = hostileValue(random)
  const key = typeof value === 'string' ? value : random.pick(['input.value', 'gen_ai.usage.input_tokens', 'gen_ai.request.model', 'tenant.id', 'x\ud800'])
  const encoded =
    typeof value === 'string'
      ? { stringValue: value }
      : typeof value === 'number'
        ? Number.isInteger(value)
          ? { intValue: value }
          : { doubleValue: value }
        : typeof value === 'boolean'
          ? { boolValue: value }
          : { stringValue: JSON.stringify(value) ?? '' }
  return { key, value: encoded }
}

function mutateOtlp(random: Random, spans: OtlpSpanSpec[]): void {
  const mutations = 1 + random.int(4)
  for (let m = 0; m < mutations; m++) {
    const span = random.pick(spans)
    switch (random.int(6)) {
      case 0:
        span.startNanos = random.pick([0n, 1n, nanos(Date.UTC(2300, 0, 1)), 2n ** 64n - 1n, nanos(Date.now() + 5 * 86_400_000)])
        break
      case 1:
        span.endNanos = random.pick([0n, span.startNanos - 1n, 2n ** 63n])
        break
      case 2:
        span.name = String(hostileValue(random))
        break
      case 3:
        spans.push({ ...span, name: 'duplicate id, other content' })
        break
      default:
        span.attributes = [...(span.attributes ?? []), hostileAttribute(random)]
    }
  }
}

interface Sent {
  kind: string
  status: number
  detail: string
}

function headers(contentType: string, extra: Record<string, string> = {}) {
  return { Authorization: `Bearer ${apiKey}`, 'Content-Type': contentType, ...extra }
}

async function send(path: string, body: Uint8Array | string, requestHeaders: Record<string, string>): Promise<{ status: number; text: string }> {
  const response = await fetch(`${server.url}${path}`, { method: 'POST', headers: requestHeaders, body: body as BodyInit })
  return { status: response.status, text: (await response.text()).slice(0, 300) }
}

/** One mutated request: which encoding, how it was damaged, and where it goes. */
async function hostileRequest(random: Random, n: number): Promise<Sent> {
  const traceId = `fz${n}-${random.hex(4)}`
  const encoding = random.pick(['native', 'otlp-json', 'otlp-protobuf'] as const)
  const damage = random.next() < 0.25
  const gzip = random.next() < 0.1
  let body: Uint8Array
  let contentType: string
  let path: string
  if (encoding === 'native') {
    const spans = Array.from({ length: 1 + random.int(6) }, (_, i) => nativeSpan(random, traceId, i))
    mutateNative(random, spans)
    body = Buffer.from(expandNative(JSON.stringify({ spans })))
    contentType = 'application/json'
    path = '/api/v1/spans'
  } else {
    const otlpTrace = random.hex(16)
    const spans = Array.from({ length: 1 + random.int(6) }, (_, i) => otlpSpan(random, otlpTrace, i))
    mutateOtlp(random, spans)
    body = encoding === 'otlp-json' ? Buffer.from(expandInString(otlpJsonBody(spans))) : otlpProtobufBody(spans)
    contentType = encoding === 'otlp-json' ? 'application/json' : 'application/x-protobuf'
    path = random.pick(['/v1/traces', '/api/public/otel/v1/traces'])
  }
  if (damage) body = damageBytes(random, body)
  // Now and then the wrong content type for the bytes.
  if (random.next() < 0.05) contentType = random.pick(['application/json', 'application/x-protobuf', 'text/plain'])
  const extra: Record<string, string> = {}
  if (gzip) {
    extra['Content-Encoding'] = 'gzip'
    body = random.next() < 0.3 ? damageBytes(random, gzipSync(body)) : gzipSync(body)
  }
  const answer = await send(path, body, headers(contentType, extra))
  return { kind: `${encoding}${damage ? '+damaged' : ''}${gzip ? '+gzip' : ''}`, status: answer.status, detail: answer.text }
}

interface CleanRequest {
  traceId: string
  spans: number
  answer: Promise<{ status: number; text: string }>
}

function cleanRequest(random: Random, n: number): CleanRequest {
  const count = 2 + random.int(8)
  const encoding = random.pick(['native', 'otlp-json', 'otlp-protobuf'] as const)
  if (encoding === 'native') {
    const traceId = `clean${n}-${random.hex(6)}`
    const spans = Array.from({ length: count }, (_, i) => nativeSpan(random, traceId, i))
    return { traceId, spans: count, answer: send('/api/v1/spans', JSON.stringify({ spans }), headers('application/json')) }
  }
  const traceId = random.hex(16)
  const spans = Array.from({ length: count }, (_, i) => otlpSpan(random, traceId, i))
  const body = encoding === 'otlp-json' ? otlpJsonBody(spans) : otlpProtobufBody(spans)
  return { traceId, spans: count, answer: send('/v1/traces', body, headers(encoding === 'otlp-json' ? 'application/json' : 'application/x-protobuf')) }
}

describe('ingest fuzzing', () => {
  it(`${HOSTILE_BODIES} mutated bodies with ${CLEAN_REQUESTS} clean requests among them: no 5xx, every clean span stored, health answering`, { timeout: 400_000 }, async () => {
    const random = generator(SEED)
    let healthDone = false
    const healthTimes: number[] = []
    const health = (async () => {
      while (!healthDone) {
        const started = performance.now()
        try {
          const response = await fetch(`${server.url}/api/health`)
          await response.text()
        } catch {
          // counted as slow below: a refused connection is not an answer
          healthTimes.push(Infinity)
          continue
        }
        healthTimes.push(performance.now() - started)
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    })()

    const results: Sent[] = []
    const clean: CleanRequest[] = []
    const cleanEvery = Math.floor(HOSTILE_BODIES / CLEAN_REQUESTS)
    let next = 0
    const started = performance.now()
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < HOSTILE_BODIES) {
          const n = next++
          if (n % cleanEvery === 0) {
            const request = cleanRequest(random, n)
            clean.push(request)
            await request.answer
          }
          results.push(await hostileRequest(random, n))
        }
      }),
    )
    const elapsedS = (performance.now() - started) / 1000
    healthDone = true
    await health

    const byStatus: Record<string, number> = {}
    for (const r of results) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1
    const sortedHealth = [...healthTimes].sort((a, b) => a - b)
    const p = (q: number) => sortedHealth[Math.min(sortedHealth.length - 1, Math.floor(q * sortedHealth.length))]?.toFixed(0)
    console.log(
      `fuzz seed ${SEED}: ${results.length} hostile + ${clean.length} clean requests in ${elapsedS.toFixed(1)} s; statuses ${JSON.stringify(byStatus)}; ` +
        `health ${healthTimes.length} probes, p50 ${p(0.5)} ms, p99 ${p(0.99)} ms, max ${p(1)} ms`,
    )

    const refusedByStore = results.filter((r) => r.detail.includes('not stored'))
    if (refusedByStore.length > 0) console.log(`${refusedByStore.length} answers name rows the database refused, e.g. ${refusedByStore[0].detail}`)
    const serverErrors = results.filter((r) => r.status >= 500)
    expect(serverErrors.slice(0, 5), `seed ${SEED}: ${serverErrors.length} bodies got a 5xx`).toEqual([])
    for (const request of clean) {
      const answer = await request.answer
      expect(answer, `clean request for trace ${request.traceId}`).toMatchObject({ status: 200 })
      expect(answer.text).not.toMatch(/partialSuccess|rejected/)
    }
    for (const request of clean) {
      const trace = await client.getTrace(request.traceId)
      expect(trace.status, `clean trace ${request.traceId}`).toBe(200)
      expect(trace.json.spans, `clean trace ${request.traceId}`).toHaveLength(request.spans)
    }
    // Loose on purpose (the machine is shared and tests must not flake): the strict 200 ms
    // target is measured by `npm run bench -- hostile`.
    expect(Math.max(...healthTimes)).toBeLessThan(5_000)
  })
})
