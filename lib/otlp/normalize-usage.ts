// Token usage from any convention, normalized once so our columns always mean the same thing:
//   input_tokens        every input token of the call, cached ones INCLUDED
//   cache_read_tokens   input tokens served from the provider's prompt cache
//   cache_write_tokens  input tokens written to the cache
//   output_tokens       every output token, reasoning INCLUDED
//   reasoning_tokens    the reasoning share of output_tokens
// Senders disagree on the first: OTel GenAI, the AI SDK, Traceloop and OpenAI-based
// instrumentations report input including cache; older OpenInference JS for Anthropic reported
// Anthropic's raw `input_tokens`, which excludes cache, while current versions include it;
// Langfuse usage_details are disjoint buckets (input, cache reads, ... each counted once).
// No provider or instrumentation is assumed: an input count smaller than its own cached part
// cannot include it and is brought to the inclusive form; any other count is taken as sent.
import type { Attributes } from './otlp-span'
import { parseJsonish } from './json-values'

export type InputShape = 'includes_cache' | 'excludes_cache'

export interface ReportedUsage {
  input?: number
  output?: number
  reasoning?: number
  cacheRead?: number
  cacheWrite?: number
  /** Whether the sender's input count already contains the cached tokens. */
  shape: InputShape
}

export interface NormalizedUsage {
  input_tokens?: number
  output_tokens?: number
  reasoning_tokens?: number
  cache_read_tokens?: number
  cache_write_tokens?: number
}

/** The one place where reported usage becomes our columns' meaning. */
export function normalizeUsage(usage: ReportedUsage): NormalizedUsage {
  const cacheRead = usage.cacheRead ?? 0
  const cacheWrite = usage.cacheWrite ?? 0
  let input = usage.input
  // An input count smaller than its own cached part cannot include it, whatever the sender.
  const excludes = usage.shape === 'excludes_cache' || (input !== undefined && cacheRead + cacheWrite > input)
  if (input !== undefined && excludes) input += cacheRead + cacheWrite
  const out: NormalizedUsage = {}
  if (input !== undefined) out.input_tokens = input
  if (usage.output !== undefined) out.output_tokens = usage.output
  if (usage.reasoning !== undefined) out.reasoning_tokens = usage.reasoning
  if (usage.cacheRead !== undefined) out.cache_read_tokens = usage.cacheRead
  if (usage.cacheWrite !== undefined) out.cache_write_tokens = usage.cacheWrite
  return out
}

/** A token count: a non-negative integer, as a number or a numeric string. */
export function tokenCount(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN
  if (!Number.isFinite(n) || n < 0) return undefined
  return Math.min(Math.round(n), 4_294_967_295)
}

function first(attributes: Attributes, keys: readonly string[]): { value: number; key: string } | undefined {
  for (const key of keys) {
    const value = tokenCount(attributes[key])
    if (value !== undefined) return { value, key }
  }
  return undefined
}

// Each list: current OTel names first, then the <= 1.36 / Traceloop names, OpenInference, the
// AI SDK (v6 and older), so the newest name wins when several are present.
const INPUT_KEYS = ['gen_ai.usage.input_tokens', 'gen_ai.usage.prompt_tokens', 'llm.token_count.prompt', 'ai.usage.inputTokens', 'ai.usage.promptTokens']
const OUTPUT_KEYS = ['gen_ai.usage.output_tokens', 'gen_ai.usage.completion_tokens', 'llm.token_count.completion', 'ai.usage.outputTokens', 'ai.usage.completionTokens']
const REASONING_KEYS = [
  'gen_ai.usage.reasoning.output_tokens',
  'gen_ai.usage.reasoning_tokens',
  'llm.token_count.completion_details.reasoning',
  'ai.usage.outputTokenDetails.reasoningTokens',
  'ai.usage.reasoningTokens',
]
const CACHE_READ_KEYS = [
  'gen_ai.usage.cache_read.input_tokens',
  'gen_ai.usage.cache_read_input_tokens',
  'llm.token_count.prompt_details.cache_read',
  'ai.usage.inputTokenDetails.cacheReadTokens',
  'ai.usage.cachedInputTokens',
]
const CACHE_WRITE_KEYS = [
  'gen_ai.usage.cache_creation.input_tokens',
  'gen_ai.usage.cache_creation_input_tokens',
  'llm.token_count.prompt_details.cache_write',
  'ai.usage.inputTokenDetails.cacheWriteTokens',
]

/** Langfuse usage_details: disjoint buckets such as {input, output, cache_read_input_tokens}. */
function langfuseUsage(details: Record<string, unknown>): ReportedUsage {
  let input: number | undefined
  let output: number | undefined
  let reasoning: number | undefined
  let cacheRead: number | undefined
  let cacheWrite: number | undefined
  const add = (current: number | undefined, value: number) => (current ?? 0) + value
  for (const [key, raw] of Object.entries(details)) {
    const value = tokenCount(raw)
    if (value === undefined || key === 'total' || key === 'total_tokens') continue
    const k = key.toLowerCase()
    if (/cache_read|cached|cache_hit/.test(k)) cacheRead = add(cacheRead, value)
    else if (/cache_creation|cache_write/.test(k)) cacheWrite = add(cacheWrite, value)
    else if (/reasoning/.test(k)) reasoning = add(reasoning, value)
    else if (/^(input|prompt)/.test(k)) input = add(input, value)
    else if (/^(output|completion)/.test(k)) output = add(output, value)
  }
  // Output buckets are disjoint too: reasoning is part of what the model produced.
  if (reasoning !== undefined) output = add(output, reasoning)
  return { input, output, reasoning, cacheRead, cacheWrite, shape: 'excludes_cache' }
}

/**
 * Reads usage from a span's attributes, whichever convention carried it, and normalizes it.
 * Keys whose count is stored unchanged are added to `stored` (a count that was normalized keeps
 * its raw attribute).
 */
export function usageFromAttributes(attributes: Attributes, stored?: Set<string>): NormalizedUsage {
  const input = first(attributes, INPUT_KEYS)
  const output = first(attributes, OUTPUT_KEYS)
  const reasoning = first(attributes, REASONING_KEYS)
  const cacheRead = first(attributes, CACHE_READ_KEYS)
  const cacheWrite = first(attributes, CACHE_WRITE_KEYS)
  if (input === undefined && output === undefined) {
    const details = parseJsonish(attributes['langfuse.observation.usage_details'])
    if (details && typeof details === 'object' && !Array.isArray(details)) return normalizeUsage(langfuseUsage(details as Record<string, unknown>))
  }
  // Counts only carried inside JSON blobs (provider metadata, Google ADK's response, Genkit's
  // output) fill what the flat attributes left out.
  const blob = usageFromBlobs(attributes)
  const reported: ReportedUsage = {
    input: input?.value ?? blob.input,
    output: output?.value ?? blob.output,
    reasoning: reasoning?.value ?? blob.reasoning,
    cacheRead: cacheRead?.value ?? blob.cacheRead,
    cacheWrite: cacheWrite?.value ?? blob.cacheWrite,
    shape: 'includes_cache',
  }
  const normalized = normalizeUsage(reported)
  if (stored) {
    for (const found of [output, reasoning, cacheRead, cacheWrite]) if (found) stored.add(found.key)
    if (input && normalized.input_tokens === input.value) stored.add(input.key)
  }
  return normalized
}

type BlobUsage = Omit<ReportedUsage, 'shape'>

function record(value: unknown): Record<string, unknown> | undefined {
  const parsed = parseJsonish(value)
  return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined
}

function path(root: Record<string, unknown> | undefined, ...keys: string[]): unknown {
  let node: unknown = root
  for (const key of keys) {
    if (!node || typeof node !== 'object') return undefined
    node = (node as Record<string, unknown>)[key]
  }
  return node
}

function firstCount(...values: unknown[]): number | undefined {
  for (const value of values) {
    const n = tokenCount(value)
    if (n !== undefined) return n
  }
  return undefined
}

/**
 * Usage that some senders carry only inside JSON attributes:
 *   AI SDK `ai.response.providerMetadata`: Anthropic cacheCreationInputTokens / cacheReadInputTokens,
 *     Bedrock usage.cacheReadInputTokens / cacheWriteInputTokens, OpenAI cachedPromptTokens;
 *   AI SDK embeddings `ai.usage.tokens` (all input);
 *   Google ADK `gcp.vertex.agent.llm_response` usage_metadata (prompt includes cached content);
 *   Genkit `genkit:output` usage {inputTokens, outputTokens, cachedContentTokens, thoughtsTokens}.
 */
export function usageFromBlobs(attributes: Attributes): BlobUsage {
  const out: BlobUsage = {}
  const provider = record(attributes['ai.response.providerMetadata'])
  if (provider) {
    out.cacheRead = firstCount(
      path(provider, 'anthropic', 'cacheReadInputTokens'),
      path(provider, 'bedrock', 'usage', 'cacheReadInputTokens'),
      path(provider, 'openai', 'cachedPromptTokens'),
    )
    out.cacheWrite = firstCount(path(provider, 'anthropic', 'cacheCreationInputTokens'), path(provider, 'bedrock', 'usage', 'cacheWriteInputTokens'))
    out.reasoning = firstCount(path(provider, 'openai', 'reasoningTokens'))
  }
  out.input ??= tokenCount(attributes['ai.usage.tokens'])
  const adk = record(attributes['gcp.vertex.agent.llm_response'])
  const adkUsage = (path(adk, 'usage_metadata') ?? path(adk, 'usageMetadata')) as Record<string, unknown> | undefined
  if (adkUsage && typeof adkUsage === 'object') {
    out.input ??= firstCount(adkUsage.prompt_token_count, adkUsage.promptTokenCount)
    out.cacheRead ??= firstCount(adkUsage.cached_content_token_count, adkUsage.cachedContentTokenCount)
    // Gemini counts thoughts apart from the candidates; our output includes reasoning.
    const thoughts = firstCount(adkUsage.thoughts_token_count, adkUsage.thoughtsTokenCount)
    const candidates = firstCount(adkUsage.candidates_token_count, adkUsage.candidatesTokenCount)
    out.reasoning ??= thoughts
    if (candidates !== undefined) out.output ??= candidates + (thoughts ?? 0)
  }
  const genkit = attributes['genkit:metadata:subtype'] === 'model' ? record(attributes['genkit:output']) : undefined
  const genkitUsage = path(genkit, 'usage') as Record<string, unknown> | undefined
  if (genkitUsage && typeof genkitUsage === 'object') {
    out.input ??= tokenCount(genkitUsage.inputTokens)
    out.cacheRead ??= tokenCount(genkitUsage.cachedContentTokens)
    const thoughts = tokenCount(genkitUsage.thoughtsTokens)
    const output = tokenCount(genkitUsage.outputTokens)
    out.reasoning ??= thoughts
    if (output !== undefined) out.output ??= output + (thoughts ?? 0)
  }
  return out
}
