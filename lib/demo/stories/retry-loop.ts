// A planted story for the retries view: Northwind's catalogue-sync agent gets stuck in a polite
// retry loop. Its framework replays a 40k-token tool-chain prompt after every provider timeout
// (the prompt is billed each time), with capped exponential backoff, for six hours: 300 attempts
// of one logical call, as sibling spans of one agent step with no retry attributes - the
// retries view has to infer them. It shows up as one runaway costing about $7 (the replays hit the
// provider's prompt cache, so the loop leaves the cache view's hit rate alone).
import { callCost, findPrice } from '@/lib/pricing/seed-prices'
import type { DemoPlan } from '../plan'
import { Rng } from '../prng'
import { TraceRecorder, type DemoScore, type DemoSpan } from '../recorder'
import { HOUR, localDay, MINUTE, place, tzOffsetMinutes } from '../schedule'
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
  /** Of which read from the provider's prompt cache on every replay after the first. */
  cachedTokens: 38_400,
  /** Backoff doubles from 1 s and is capped here: six hours for 300 attempts in a full week. */
  capMs: 70_000,
} as const

/** When the loop starts and how long its backoff cap is, for a range (short ranges get a shorter loop). */
export function retryLoopWindow(plan: DemoPlan): { at: number; capMs: number } {
  const durationMs = Math.min(6 * HOUR, (plan.end - plan.start) * 0.3)
  const capMs = Math.max(1000, Math.min(RETRY_LOOP.capMs, durationMs / RETRY_LOOP.attempts - 2000))
  // Not on or next to the days of the cache incident: the loop's millions of (mostly cached) input
  // tokens would move the organisation's token-weighted hit rate while that story plays. And, when
  // the range leaves room, not in its last day and a half, where the components view (last 24 hours
  // against the 24 before) tells the search outage with every model healthy.
  const london = tzOffsetMinutes('Europe/London', (plan.start + plan.end) / 2)
  const incidentDays = [localDay(plan.cacheIncident.onset, london), localDay(plan.cacheIncident.recovered, london)].flatMap((day) => [day - 1, day, day + 1])
  const lastDays: number[] = []
  for (let day = localDay(plan.end - 36 * HOUR, london); day <= localDay(plan.end, london); day++) lastDays.push(day)
  const placement = { fraction: 0.45, hour: 11, tz: 'Europe/London', weekdays: [1, 2, 3, 4, 5], durationMs: durationMs + 30 * MINUTE }
  const placed = (avoidDays: number[]) => {
    const at = place(plan.start, plan.end, { ...placement, avoidDays })
    // place() falls back to an avoided day when every other one is taken.
    return avoidDays.includes(localDay(at, london)) ? undefined : at
  }
  const at = placed([...incidentDays, ...lastDays]) ?? placed(incidentDays) ?? place(plan.start, plan.end, placement)
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
    // Every replay sends the same prompt within the provider cache's lifetime: all but its tail
    // is read from the cache (and still billed, at the cache-read price).
    const cacheRead = n === 0 ? 0 : RETRY_LOOP.cachedTokens
    const call = rec.open(step, `chat ${RETRY_LOOP.model}`, 'llm', t, {
      agent_name: RETRY_LOOP.agent,
      model_requested: RETRY_LOOP.model,
      model_resolved: `${RETRY_LOOP.model}-2025-04-14`,
      provider: 'openai',
      input_tokens: RETRY_LOOP.inputTokens,
      cache_read_tokens: cacheRead,
      output_tokens: output,
      cost_usd: Math.round(callCost(price, { input_tokens: RETRY_LOOP.inputTokens, cache_read_tokens: cacheRead, output_tokens: output }) * 1e8) / 1e8,
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
