import { describe, expect, it } from 'vitest'
import { normalizeUsage, usageFromAttributes } from './normalize-usage'

describe('normalizeUsage: input tokens always include cached tokens', () => {
  it('keeps an inclusive count as is (OTel, AI SDK, OpenAI-style)', () => {
    expect(normalizeUsage({ input: 1200, output: 300, cacheRead: 1000, cacheWrite: 0, shape: 'includes_cache' })).toEqual({
      input_tokens: 1200,
      output_tokens: 300,
      cache_read_tokens: 1000,
      cache_write_tokens: 0,
    })
  })

  it('adds cache reads and writes to an exclusive count (Anthropic raw input)', () => {
    expect(normalizeUsage({ input: 12, output: 50, cacheRead: 1000, cacheWrite: 200, shape: 'excludes_cache' })).toEqual({
      input_tokens: 1212,
      output_tokens: 50,
      cache_read_tokens: 1000,
      cache_write_tokens: 200,
    })
  })

  it('treats an "inclusive" count smaller than its cached part as exclusive', () => {
    expect(normalizeUsage({ input: 5, cacheRead: 900, shape: 'includes_cache' }).input_tokens).toBe(905)
  })

  it('leaves counts that were not reported unset', () => {
    expect(normalizeUsage({ output: 7, shape: 'includes_cache' })).toEqual({ output_tokens: 7 })
  })
})

describe('usageFromAttributes: each convention, one meaning', () => {
  it('reads current OTel GenAI names (input includes cache)', () => {
    expect(
      usageFromAttributes(
        {
          'gen_ai.usage.input_tokens': 1500,
          'gen_ai.usage.output_tokens': 80,
          'gen_ai.usage.reasoning.output_tokens': 20,
          'gen_ai.usage.cache_read.input_tokens': 1024,
          'gen_ai.usage.cache_creation.input_tokens': 0,
        },
      ),
    ).toEqual({ input_tokens: 1500, output_tokens: 80, reasoning_tokens: 20, cache_read_tokens: 1024, cache_write_tokens: 0 })
  })

  it('prefers current names over <= 1.36 names when both are present', () => {
    expect(usageFromAttributes({ 'gen_ai.usage.input_tokens': 10, 'gen_ai.usage.prompt_tokens': 99, 'gen_ai.usage.completion_tokens': 3 })).toEqual({
      input_tokens: 10,
      output_tokens: 3,
    })
  })

  it('leaves a normalized raw count in the attributes and takes the unchanged ones', () => {
    const stored = new Set<string>()
    const attributes = { 'llm.token_count.prompt': 14, 'llm.token_count.completion': 60, 'llm.token_count.prompt_details.cache_read': 3000 }
    expect(usageFromAttributes(attributes, stored).input_tokens).toBe(3014)
    expect([...stored].sort()).toEqual(['llm.token_count.completion', 'llm.token_count.prompt_details.cache_read'])
  })

  it('reads Traceloop cache names', () => {
    expect(
      usageFromAttributes({ 'gen_ai.usage.prompt_tokens': 2100, 'gen_ai.usage.cache_read_input_tokens': 2000, 'gen_ai.usage.cache_creation_input_tokens': 50 }),
    ).toMatchObject({ input_tokens: 2100, cache_read_tokens: 2000, cache_write_tokens: 50 })
  })

  it('normalizes OpenInference for Anthropic by the general rule: raw input smaller than its cached part', () => {
    const usage = usageFromAttributes({
      'llm.token_count.prompt': 14,
      'llm.token_count.completion': 60,
      'llm.token_count.prompt_details.cache_read': 3000,
      'llm.token_count.prompt_details.cache_write': 400,
    })
    expect(usage).toEqual({ input_tokens: 3414, output_tokens: 60, cache_read_tokens: 3000, cache_write_tokens: 400 })
  })

  it('does not add cache again when current OpenInference for Anthropic already includes it (1,754 stays 1,754)', () => {
    const usage = usageFromAttributes({
      'openinference.span.kind': 'LLM',
      'llm.provider': 'anthropic',
      'llm.token_count.prompt': 1754,
      'llm.token_count.completion': 120,
      'llm.token_count.prompt_details.cache_read': 1500,
      'llm.token_count.prompt_details.cache_write': 233,
    })
    expect(usage).toEqual({ input_tokens: 1754, output_tokens: 120, cache_read_tokens: 1500, cache_write_tokens: 233 })
  })

  it('reads usage carried only inside JSON blobs', () => {
    // AI SDK provider metadata: Anthropic, Bedrock, OpenAI.
    expect(
      usageFromAttributes({
        'ai.usage.inputTokens': 2400,
        'ai.usage.outputTokens': 80,
        'ai.response.providerMetadata': JSON.stringify({ anthropic: { cacheCreationInputTokens: 300, cacheReadInputTokens: 2000 } }),
      }),
    ).toEqual({ input_tokens: 2400, output_tokens: 80, cache_read_tokens: 2000, cache_write_tokens: 300 })
    expect(
      usageFromAttributes({ 'ai.usage.inputTokens': 50, 'ai.response.providerMetadata': { bedrock: { usage: { cacheReadInputTokens: 900, cacheWriteInputTokens: 0 } } } }),
    ).toEqual({ input_tokens: 950, cache_read_tokens: 900, cache_write_tokens: 0 })
    expect(usageFromAttributes({ 'ai.usage.inputTokens': 1200, 'ai.response.providerMetadata': '{"openai":{"cachedPromptTokens":1024}}' })).toMatchObject({
      input_tokens: 1200,
      cache_read_tokens: 1024,
    })
    // AI SDK embeddings.
    expect(usageFromAttributes({ 'ai.usage.tokens': 12 })).toEqual({ input_tokens: 12 })
    // Google ADK's response usage_metadata (thoughts are part of our output).
    expect(
      usageFromAttributes({
        'gcp.vertex.agent.llm_response': JSON.stringify({ usage_metadata: { prompt_token_count: 5000, candidates_token_count: 40, cached_content_token_count: 4096, thoughts_token_count: 10 } }),
      }),
    ).toEqual({ input_tokens: 5000, output_tokens: 50, reasoning_tokens: 10, cache_read_tokens: 4096 })
    // A flat count wins over the blob.
    expect(usageFromAttributes({ 'gen_ai.usage.input_tokens': 7, 'gcp.vertex.agent.llm_response': '{"usage_metadata":{"prompt_token_count":9}}' })).toEqual({ input_tokens: 7 })
  })

  it('keeps OpenInference for OpenAI as sent (prompt includes cached tokens)', () => {
    const usage = usageFromAttributes({ 'llm.token_count.prompt': 3414, 'llm.token_count.completion': 60, 'llm.token_count.prompt_details.cache_read': 3000 })
    expect(usage).toMatchObject({ input_tokens: 3414, cache_read_tokens: 3000 })
  })

  it('reads the AI SDK usage names (v6 and older)', () => {
    expect(
      usageFromAttributes({ 'ai.usage.inputTokens': 900, 'ai.usage.outputTokens': 40, 'ai.usage.cachedInputTokens': 800, 'ai.usage.reasoningTokens': 5 }),
    ).toEqual({ input_tokens: 900, output_tokens: 40, reasoning_tokens: 5, cache_read_tokens: 800 })
    expect(usageFromAttributes({ 'ai.usage.promptTokens': 9, 'ai.usage.completionTokens': 4 })).toEqual({ input_tokens: 9, output_tokens: 4 })
  })

  it('reads Langfuse usage_details (disjoint buckets) from a JSON string or an object', () => {
    const expected = { input_tokens: 1100, output_tokens: 70, reasoning_tokens: 20, cache_read_tokens: 1000 }
    const details = { input: 100, input_cached_tokens: 1000, output: 50, output_reasoning_tokens: 20, total: 1170 }
    expect(usageFromAttributes({ 'langfuse.observation.usage_details': JSON.stringify(details) })).toEqual(expected)
    expect(usageFromAttributes({ 'langfuse.observation.usage_details': details })).toEqual(expected)
  })

  it('accepts counts sent as numeric strings and ignores garbage', () => {
    expect(usageFromAttributes({ 'gen_ai.usage.input_tokens': '42', 'gen_ai.usage.output_tokens': 'many' })).toEqual({ input_tokens: 42 })
  })
})
