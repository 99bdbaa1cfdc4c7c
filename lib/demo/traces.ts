// The shapes of the demo's traces. A support request is an agent span over layered input
// guardrails, retrieval (embedding + vector search) and a reranker, model calls that call
// tools, a structured final answer and output guardrails. Other shapes: the onboarding
// assistant (cache-thrash story), the bulk re-classification job (retry storm) and the
// re-entrant shipment tool (tool-call loop).
import { TOPIC_TOOLS, question, refusalText, reply, type Question, type Topic } from './content'
import { AGENT_NAME, callModel, estimateTokens, loadMultiplier, type CallContext, type CallResult } from './model-call'
import type { DemoSpan, SpanNode } from './recorder'
import { EMBEDDING_MODEL, MODELS, guardPrompt, subAgentPrompt, type GuardLayer, type Segment, type SystemPrompt, type Tenant } from './world'
import { callCost, findPrice } from '@/lib/pricing/seed-prices'
import { deeperDocuments, rerank, safetyPath, searchTimesOut } from './stories/where-the-time-goes'

export interface TraceOutcome {
  end: number
  segment?: Segment
  refusal: boolean
  failed: boolean
  schemaFailed: boolean
  fallback: boolean
  blocked: boolean
  /** Top reranker relevance (0..1) when retrieval ran. */
  rerankTop?: number
  /** Share of the retriever's top five the reranker kept, when retrieval ran. */
  rerankKept?: number
}

interface Message {
  role: 'user' | 'assistant' | 'tool' | 'system'
  content: string
  tool_calls?: { id: string; type: 'function'; function: { name: string; arguments: string } }[]
  tool_call_id?: string
}

const BASE_GUARDS: readonly GuardLayer[] = [
  { name: 'pii-scan', medianMs: 8 },
  { name: 'prompt-injection', medianMs: 180, model: 'gpt-4.1-nano' },
  { name: 'topic-policy', medianMs: 40 },
]
const OUTPUT_GUARDS: readonly GuardLayer[] = [
  { name: 'pii-redact', medianMs: 12 },
  { name: 'groundedness', medianMs: 260, model: 'gpt-4.1-nano' },
]

const TOOL_LATENCY_MS: Readonly<Record<string, number>> = {
  lookup_order: 90,
  track_shipment: 420,
  issue_refund: 380,
  reset_password: 160,
  get_invoice: 120,
  create_ticket: 210,
  get_subscription: 80,
  cancel_subscription: 260,
  escalate_to_human: 140,
  format_reply: 30,
  import_roster: 900,
  configure_sso: 300,
}

function last<T>(items: readonly T[], n: number): T[] {
  return items.slice(Math.max(0, items.length - n))
}

/** Guardrail layers run one after another; each adds its latency to the request. */
export function guardrails(ctx: CallContext, parent: SpanNode, start: number, stage: 'input' | 'output', text: string, layers: readonly GuardLayer[]): { end: number; blocked: boolean } {
  const { rng, rec } = ctx
  const group = rec.open(parent, `guardrails.${stage}`, 'guardrail', start, { attributes: { 'guardrail.stage': stage, 'guardrail.layers': layers.length } })
  let t = start + rng.range(0.05, 0.3)
  let blocked = false
  for (const layer of layers) {
    const flagged = !blocked && layer.name === 'prompt-injection' && rng.chance(0.004)
    const node = rec.open(group, `guard ${layer.name}`, 'guardrail', t, {
      input: { text: text.slice(0, 240) },
      attributes: { 'guardrail.name': layer.name, 'guardrail.stage': stage, 'guardrail.action': flagged ? 'block' : 'pass' },
    })
    let end = t + (layer.model ? 4 : rng.logNormal(layer.medianMs, 0.35))
    if (layer.model) {
      const result = callModel(ctx, node, t + rng.range(0.5, 3), {
        model: MODELS.classifier,
        prompt: guardPrompt(layer.name),
        messages: [{ role: 'user', content: text.slice(0, 400) }],
        historyTokens: 60 + estimateTokens(text),
        outputTokens: 12,
        output: [{ role: 'assistant', content: JSON.stringify({ flagged, score: flagged ? 0.97 : Math.round(rng.range(0, 0.2) * 100) / 100 }) }],
        cacheable: false,
        structured: true,
      })
      end = result.end + rng.range(1, 6)
    }
    node.span.output = { flagged, action: flagged ? 'block' : 'pass' }
    t = rec.close(node, end) + rng.range(0.05, 0.5)
    if (flagged) {
      blocked = true
      ctx.stats.guardrailBlocks++
      break
    }
  }
  group.span.output = { passed: !blocked, layers: layers.length }
  return { end: rec.close(group, t), blocked }
}

function embeddingCall(ctx: CallContext, parent: SpanNode, start: number, tokens: number, fields: Partial<DemoSpan> = {}): SpanNode {
  return ctx.rec.open(parent, `embeddings ${EMBEDDING_MODEL}`, 'embedding', start, {
    model_requested: EMBEDDING_MODEL,
    model_resolved: EMBEDDING_MODEL,
    provider: 'openai',
    input_tokens: tokens,
    cost_usd: Math.round(callCost(findPrice(EMBEDDING_MODEL)!, { input_tokens: tokens, output_tokens: 0 }) * 1e10) / 1e10,
    attributes: { 'embedding.dimensions': 1536 },
    ...fields,
  })
}

/** Embedding + vector search, then a reranker whose relevance scores drift down over the range. */
function retrieval(ctx: CallContext, parent: SpanNode, start: number, tenant: Tenant, query: string, at: number): { end: number; contextTokens: number; titles: string[]; rerankTop?: number; rerankKept?: number } {
  const { rng, rec, plan } = ctx
  const slow = loadMultiplier(ctx.load)
  const retriever = rec.open(parent, 'kb.search', 'retriever', start, { input: { query: query.slice(0, 300), top_k: 20, index: tenant.index }, attributes: { 'retrieval.index': tenant.index } })
  const queryTokens = estimateTokens(query)
  const embed = embeddingCall(ctx, retriever, start + rng.range(0.2, 1), queryTokens, { input: query.slice(0, 300) })
  const embedEnd = rec.close(embed, embed.start + rng.logNormal(55, 0.35) * slow)
  const docs = Array.from({ length: 5 }, (_, i) => ({
    id: `${tenant.index}:doc-${rng.int(100, 9999)}`,
    title: rng.pick(['Returns and refunds policy', 'Shipping times by region', 'Resetting your password', 'Billing FAQ', 'API status and incident history', 'Plan changes and cancellation', 'Escalation matrix', 'Data retention policy']),
    score: Math.round((0.84 - i * 0.03 + rng.normal(0, 0.02)) * 1000) / 1000,
  }))
  if (searchTimesOut(ctx, at)) {
    rec.fail(retriever, 'timeout', `kb.search timed out after 10000 ms: no healthy replica of ${tenant.index}`)
    return { end: rec.close(retriever, embedEnd + 10_000), contextTokens: 0, titles: [] }
  }
  retriever.span.output = [...docs, ...deeperDocuments(ctx, docs, tenant.index)]
  const searchEnd = rec.close(retriever, embedEnd + rng.logNormal(45, 0.4) * slow)
  // The reranker's relevance scores sink across the week (a stale index after a catalogue
  // change), while the retriever's similarity scores stay flat.
  const progress = (at - plan.start) / (plan.end - plan.start)
  const top = Math.max(0.05, Math.min(0.99, 0.87 - 0.3 * progress + rng.normal(0, 0.035)))
  const { model: reranker, kept: reranked } = rerank(ctx, retriever.span.output as typeof docs, top, at)
  const rerankNode = rec.open(parent, 'rerank', 'reranker', searchEnd + rng.range(0.1, 1), {
    model_requested: reranker.requested,
    model_resolved: reranker.requested,
    provider: reranker.provider,
    input: { query: query.slice(0, 300), documents: 20 },
    output: reranked,
    attributes: { 'rerank.top_score': reranked[0].relevance_score, 'rerank.documents': 20, 'rerank.top_n': 5 },
  })
  const end = rec.close(rerankNode, rerankNode.start + rng.logNormal(140, 0.35) * slow)
  const topFive = new Set(docs.map((d) => d.id))
  const rerankKept = reranked.filter((d) => topFive.has(d.id)).length / docs.length
  return { end, contextTokens: rng.int(900, 2400), titles: reranked.map((d) => d.title), rerankTop: reranked[0].relevance_score, rerankKept }
}

function toolResult(tool: string, q: Question, ctx: CallContext): Record<string, unknown> {
  const { rng } = ctx
  switch (tool) {
    case 'lookup_order':
      return { order_id: q.ref, status: rng.pick(['processing', 'shipped', 'delivered', 'returned']), items: rng.int(1, 4), total: { amount: rng.int(1200, 48000) / 100, currency: 'USD' } }
    case 'track_shipment':
      return {
        tracking_number: q.ref,
        carrier: rng.pick(['UPS', 'DHL', 'FedEx']),
        events: [
          { at: '08:12', status: 'Departed facility', location: 'Memphis, TN' },
          { at: '02:40', status: 'Arrived at facility', location: 'Memphis, TN' },
        ],
      }
    case 'issue_refund':
      return { refund_id: `re_${rng.hex(10)}`, status: 'approved', amount: rng.int(900, 12000) / 100 }
    case 'reset_password':
      return { sent: true, channel: 'email' }
    case 'get_invoice':
      return { invoice_id: q.ref, lines: [{ item: 'Seats', qty: rng.int(3, 40) }, { item: 'Support plan', qty: 1 }], total: rng.int(10000, 200000) / 100 }
    case 'create_ticket':
      return { ticket_id: `TCK-${rng.int(10000, 99999)}`, priority: rng.pick(['normal', 'high']) }
    case 'get_subscription':
      return { plan: rng.pick(['team', 'business']), seats: rng.int(2, 60), renews_at: '2027-01-01' }
    case 'cancel_subscription':
      return { status: 'scheduled', effective_at: '2027-01-01' }
    case 'escalate_to_human':
      return { queue: 'tier-2', position: rng.int(1, 14), eta_minutes: rng.int(3, 45) }
    case 'import_roster':
      return { imported: rng.int(40, 2400), skipped: rng.int(0, 12) }
    case 'configure_sso':
      return { provider: rng.pick(['okta', 'azure-ad', 'google']), status: 'pending_verification' }
    default:
      return { ok: true }
  }
}

function toolArgs(tool: string, q: Question): Record<string, unknown> {
  if (tool === 'track_shipment') return { tracking_number: q.ref }
  if (tool === 'get_invoice') return { invoice_id: q.ref }
  if (tool === 'reset_password' || tool === 'get_subscription' || tool === 'cancel_subscription') return { account: 'current_user' }
  if (tool === 'escalate_to_human') return { reason: 'customer_request' }
  return { order_id: q.ref }
}

function toolSpan(ctx: CallContext, parent: SpanNode, start: number, tool: string, callId: string, args: unknown, result: unknown): SpanNode {
  const { rng, rec } = ctx
  const node = rec.open(parent, `execute_tool ${tool}`, 'tool', start, { tool_name: tool, tool_call_id: callId, input: args })
  if (rng.chance(0.008)) {
    rec.fail(node, 'timeout', `${tool} timed out after 10000 ms`)
    rec.close(node, start + 10_000)
    return node
  }
  node.span.output = result
  rec.close(node, start + rng.logNormal(TOOL_LATENCY_MS[tool] ?? 120, 0.45) * (tool === 'track_shipment' ? loadMultiplier(ctx.load) : 1))
  return node
}

/** Rates that differ between the two model paths (the routing story). */
const SEGMENT_RATES: Readonly<Record<Segment, { refusal: number; schemaFail: number; schemaFailAgain: number }>> = {
  economy: { refusal: 0.007, schemaFail: 0.09, schemaFailAgain: 0.45 },
  premium: { refusal: 0.035, schemaFail: 0.015, schemaFailAgain: 0.15 },
}

export interface SupportRequest {
  tenant: Tenant
  topic: Topic
  segment: Segment
  prompt: SystemPrompt
  at: number
  /** Plant the re-entrant shipment tool; `endsInError` makes it hit the recursion limit. */
  loop?: { endsInError: boolean }
}

/** The main shape: one customer request handled by the support agent. */
export function supportTrace(ctx: CallContext, request: SupportRequest): TraceOutcome {
  const { rng, rec } = ctx
  const { tenant, topic, segment, prompt, at } = request
  const q = question(ctx.locale, topic, rng)
  const model = segment === 'premium' ? MODELS.premium : MODELS.economy
  const root = rec.open(undefined, AGENT_NAME, 'agent', at, {
    agent_name: AGENT_NAME,
    route_segment: segment,
    input: [{ role: 'user', content: q.text }],
    attributes: { 'helpdeck.topic': topic, 'helpdeck.plan': tenant.plan },
    tags: [tenant.plan, topic],
  })
  const outcome: TraceOutcome = { end: at, segment, refusal: false, failed: false, schemaFailed: false, fallback: false, blocked: false }
  let t = at + rng.range(1, 4)
  const input = guardrails(ctx, root, t, 'input', q.text, [...BASE_GUARDS, ...tenant.extraGuards])
  t = input.end + rng.range(0.5, 2)
  if (input.blocked) {
    outcome.blocked = true
    root.span.output = [{ role: 'assistant', content: refusalText(ctx.locale) }]
    outcome.end = rec.close(root, t + rng.range(0.5, 2))
    return outcome
  }

  let history = estimateTokens(q.text) + 40
  const messages: Message[] = [{ role: 'user', content: q.text }]
  if (topic !== 'password_reset' && topic !== 'cancel_subscription') {
    const found = retrieval(ctx, root, t, tenant, q.text, at)
    t = found.end + rng.range(0.5, 3)
    history += found.contextTokens
    outcome.rerankTop = found.rerankTop
    outcome.rerankKept = found.rerankKept
    if (found.titles.length > 0) messages.unshift({ role: 'system', content: `Knowledge base: ${found.titles.slice(0, 3).join('; ')}` })
  }

  const rates = SEGMENT_RATES[segment]
  const common = { model, prompt, segment, agentName: AGENT_NAME }
  const finish = (result: CallResult) => {
    if (result.fallback) outcome.fallback = true
    if (result.failed) {
      outcome.failed = true
      rec.fail(root, result.node.span.error_type!, `model call failed after retries: ${result.node.span.status_message}`)
    }
  }

  if (rng.chance(rates.refusal * (topic === 'escalation' ? 2 : 1) * (tenant.plan === 'premium' ? 1.5 : 1))) {
    const result = callModel(ctx, root, t, {
      ...common,
      messages: last(messages, 6),
      historyTokens: history,
      outputTokens: 28,
      output: [{ role: 'assistant', content: refusalText(ctx.locale) }],
      finishReason: model.provider === 'anthropic' ? 'refusal' : 'stop',
      refusal: true,
    })
    finish(result)
    t = result.end
    if (!result.failed) {
      outcome.refusal = true
      ctx.stats.refusals++
      root.span.refusal = true
      root.span.output = [{ role: 'assistant', content: refusalText(ctx.locale) }]
      t = safetyPath(ctx, root, t + rng.range(0.5, 2), { text: q.text, model, prompt, history })
    }
  } else {
    for (const tool of TOPIC_TOOLS[topic]) {
      const callId = `call_${rng.hex(20)}`
      const args = toolArgs(tool, q)
      const step = callModel(ctx, root, t, {
        ...common,
        messages: last(messages, 6),
        historyTokens: history,
        outputTokens: rng.int(18, 60),
        output: [{ role: 'assistant', content: '', tool_calls: [{ id: callId, type: 'function', function: { name: tool, arguments: JSON.stringify(args) } }] }],
        finishReason: 'tool_calls',
      })
      finish(step)
      t = step.end + rng.range(0.5, 3)
      if (step.failed) break
      let result: unknown
      if (request.loop && tool === 'track_shipment') {
        const looped = reentrantTool(ctx, root, t, q, callId, 0, request.loop.endsInError)
        t = looped.end + rng.range(0.5, 2)
        if (looped.error) {
          rec.fail(root, 'recursion_limit', looped.error)
          outcome.failed = true
          break
        }
        result = { summary: 'Shipment delayed at the Memphis hub; new delivery estimate Friday.' }
      } else {
        const node = toolSpan(ctx, root, t, tool, callId, args, toolResult(tool, q, ctx))
        t = node.end + rng.range(0.5, 3)
        result = node.span.output ?? { error: node.span.status_message }
      }
      const resultText = JSON.stringify(result)
      messages.push({ role: 'assistant', content: '', tool_calls: [{ id: callId, type: 'function', function: { name: tool, arguments: JSON.stringify(args) } }] })
      messages.push({ role: 'tool', tool_call_id: callId, content: resultText })
      history += 40 + estimateTokens(resultText) + rng.int(80, 500)
    }

    if (!outcome.failed) {
      // The final answer is structured (the ticketing UI needs JSON). An invalid object is
      // retried with the validation error appended, at most three attempts in all.
      const answer = reply(ctx.locale, q.ref, rng)
      const answerTokens = estimateTokens(answer) + 40
      let firstFinal: string | undefined
      for (let n = 0; n < 3; n++) {
        const valid = !rng.chance(n === 0 ? rates.schemaFail : rates.schemaFailAgain)
        const object = { reply: answer, category: topic, priority: rng.pick(['low', 'normal', 'high']), resolved: topic !== 'escalation' }
        const final = callModel(ctx, root, t, {
          ...common,
          messages: n === 0 ? last(messages, 6) : [...last(messages, 5), { role: 'user', content: 'Your last answer did not match the TicketReply schema: "priority" must be one of low, normal, high. Answer again.' }],
          historyTokens: history + n * 60,
          outputTokens: answerTokens,
          output: [{ role: 'assistant', content: valid ? JSON.stringify(object) : `${JSON.stringify(object).slice(0, -40)}, "priority": "urgent"` }],
          structured: true,
          schemaValid: valid,
          retryOf: firstFinal ? { attempt: n, spanId: firstFinal, reason: 'schema_invalid' } : undefined,
          attributes: { 'flightline.output.schema': 'TicketReply' },
        })
        finish(final)
        firstFinal ??= final.node.span.span_id
        t = final.end + rng.range(0.5, 2)
        if (final.failed) break
        if (valid) {
          root.span.output = [{ role: 'assistant', content: answer }]
          root.span.schema_valid = true
          break
        }
        ctx.stats.schemaInvalid++
        if (n === 2) {
          outcome.schemaFailed = true
          ctx.stats.structuredRetryLoops++
          root.span.schema_valid = false
          rec.fail(root, 'schema_validation', 'OutputParserException: could not parse TicketReply after 3 attempts')
        }
      }
      if (!outcome.failed && !outcome.schemaFailed) {
        t = guardrails(ctx, root, t, 'output', answer, tenant.plan === 'premium' ? [...OUTPUT_GUARDS, { name: 'disclaimer-check', medianMs: 60 }] : OUTPUT_GUARDS).end
      }
    }
  }
  if (outcome.fallback) root.span.fallback = true
  outcome.end = rec.close(root, t + rng.range(0.5, 3))
  return outcome
}

/**
 * shipping-tools v2.3: track_shipment asks a model to summarise the carrier events; that model
 * calls the format_reply tool, whose own model call asks for fresh tracking data and so calls
 * track_shipment again. Each call nests inside the previous one, as it ran. The loop either
 * gives up after two re-entries or runs into the agent framework's recursion limit.
 */
function reentrantTool(ctx: CallContext, parent: SpanNode, start: number, q: Question, callId: string, cycle: number, endsInError: boolean): { end: number; error?: string } {
  const { rng, rec, plan } = ctx
  const { tool, formatter, recursionLimit } = plan.loopDeploy
  const maxCycles = endsInError ? Math.floor(recursionLimit / 4) : 2
  const node = rec.open(parent, `execute_tool ${tool}`, 'tool', start, {
    tool_name: tool,
    tool_call_id: callId,
    input: { tracking_number: q.ref, refresh: cycle > 0 },
    attributes: { 'tool.version': '2.3.0', 'loop.depth': cycle },
  })
  if (endsInError && cycle >= maxCycles) {
    const message = `GraphRecursionError: Recursion limit of ${recursionLimit} reached without hitting a stop condition. You can increase the limit by setting the \`recursion_limit\` config key.`
    rec.fail(node, 'recursion_limit', message)
    return { end: rec.close(node, start + rng.range(1, 4)), error: message }
  }
  if (cycle === 0) ctx.stats.loopTraces++
  let t = start + rng.logNormal(260, 0.3)
  const summarize = subAgentPrompt('summarize-events')
  const polish = subAgentPrompt('polish-reply')
  const model = MODELS.economy
  const carrier = toolResult('track_shipment', q, ctx)

  // track_shipment -> model (summarize) -> format_reply -> model (polish) -> track_shipment ...
  const gen = rec.open(node, 'ai.generateText summarize-events', 'llm', t, { agent_name: 'shipment-summarizer', model_requested: model.requested, provider: model.provider })
  const fmtCallId = `call_${rng.hex(20)}`
  const step1 = callModel(ctx, gen, t + rng.range(0.5, 2), {
    model,
    prompt: summarize,
    agentName: 'shipment-summarizer',
    messages: [{ role: 'user', content: `Summarise for the customer: ${JSON.stringify(carrier)}` }],
    historyTokens: 420,
    outputTokens: 46,
    output: [{ role: 'assistant', content: '', tool_calls: [{ id: fmtCallId, type: 'function', function: { name: formatter, arguments: '{"style":"customer"}' } }] }],
    finishReason: 'tool_calls',
  })
  const fmt = rec.open(gen, `execute_tool ${formatter}`, 'tool', step1.end + rng.range(0.3, 2), { tool_name: formatter, tool_call_id: fmtCallId, input: { style: 'customer', text: 'Shipment delayed at Memphis hub.' } })
  const gen2 = rec.open(fmt, 'ai.generateText polish-reply', 'llm', fmt.start + rng.range(1, 5), { agent_name: 'reply-polisher', model_requested: model.requested, provider: model.provider })
  const againId = `call_${rng.hex(20)}`
  const wantsFresh = endsInError || cycle < maxCycles
  const step2 = callModel(ctx, gen2, gen2.start + rng.range(0.5, 2), {
    model,
    prompt: polish,
    agentName: 'reply-polisher',
    messages: [{ role: 'user', content: 'Polish this reply. If the tracking data may be stale, refresh it first.' }],
    historyTokens: 380,
    outputTokens: wantsFresh ? 38 : 90,
    output: wantsFresh
      ? [{ role: 'assistant', content: '', tool_calls: [{ id: againId, type: 'function', function: { name: tool, arguments: JSON.stringify({ tracking_number: q.ref, refresh: true }) } }] }]
      : [{ role: 'assistant', content: 'Your parcel is delayed at the Memphis hub; the new estimate is Friday.' }],
    finishReason: wantsFresh ? 'tool_calls' : 'stop',
  })
  t = step2.end + rng.range(0.5, 2)
  let error: string | undefined
  if (wantsFresh) {
    const inner = reentrantTool(ctx, gen2, t, q, againId, cycle + 1, endsInError)
    t = inner.end + rng.range(0.2, 1)
    error = inner.error
  }
  // The wrappers repeat the usage of their own steps, as the AI SDK's generateText does.
  const wrap = (wrapper: SpanNode, steps: CallResult[]) => {
    Object.assign(wrapper.span, {
      input_tokens: steps.reduce((s, r) => s + r.inputTokens, 0),
      output_tokens: steps.reduce((s, r) => s + r.outputTokens, 0),
      cache_read_tokens: steps.reduce((s, r) => s + r.cacheReadTokens, 0),
      cost_usd: Math.round(steps.reduce((s, r) => s + r.costUsd, 0) * 1e8) / 1e8,
    })
  }
  if (error) {
    for (const n of [gen2, fmt, gen, node]) rec.fail(n, 'recursion_limit', error)
    wrap(gen2, [step2])
    rec.close(gen2, t)
    rec.close(fmt, t + rng.range(0.1, 0.5))
    wrap(gen, [step1])
    rec.close(gen, fmt.end + rng.range(0.1, 0.5))
    if (cycle === 0) ctx.stats.loopRecursionErrors++
    return { end: rec.close(node, gen.end + rng.range(0.1, 0.5)), error }
  }
  wrap(gen2, [step2])
  rec.close(gen2, t)
  fmt.span.output = { text: 'Your parcel is delayed at the Memphis hub; the new estimate is Friday.' }
  rec.close(fmt, t + rng.range(0.2, 1))
  const step3 = callModel(ctx, gen, fmt.end + rng.range(0.3, 2), {
    model,
    prompt: summarize,
    agentName: 'shipment-summarizer',
    messages: [{ role: 'tool', tool_call_id: fmtCallId, content: 'Your parcel is delayed at the Memphis hub; the new estimate is Friday.' }],
    historyTokens: 520,
    outputTokens: 40,
    output: [{ role: 'assistant', content: 'Delayed at Memphis hub; new estimate Friday.' }],
  })
  wrap(gen, [step1, step3])
  rec.close(gen, step3.end + rng.range(0.2, 1))
  node.span.output = { ...carrier, summary: 'Delayed at Memphis hub; new estimate Friday.' }
  return { end: rec.close(node, gen.end + rng.range(0.2, 1)) }
}

/** Brightpath's onboarding assistant: a long prompt whose first line is unique per workspace. */
export function onboardingTrace(ctx: CallContext, tenant: Tenant, prompt: SystemPrompt, at: number, workspace: string): TraceOutcome {
  const { rng, rec } = ctx
  const text = `Hi! We just signed up as ${workspace}. How do I import our roster and turn on SSO?`
  const root = rec.open(undefined, 'onboarding-assistant', 'agent', at, {
    agent_name: 'onboarding-guide',
    route_segment: 'economy',
    input: [{ role: 'user', content: text }],
    attributes: { 'helpdeck.workspace': workspace, 'helpdeck.topic': 'onboarding' },
    tags: ['onboarding'],
  })
  let t = guardrails(ctx, root, at + rng.range(1, 3), 'input', text, BASE_GUARDS).end + rng.range(0.5, 2)
  const common = { model: MODELS.economy, prompt, segment: 'economy' as const, agentName: 'onboarding-guide' }
  let history = 300
  let failed = false
  for (const tool of ['import_roster', 'configure_sso']) {
    const callId = `call_${rng.hex(20)}`
    const step = callModel(ctx, root, t, {
      ...common,
      messages: [{ role: 'user', content: text }],
      historyTokens: history,
      outputTokens: rng.int(20, 50),
      output: [{ role: 'assistant', content: '', tool_calls: [{ id: callId, type: 'function', function: { name: tool, arguments: '{}' } }] }],
      finishReason: 'tool_calls',
    })
    t = step.end + rng.range(0.5, 2)
    if (step.failed) {
      failed = true
      rec.fail(root, step.node.span.error_type!, 'model call failed after retries')
      break
    }
    const node = toolSpan(ctx, root, t, tool, callId, { workspace }, toolResult(tool, { text, ref: workspace }, ctx))
    t = node.end + rng.range(0.5, 2)
    history += rng.int(200, 700)
  }
  if (!failed) {
    const final = callModel(ctx, root, t, {
      ...common,
      messages: [{ role: 'user', content: text }],
      historyTokens: history,
      outputTokens: rng.int(180, 420),
      output: [{ role: 'assistant', content: 'Your roster import is running and SSO is waiting for your identity provider to verify the domain. Next: invite instructors.' }],
    })
    t = final.end
    root.span.output = final.node.span.output
  }
  return { end: rec.close(root, t + rng.range(0.5, 2)), segment: 'economy', refusal: false, failed, schemaFailed: false, fallback: false, blocked: false }
}

/** Globex's bulk re-classification job: many small requests, each one structured model call. */
export function bulkTrace(ctx: CallContext, prompt: SystemPrompt, at: number): TraceOutcome {
  const { rng, rec } = ctx
  const ticket = `TCK-${rng.int(10000, 99999)}`
  const root = rec.open(undefined, 'bulk-reclassify', 'agent', at, {
    agent_name: 'bulk-reclassify',
    route_segment: 'economy',
    input: { ticket_id: ticket },
    attributes: { 'helpdeck.job': 'reclassify-backlog' },
    tags: ['batch'],
  })
  const result = callModel(ctx, root, at + rng.range(1, 5), {
    model: MODELS.economy,
    prompt,
    segment: 'economy',
    agentName: 'bulk-reclassify',
    messages: [{ role: 'user', content: `Classify ticket ${ticket}: "Package arrived damaged, requesting replacement."` }],
    historyTokens: rng.int(300, 900),
    outputTokens: rng.int(15, 40),
    output: [{ role: 'assistant', content: JSON.stringify({ category: 'damaged_item', priority: 'normal' }) }],
    structured: true,
    schemaValid: true,
  })
  if (result.failed) rec.fail(root, result.node.span.error_type!, 'gave up after repeated rate limits')
  else root.span.output = { ticket_id: ticket, category: 'damaged_item' }
  return { end: rec.close(root, result.end + rng.range(0.5, 2)), segment: 'economy', refusal: false, failed: result.failed, schemaFailed: false, fallback: false, blocked: false }
}

/**
 * A runaway batch job: Initech's knowledge-base re-index agent plans, fetches, embeds and
 * upserts batch after batch until it has produced `size` spans - one trace of thousands of
 * spans, for the explorer's large-trace paths.
 */
export function runawayTrace(ctx: CallContext, tenant: Tenant, prompt: SystemPrompt, at: number, size: number): TraceOutcome {
  const { rng, rec } = ctx
  const root = rec.open(undefined, 'kb-reindex', 'agent', at, {
    agent_name: 'kb-reindex',
    input: { index: tenant.index, reason: 'catalogue import', documents: Math.round(size * 0.6) },
    attributes: { 'helpdeck.job': 'kb-reindex' },
    tags: ['batch'],
  })
  let t = at + rng.range(2, 8)
  let batch = 0
  while (rec.nodes.length < size - 10) {
    batch++
    const chain = rec.open(root, `reindex batch ${batch}`, 'chain', t, { attributes: { 'batch.index': batch } })
    const documents = Array.from({ length: 6 }, () => `${tenant.index}:doc-${rng.int(10000, 99999)}`)
    const plan = callModel(ctx, chain, t + rng.range(0.5, 2), {
      model: MODELS.economy,
      prompt,
      agentName: 'kb-reindex',
      messages: [{ role: 'user', content: `Plan re-index batch ${batch}: choose the next documents to refresh.` }],
      historyTokens: rng.int(250, 500),
      outputTokens: rng.int(30, 60),
      output: [{ role: 'assistant', content: '', tool_calls: documents.map((id) => ({ id: `call_${rng.hex(12)}`, type: 'function', function: { name: 'fetch_document', arguments: JSON.stringify({ id }) } })) }],
      finishReason: 'tool_calls',
    })
    let fetched = plan.end
    for (const id of documents) {
      const node = rec.open(chain, 'execute_tool fetch_document', 'tool', plan.end + rng.range(0.2, 2), { tool_name: 'fetch_document', tool_call_id: `call_${rng.hex(12)}`, input: { id }, output: { id, chunks: rng.int(3, 20) } })
      fetched = Math.max(fetched, rec.close(node, node.start + rng.logNormal(60, 0.5)))
    }
    const tokens = rng.int(2000, 9000)
    const embed = embeddingCall(ctx, chain, fetched + rng.range(0.5, 2), tokens)
    rec.close(embed, embed.start + rng.logNormal(180, 0.3))
    const upsert = rec.open(chain, 'execute_tool upsert_vectors', 'tool', embed.end + rng.range(0.5, 2), { tool_name: 'upsert_vectors', input: { index: tenant.index, vectors: tokens >> 6 }, output: { upserted: tokens >> 6 } })
    rec.close(upsert, upsert.start + rng.logNormal(90, 0.4))
    t = rec.close(chain, upsert.end + rng.range(0.5, 3)) + rng.range(5, 40)
  }
  root.span.output = { batches: batch, status: 'stopped: batch budget exhausted' }
  return { end: rec.close(root, t), refusal: false, failed: false, schemaFailed: false, fallback: false, blocked: false }
}
