import { describe, expect, it } from 'vitest'
import { inferKind } from './infer-kind'

describe('inferKind: first match wins', () => {
  it('follows the documented order', () => {
    // langfuse.observation.type beats everything after it.
    expect(inferKind({ 'langfuse.observation.type': 'generation', 'openinference.span.kind': 'TOOL' })).toBe('llm')
    expect(inferKind({ 'openinference.span.kind': 'RETRIEVER', 'gen_ai.operation.name': 'chat' })).toBe('retriever')
    expect(inferKind({ 'gen_ai.operation.name': 'execute_tool', 'traceloop.span.kind': 'agent' })).toBe('tool')
    expect(inferKind({ 'traceloop.span.kind': 'workflow', 'ai.operationId': 'ai.toolCall' })).toBe('chain')
    expect(inferKind({ 'ai.operationId': 'ai.toolCall', 'gen_ai.request.model': 'gpt-4o' })).toBe('tool')
    expect(inferKind({ 'gen_ai.tool.name': 'search', 'gen_ai.request.model': 'gpt-4o' })).toBe('tool')
    expect(inferKind({ 'gen_ai.request.model': 'gpt-4o' })).toBe('llm')
    expect(inferKind({ 'http.method': 'GET' })).toBe('other')
  })

  it('maps every OpenInference kind', () => {
    const kinds = { LLM: 'llm', TOOL: 'tool', RETRIEVER: 'retriever', RERANKER: 'reranker', EMBEDDING: 'embedding', CHAIN: 'chain', AGENT: 'agent', GUARDRAIL: 'guardrail', EVALUATOR: 'eval' }
    for (const [oi, ours] of Object.entries(kinds)) expect(inferKind({ 'openinference.span.kind': oi })).toBe(ours)
  })

  it('maps GenAI operation names', () => {
    const ops = {
      chat: 'llm',
      text_completion: 'llm',
      generate_content: 'llm',
      embeddings: 'embedding',
      execute_tool: 'tool',
      invoke_agent: 'agent',
      create_agent: 'agent',
      invoke_workflow: 'chain',
      agent_step: 'chain',
      plan: 'chain',
      retrieval: 'retriever',
      search_memory: 'retriever',
      rerank: 'reranker',
    }
    for (const [op, ours] of Object.entries(ops)) expect(inferKind({ 'gen_ai.operation.name': op })).toBe(ours)
  })

  it('lets generic values fall through', () => {
    expect(inferKind({ 'langfuse.observation.type': 'span', 'gen_ai.request.model': 'm' })).toBe('llm')
    expect(inferKind({ 'openinference.span.kind': 'UNKNOWN', 'tool.name': 'x', 'gen_ai.tool.name': 'x' })).toBe('tool')
    expect(inferKind({ 'traceloop.span.kind': 'task' })).toBe('other')
  })

  it('makes only AI SDK provider calls model calls; wrappers that repeat usage are chains', () => {
    const wrapper = { 'ai.operationId': 'ai.generateText', 'ai.model.id': 'gpt-4o', 'gen_ai.request.model': 'gpt-4o', 'ai.usage.inputTokens': 10 }
    expect(inferKind(wrapper)).toBe('chain')
    expect(inferKind({ 'ai.operationId': 'ai.generateText.doGenerate', 'gen_ai.request.model': 'gpt-4o' })).toBe('llm')
    expect(inferKind({ 'ai.operationId': 'ai.streamText.doStream' })).toBe('llm')
    expect(inferKind({ 'ai.operationId': 'ai.embed.doEmbed' })).toBe('embedding')
    expect(inferKind({ 'ai.operationId': 'ai.toolCall' })).toBe('tool')
  })

  it('does not take tool definitions offered to a model for a tool call', () => {
    expect(inferKind({ 'gen_ai.tool.definitions': '[{"name":"search"}]', 'gen_ai.request.model': 'gpt-4o' })).toBe('llm')
  })

  it('never uses the OTel SpanKind (OpenInference LLM spans are INTERNAL)', () => {
    expect(inferKind({ 'span.kind': 'client' })).toBe('other')
  })
})
