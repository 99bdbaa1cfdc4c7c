// One model call as the demo records it: tokens (input includes cached tokens), prompt-cache
// reads and writes, cost at list prices, latency and time to first token under load, local
// token counts, and the overload errors (429 / 529) with their retries and fallbacks.
import { callCost, findPrice } from '@/lib/pricing/seed-prices'
import { isCjk } from './content'
import type { DemoPlan } from './plan'
import type { Rng } from './prng'
import type { DemoSpan, SpanNode, TraceRecorder } from './recorder'
import { MODELS, PRODUCT, type Locale, type ModelSpec, type Segment, type SystemPrompt } from './world'

export interface DemoStats {
  traces: number
  spans: number
  scores: number
  modelCalls: number
  overloadErrors: { '429': number; '529': number }
  retries: number
  fallbacks: number
  refusals: number
  schemaInvalid: number
  structuredRetryLoops: number
  loopTraces: number
  loopRecursionErrors: number
  onboardingTraces: number
  bulkTraces: number
  evalTraces: number
  guardrailBlocks: number
  cjkModelCalls: number
  promptHashes: number
}

export function emptyStats(): DemoStats {
  return {
    traces: 0,
    spans: 0,
    scores: 0,
    modelCalls: 0,
    overloadErrors: { '429': 0, '529': 0 },
    retries: 0,
    fallbacks: 0,
    refusals: 0,
    schemaInvalid: 0,
    structuredRetryLoops: 0,
    loopTraces: 0,
    loopRecursionErrors: 0,
    onboardingTraces: 0,
    bulkTraces: 0,
    evalTraces: 0,
    guardrailBlocks: 0,
    cjkModelCalls: 0,
    promptHashes: 0,
  }
}

/** Sends a system prompt's text the first time it appears in the stream, its hash after that. */
export class PromptLedger {
  private readonly sent = new Set<string>()

  constructor(private readonly stats: DemoStats) {}

  fields(prompt: SystemPrompt): Pick<DemoSpan, 'prompt_name' | 'prompt_version' | 'system_prompt' | 'system_prompt_hash'> {
    if (this.sent.has(prompt.hash)) return { prompt_name: prompt.name, prompt_version: prompt.version, system_prompt_hash: prompt.hash }
    this.sent.add(prompt.hash)
    this.stats.promptHashes++
    return { prompt_name: prompt.name, prompt_version: prompt.version, system_prompt: prompt.text }
  }
}

/** Everything a trace's model calls share: who, when, under which load and cache weather. */
export interface CallContext {
  plan: DemoPlan
  rng: Rng
  rec: TraceRecorder
  stats: DemoStats
  prompts: PromptLedger
  locale: Locale
  /** 0..1, the providers' load at this time of day. */
  load: number
  /** 0..1, how hard the cache-thrash incident is hitting now. */
  cacheSeverity: number
  /** Whether this request falls in the retry storm. */
  storm: boolean
  /** The prompt prefix is brand new (never cached before). */
  freshPrefix: boolean
  /** Conversation tokens the provider has cached for this trace, and for which model. */
  cache: { warm: number; model: string }
}

export interface CallSpec {
  name?: string
  model: ModelSpec
  prompt: SystemPrompt
  /** Chat messages sent (the system prompt travels as text or hash, not in here). */
  messages: unknown
  /** Input tokens besides the cacheable prompt prefix. */
  historyTokens: number
  outputTokens: number
  output: unknown
  segment?: Segment
  agentName?: string
  finishReason?: string
  refusal?: boolean
  schemaValid?: boolean
  structured?: boolean
  /** Whether the prompt prefix can be cached at all (tiny classifier prompts cannot). */
  cacheable?: boolean
  /** A retry of an earlier call for another reason (an invalid structured output). */
  retryOf?: { attempt: number; spanId: string; reason: string }
  attributes?: Record<string, unknown>
}

export interface CallResult {
  node: SpanNode
  end: number
  failed: boolean
  fallback: boolean
  inputTokens: number
  outputTokens: number
  cacheReadTokens: number
  cacheWriteTokens: number
  costUsd: number
}

export function loadMultiplier(load: number): number {
  return 1 + 1.3 * load * load
}

function overloadProbability(ctx: CallContext, model: ModelSpec): number {
  const cube = ctx.load ** 3
  if (model.overloadCode === '529') return 0.003 + 0.09 * cube
  return ctx.storm ? 0.55 : 0.003 + 0.05 * cube
}

const OVERLOAD_MESSAGES = {
  '429': (model: ModelSpec) =>
    `429 Rate limit reached for ${model.requested} in organization org-helpdeck on tokens per min (TPM): Limit 2000000, Used 1998512, Requested 6120. Please try again in 1.2s.`,
  '529': () => '529 {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}',
}

function cacheUsage(ctx: CallContext, model: ModelSpec, prompt: SystemPrompt, inputTokens: number, cacheable: boolean) {
  if (ctx.cache.model !== model.requested) ctx.cache = { warm: 0, model: model.requested }
  if (!cacheable || inputTokens < 1024) return { read: 0, write: 0 }
  const severity = ctx.cacheSeverity
  let read = 0
  if (ctx.cache.warm > 0) {
    if (ctx.rng.chance(0.97 * (1 - 0.65 * severity))) read = Math.min(ctx.cache.warm, inputTokens)
  } else if (!ctx.freshPrefix && ctx.rng.chance(0.9 * (1 - 0.9 * severity))) {
    read = prompt.prefixTokens
  }
  read = Math.floor(read / 128) * 128
  ctx.cache.warm = inputTokens
  return { read, write: model.reportsCacheWrites ? inputTokens - read : 0 }
}

/** The input tokens an app counted itself before sending; tokenizers disagree on CJK text. */
function localInputTokens(ctx: CallContext, model: ModelSpec, billed: number): number {
  if (isCjk(ctx.locale)) {
    ctx.stats.cjkModelCalls++
    // A cl100k-style local count undercounts Claude's tokenizer and overcounts o200k's.
    return Math.round(billed * (model.provider === 'anthropic' ? ctx.rng.range(0.64, 0.74) : ctx.rng.range(1.12, 1.22)))
  }
  return Math.max(0, Math.round(billed * (1 + ctx.rng.normal(0, 0.003))))
}

/** One attempt at a model call; `overload` makes it fail fast with that provider error. */
function attempt(
  ctx: CallContext,
  parent: SpanNode,
  start: number,
  spec: CallSpec,
  model: ModelSpec,
  extra: Partial<DemoSpan>,
  overload: '429' | '529' | undefined,
): CallResult {
  const { rng, rec } = ctx
  ctx.stats.modelCalls++
  const base: Partial<DemoSpan> = {
    agent_name: spec.agentName,
    model_requested: model.requested,
    provider: model.provider,
    route_segment: spec.segment,
    params: spec.structured
      ? { temperature: 0.2, max_tokens: 1024, response_format: 'json_schema' }
      : { temperature: spec.model === MODELS.classifier ? 0 : 0.3, max_tokens: 1024 },
    ...ctx.prompts.fields(spec.prompt),
    input: spec.messages,
    ...(spec.attributes ? { attributes: spec.attributes } : {}),
    ...extra,
  }
  const node = rec.open(parent, spec.name ?? `chat ${model.requested}`, 'llm', start, base)
  if (overload) {
    rec.fail(node, overload, OVERLOAD_MESSAGES[overload](model))
    ctx.stats.overloadErrors[overload]++
    const end = rec.close(node, start + (overload === '429' ? rng.logNormal(90, 0.4) : rng.logNormal(850, 0.5)))
    return { node, end, failed: true, fallback: false, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0 }
  }
  const inputTokens = spec.prompt.prefixTokens + Math.round(spec.historyTokens)
  const outputTokens = Math.max(1, Math.round(spec.outputTokens))
  const cache = cacheUsage(ctx, model, spec.prompt, inputTokens, spec.cacheable !== false)
  const price = findPrice(model.resolved)
  const costUsd = price ? callCost(price, { input_tokens: inputTokens, output_tokens: outputTokens, cache_read_tokens: cache.read, cache_write_tokens: cache.write }) : 0
  const slow = loadMultiplier(ctx.load)
  const ttft = model.ttftMs * slow * rng.logNormal(1, 0.25) + (inputTokens - cache.read) * 0.012
  const duration = ttft + outputTokens * model.msPerToken * (1 + (slow - 1) * 0.6) * rng.logNormal(1, 0.15)
  Object.assign(node.span, {
    model_resolved: model.resolved,
    input_tokens: inputTokens,
    output_tokens: outputTokens,
    cache_read_tokens: cache.read,
    cache_write_tokens: cache.write,
    local_input_tokens: localInputTokens(ctx, model, inputTokens),
    cost_usd: Math.round(costUsd * 1e8) / 1e8,
    ttft_ms: Math.round(ttft * 10) / 10,
    finish_reason: spec.finishReason ?? 'stop',
    output: spec.output,
    ...(spec.refusal ? { refusal: true } : {}),
    ...(spec.schemaValid !== undefined ? { schema_valid: spec.schemaValid } : {}),
  } satisfies Partial<DemoSpan>)
  const end = rec.close(node, start + duration)
  return { node, end, failed: false, fallback: false, inputTokens, outputTokens, cacheReadTokens: cache.read, cacheWriteTokens: cache.write, costUsd }
}

/**
 * A model call with the client's retry policy: rate limits (429) are retried after a backoff,
 * longer and more often in a retry storm; an overloaded premium provider (529) is retried once
 * and then usually falls back to another model. Every attempt is its own span, linked to the
 * first by retry_of.
 */
export function callModel(ctx: CallContext, parent: SpanNode, start: number, spec: CallSpec): CallResult {
  const { rng } = ctx
  let model = spec.model
  let fallback = false
  let t = start
  let first: string | undefined
  const maxAttempts = ctx.storm ? 7 : 4
  for (let n = 0; ; n++) {
    const extra: Partial<DemoSpan> = {}
    if (spec.retryOf && n === 0) {
      extra.retry_attempt = spec.retryOf.attempt
      extra.retry_of = spec.retryOf.spanId
      extra.attributes = { ...spec.attributes, 'retry.reason': spec.retryOf.reason }
    } else if (n > 0) {
      extra.retry_attempt = n
      extra.retry_of = first
      extra.attributes = { ...spec.attributes, 'retry.reason': 'overloaded' }
      ctx.stats.retries++
    }
    if (fallback) extra.fallback = true
    const overload = rng.chance(overloadProbability(ctx, model)) ? model.overloadCode : undefined
    const result = attempt(ctx, parent, t, spec, model, extra, overload)
    first ??= result.node.span.span_id
    if (!overload) return { ...result, fallback }
    if (n + 1 >= maxAttempts) return { ...result, fallback }
    if (overload === '529' && !fallback && rng.chance(0.7)) {
      model = MODELS.fallback
      fallback = true
      ctx.stats.fallbacks++
    }
    const backoff = overload === '429' ? (ctx.storm ? 400 * 2 ** n : rng.range(800, 2500)) : rng.range(300, 1200)
    t = result.end + backoff * rng.range(0.8, 1.2)
  }
}

/** Rough token count of a text: about 4 characters per token, about one per CJK character. */
export function estimateTokens(text: string): number {
  let cjk = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code >= 0x3000 && code <= 0x9fff) cjk++
  }
  return Math.ceil((text.length - cjk) / 4 + cjk * 1.1)
}

export const AGENT_NAME = PRODUCT.agent
