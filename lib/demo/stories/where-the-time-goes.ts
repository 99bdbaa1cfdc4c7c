// The demo's "where the time goes" stories (docs/demo.md), kept apart from the trace shapes they
// hook into (traces.ts calls them at three points):
//
// - The safety path: a refused request runs a refusal detector, reformulates the prompt and asks
//   the model again, with output moderation after it: the slowest path of all.
// - The silent reranker: the retriever returns ten documents and the reranker keeps five. Mid-week
//   the serving reranker is swapped for a lite model whose scores are squeezed together and that
//   agrees much less with the retriever; answers get a little worse and nothing else changes.
// - The search outage: in the last hours of the range, the knowledge-base search loses an index
//   replica and times out on almost every call, while models and providers stay healthy.
//
// Every draw here is made from the trace's own random stream, so the stories change nothing
// outside the traces they touch.
import { callModel, type CallContext } from '../model-call'
import type { DemoPlan } from '../plan'
import type { SpanNode } from '../recorder'
import { HOUR, MINUTE } from '../schedule'
import { guardrails } from '../traces'
import { MODELS, RERANK_MODEL, sha256Hex, type GuardLayer, type ModelSpec, type SystemPrompt } from '../world'

export const LITE_RERANK_MODEL = { requested: 'rerank-lite-v1', provider: 'cohere' } as const

export interface WhereTheTimeGoesPlan {
  /** The reranker swap: rerank-v3.5 until `at`, the lite model after it. */
  rerankerSwap: { at: number; from: string; to: string }
  /** kb.search times out on `share` of its calls from `start` to the end of the range. */
  searchOutage: { start: number; end: number; share: number }
}

/** When the stories happen in a plan's range: the swap in the middle, the outage in the last 4 hours. */
export function whereTheTimeGoes(plan: DemoPlan): WhereTheTimeGoesPlan {
  const span = plan.end - plan.start
  const swap = Math.floor((plan.start + span * 0.5) / HOUR) * HOUR + 17 * MINUTE
  const outageHours = Math.min(4, span / HOUR / 8)
  return {
    rerankerSwap: { at: swap, from: RERANK_MODEL.requested, to: LITE_RERANK_MODEL.requested },
    searchOutage: { start: Math.floor((plan.end - outageHours * HOUR) / MINUTE) * MINUTE + 12 * MINUTE, end: plan.end, share: 0.96 },
  }
}

/** Whether this kb.search call times out (the outage), decided from the trace's stream. */
export function searchTimesOut(ctx: CallContext, at: number): boolean {
  const { searchOutage } = whereTheTimeGoes(ctx.plan)
  return at >= searchOutage.start && at < searchOutage.end && ctx.rng.chance(searchOutage.share)
}

export interface RetrievedDocument {
  id: string
  title: string
  score: number
}

/** Five more, less similar documents after the retriever's first five (it returns ten). */
export function deeperDocuments(ctx: CallContext, docs: readonly RetrievedDocument[], index: string): RetrievedDocument[] {
  const { rng } = ctx
  const last = docs[docs.length - 1]?.score ?? 0.72
  return Array.from({ length: 5 }, (_, i) => ({
    id: `${index}:doc-${rng.int(100, 9999)}`,
    title: rng.pick(['Gift cards', 'Warehouse locations', 'Careers', 'Press kit', 'Accessibility statement']),
    score: Math.round((last - 0.02 * (i + 1) + rng.normal(0, 0.01)) * 1000) / 1000,
  }))
}

export interface Reranking {
  model: { requested: string; provider: string }
  /** The five documents kept, best first, with their relevance scores. */
  kept: Array<{ id: string; title: string; relevance_score: number }>
}

/**
 * The serving reranker's top five of the retriever's ten. Before the swap: mostly the retriever's
 * own top five, now and then one document promoted from deeper, scores spread from `top` down.
 * After it: picks from anywhere in the ten, scores squeezed around 0.6.
 */
export function rerank(ctx: CallContext, docs: readonly RetrievedDocument[], top: number, at: number): Reranking {
  const { rng } = ctx
  const lite = at >= whereTheTimeGoes(ctx.plan).rerankerSwap.at
  const order = docs.map((_, i) => i)
  if (lite) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.int(0, i)
      ;[order[i], order[j]] = [order[j], order[i]]
    }
  } else {
    if (rng.chance(0.3)) [order[3], order[4]] = [order[4], order[3]]
    if (rng.chance(0.2)) [order[4], order[5 + rng.int(0, 1)]] = [order[5 + rng.int(0, 1)], order[4]]
  }
  const liteTop = 0.62 + rng.normal(0, 0.015)
  const kept = order.slice(0, 5).map((k, i) => ({
    id: docs[k].id,
    title: docs[k].title,
    relevance_score: Math.round(Math.max(0.01, lite ? liteTop - i * rng.range(0.005, 0.015) : top - i * rng.range(0.04, 0.12)) * 1000) / 1000,
  }))
  return { model: lite ? LITE_RERANK_MODEL : RERANK_MODEL, kept }
}

const REFORMULATE_TEXT = 'Rewrite the customer request so that it can be answered within policy. Keep its intent; drop anything unsafe.'
const REFORMULATE_PROMPT: SystemPrompt = { name: 'reformulate', version: '1', text: REFORMULATE_TEXT, hash: sha256Hex(REFORMULATE_TEXT), prefixTokens: 0 }
const REFUSAL_DETECTOR: readonly GuardLayer[] = [{ name: 'refusal-detector', medianMs: 0, model: MODELS.classifier.requested }]
const OUTPUT_MODERATION: readonly GuardLayer[] = [{ name: 'output-moderation', medianMs: 320 }]
/** Share of refused requests whose prompt is reformulated and answered again. */
const REFORMULATED = 0.7

/**
 * After a refusal: a refusal detector confirms it, the prompt is reformulated by a small model and
 * the main model asked again (outside any route, so the routing view's cohorts stay as they were),
 * then output moderation checks the answer. Returns when the request's work ends.
 */
export function safetyPath(ctx: CallContext, root: SpanNode, start: number, request: { text: string; model: ModelSpec; prompt: SystemPrompt; history: number }): number {
  const { rng, rec } = ctx
  const detected = guardrails(ctx, root, start, 'output', request.text, REFUSAL_DETECTOR)
  let t = detected.end + rng.range(0.5, 2)
  if (!rng.chance(REFORMULATED)) return t
  const chain = rec.open(root, 'reformulate', 'chain', t, { attributes: { 'reformulation.reason': 'refusal' } })
  const rewrite = callModel(ctx, chain, t + rng.range(0.5, 2), {
    model: MODELS.classifier,
    prompt: REFORMULATE_PROMPT,
    messages: [{ role: 'user', content: `Rewrite this request so it can be answered safely: ${request.text.slice(0, 300)}` }],
    historyTokens: 120,
    outputTokens: rng.int(40, 90),
    output: [{ role: 'assistant', content: 'The customer asks how to proceed within the account policy.' }],
    cacheable: false,
  })
  const answer = callModel(ctx, chain, rewrite.end + rng.range(1, 4), {
    model: request.model,
    prompt: request.prompt,
    messages: [{ role: 'user', content: 'The customer asks how to proceed within the account policy.' }],
    historyTokens: request.history + 80,
    outputTokens: rng.int(250, 450),
    output: [{ role: 'assistant', content: 'Here is what you can do within your plan: ...' }],
  })
  t = rec.close(chain, answer.end + rng.range(0.5, 2))
  return guardrails(ctx, root, t + rng.range(0.5, 2), 'output', 'reformulated answer', OUTPUT_MODERATION).end
}
