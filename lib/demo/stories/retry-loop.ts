// A planted story for the retries view: Northwind's catalogue-sync agent gets stuck in a polite
// retry loop. Its framework replays a 40k-token tool-chain prompt after every provider timeout
// (the prompt is billed each time; after the first attempt the provider's prompt cache serves all
// but its last partial block, as it would for an identical prompt replayed within minutes), with
// capped exponential backoff, for six hours: 300 attempts of one logical call, as sibling spans
// of one agent step with no retry attributes - the retries view has to infer them. It shows up as
// one runaway costing about $7, and leaves Northwind's cache hit rate where it was.
import { callCost, findPrice } from '@/lib/pricing/seed-prices'
import type { DemoPlan } from '../plan'
import { Rng } from '../prng'
import { TraceRecorder, type DemoScore, type DemoSpan } from '../recorder'
import { HOUR, MINUTE, localDay, place, tzOffsetMinutes } from '../schedule'
import { PRODUCT } from '../world'

export interface StoryTrace {
  start: number
  spans: DemoSpan[]
  scores: DemoScore[]
}

export const RETRY_LOOP = {
  tenant: 'northwind',
  agent: 'catalog-sync',
  model: 'gpt-4.1',
  attempts: 300,
  inputTokens: 40_000,
  /** Backoff doubles from 1 s and is capped here: six hours for 300 attempts in a full week. */
  capMs: 70_000,
} as const

/** When the loop starts and how long its backoff cap is, for a range (short ranges get a shorter loop). */
export function retryLoopWindow(plan: DemoPlan): { at: number; capMs: number } {
  const durationMs = Math.min(6 * HOUR, (plan.end - plan.start) * 0.3)
  const capMs = Math.max(1000, Math.min(RETRY_LOOP.capMs, durationMs / RETRY_LOOP.attempts - 2000))
  // Not on the day of the cache incident: its six hours of cached 40k-token prompts would outweigh
  // that day's traffic in the project's hit rate and hide the incident.
  const offset = tzOffsetMinutes('Europe/London', (plan.start + plan.end) / 2)
  const avoidDays = [localDay(plan.cacheIncident.onset, offset), localDay(plan.cacheIncident.recovered, offset)]
  const at = place(plan.start, plan.end, { fraction: 0.45, hour: 11, tz: 'Europe/London', weekdays: [1, 2, 3, 4], durationMs: durationMs + 30 * MINUTE, avoidDays })
  return { at, capMs }
}

export function retryLoopTrace(plan: DemoPlan): StoryTrace {
  const rng = Rng.from(plan.seed, 'story', 'retry-loop')
  const { at, capMs } = retryLoopWindow(plan)
  const rec = new TraceRecorder(rng, rng.hex(32))
  const root = rec.open(undefined, RETRY_LOOP.agent, 'agent', at, { agent_name: RETRY_LOOP.agent, input: { job: 'sync supplier catalogue', supplier: 'fjord-outdoor' }, tags: ['batch'] })
  const step = rec.open(root, 'step 3: enrich products', 'chain', at + 800, { agent_name: RETRY_LOOP.agent })
  const price = findPrice(RETRY_LOOP.model)!
  let t = at + 1000
  for (let n = 0; n < RETRY_LOOP.attempts; n++) {
    const output = rng.int(150, 260)
    // Prompt caching works in 128-token blocks past the first 1,024; the first attempt writes it.
    const cached = n === 0 ? 0 : Math.floor(RETRY_LOOP.inputTokens / 128) * 128 - 128
    const call = rec.open(step, `chat ${RETRY_LOOP.model}`, 'llm', t, {
      agent_name: RETRY_LOOP.agent,
      model_requested: RETRY_LOOP.model,
      model_resolved: `${RETRY_LOOP.model}-2025-04-14`,
      provider: 'openai',
      input_tokens: RETRY_LOOP.inputTokens,
      output_tokens: output,
      cache_read_tokens: cached,
      cost_usd: Math.round(callCost(price, { input_tokens: RETRY_LOOP.inputTokens, output_tokens: output, cache_read_tokens: cached }) * 1e8) / 1e8,
      finish_reason: 'tool_calls',
      params: { temperature: 0, max_tokens: 1024 },
      input: [{ role: 'user', content: 'Replay the enrichment tool chain for batch 17 (412 products) with the supplier feed attached.' }],
    })
    rec.fail(call, 'timeout', 'Tool chain step enrich_products timed out after 60s; replaying the chain')
    const end = rec.close(call, t + rng.logNormal(1800, 0.2))
    t = end + Math.min(1000 * 2 ** n, capMs) * rng.range(0.9, 1.1)
  }
  rec.fail(step, 'timeout', `gave up after ${RETRY_LOOP.attempts} attempts`)
  rec.close(step, t)
  rec.fail(root, 'timeout', 'catalogue sync aborted')
  rec.close(root, t + 500)
  const spans = rec.finish(0, {
    tenant_id: RETRY_LOOP.tenant,
    user_id: `${RETRY_LOOP.tenant}-svc-sync`,
    session_id: `ses_sync_${rec.traceId.slice(0, 8)}`,
    resource: { 'service.name': PRODUCT.service, 'service.version': PRODUCT.serviceVersion, 'deployment.environment': 'production' },
  })
  return { start: at, spans, scores: [] }
}
