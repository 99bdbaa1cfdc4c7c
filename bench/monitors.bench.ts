// Ingest with monitors: spans/s through POST /api/v1/spans with no monitor enabled and with 50
// monitors enabled (every type, evaluated every FLIGHTLINE_MONITOR_INTERVAL_S = 10 s, each with a
// webhook channel to a local receiver), in alternating rounds on one server, and their ratio.
// The monitors read the traffic being ingested (its cache, components, costs, latency).
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { rate, type BenchContext } from './harness'

const TOTAL = Number(process.env.BENCH_MONITOR_SPANS ?? 160_000)
const BATCH = 1000
const CONCURRENCY = 4
const ROUNDS = 4
const MONITORS = 50
const INTERVAL_S = 10

export const server = { env: { FLIGHTLINE_MONITOR_INTERVAL_S: String(INTERVAL_S) } }

const TYPES: Array<[string, Record<string, unknown>]> = [
  ['cache_thrash', {}],
  ['cache_thrash', { bucket_s: 10, window_s: 900 }],
  ['error_spike', {}],
  ['error_spike', { component_kind: 'model', threshold: 0.5 }],
  ['latency', {}],
  ['latency', { of: 'requests', threshold_ms: 60_000 }],
  ['reentrancy', {}],
  ['cost', {}],
  ['cost', { per: 'tenant', threshold_usd: 1_000_000 }],
  ['score_drop', {}],
  ['metric', {}],
  ['metric', { series: 'p95_ms', threshold: 60_000 }],
]

let seq = 0
function spans(count: number) {
  const tenants = ['acme', 'globex', 'initech', 'umbrella', 'hooli']
  const now = Date.now()
  return Array.from({ length: count }, (_, i) => {
    const n = ++seq
    const trace = n.toString(16).padStart(32, '0')
    const start = now - 60_000 + (i % 60_000)
    const tool = n % 4 === 0
    return {
      trace_id: trace,
      span_id: (n * 7919).toString(16).padStart(16, '0').slice(-16),
      name: tool ? 'execute_tool search' : 'chat',
      kind: tool ? 'tool' : 'llm',
      tool_name: tool ? 'search' : undefined,
      start_time: new Date(start).toISOString(),
      end_time: new Date(start + 200 + (n % 900)).toISOString(),
      status: n % 50 === 0 ? 'error' : 'ok',
      tenant_id: tenants[n % tenants.length],
      model_requested: tool ? undefined : n % 3 === 0 ? 'gpt-4o' : 'gpt-4o-mini',
      input_tokens: tool ? undefined : 800 + (n % 400),
      output_tokens: tool ? undefined : 100 + (n % 90),
      cache_read_tokens: tool ? undefined : 500,
      system_prompt_hash: tool ? undefined : `prompt-${n % 5}`,
    }
  })
}

async function postAll(ctx: BenchContext, all: object[]) {
  let next = 0
  const worker = async () => {
    while (next < all.length) {
      const batch = all.slice(next, next + BATCH)
      next += BATCH
      const response = await ctx.client.sendSpans(batch)
      if (response.status !== 200) throw new Error(`ingest answered ${response.status}: ${JSON.stringify(response.json).slice(0, 300)}`)
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker))
}

export async function run(ctx: BenchContext): Promise<void> {
  let deliveries = 0
  const receiver = http.createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      deliveries++
      res.end('ok')
    })
  })
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
  const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`
  try {
    // Some history for the monitors to read, and a warm-up of the ingest path.
    await postAll(ctx, spans(20_000))
    const ids: string[] = []
    for (let i = 0; i < MONITORS; i++) {
      const [type, params] = TYPES[i % TYPES.length]
      const created = await ctx.client.request('POST', '/api/v1/monitors', { name: `bench ${i} ${type}`, type, params, enabled: false, channels: [{ type: 'webhook', url: hook, format: i % 2 ? 'slack' : 'json' }] })
      if (created.status !== 201) throw new Error(`could not create a monitor: ${JSON.stringify(created.json)}`)
      ids.push(created.json.id)
    }
    const setEnabled = async (enabled: boolean) => {
      for (const id of ids) await ctx.client.request('PATCH', `/api/v1/monitors/${id}`, { enabled })
    }
    const evaluations = async () => {
      const list = (await ctx.client.request('GET', '/api/v1/monitors')).json.monitors as Array<{ evaluations: number; state: string; last_error: string | null }>
      return { total: list.reduce((sum, m) => sum + m.evaluations, 0), broken: list.filter((m) => m.state === 'broken') }
    }

    const perRound = Math.ceil(TOTAL / ROUNDS / BATCH) * BATCH
    let offMs = 0
    let onMs = 0
    let evaluatedWhileOn = 0
    for (let round = 0; round < ROUNDS; round++) {
      // Off and on alternate, each first in every other round, so a drift in machine load is shared.
      for (const enabled of round % 2 === 0 ? [false, true] : [true, false]) {
        await setEnabled(enabled)
        const before = (await evaluations()).total
        const batch = spans(perRound)
        const started = performance.now()
        await postAll(ctx, batch)
        const ms = performance.now() - started
        if (enabled) {
          onMs += ms
          evaluatedWhileOn += (await evaluations()).total - before
        } else offMs += ms
      }
    }
    await setEnabled(false)
    const { broken } = await evaluations()
    const count = perRound * ROUNDS
    ctx.log(`spans: ${count.toLocaleString('en-US')} per condition in requests of ${BATCH}, ${CONCURRENCY} in flight, ${ROUNDS} alternating rounds`)
    ctx.log(`HTTP ingest, no monitor enabled: ${rate(count, offMs)}`)
    ctx.log(`HTTP ingest, ${MONITORS} monitors enabled (every ${INTERVAL_S} s): ${rate(count, onMs)}`)
    ctx.log(`ratio with / without monitors: ${(offMs / onMs).toFixed(2)} (target >= 0.95)`)
    ctx.log(`monitor evaluations during the enabled rounds: ${evaluatedWhileOn} in ${(onMs / 1000).toFixed(1)} s; webhook deliveries: ${deliveries}; broken monitors: ${broken.length}${broken.length ? ` (${broken[0].last_error})` : ''}`)
  } finally {
    await new Promise<void>((resolve) => receiver.close(() => resolve()))
  }
}
