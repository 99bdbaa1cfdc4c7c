// Our span kind from the attributes an instrumentation sent. First match wins, in this order:
//   langfuse.observation.type -> openinference.span.kind -> gen_ai.operation.name ->
//   traceloop.span.kind -> Genkit's genkit:metadata:subtype / genkit:type -> ai.operationId
//   (Vercel AI SDK) -> gen_ai.tool.* present -> a model attribute present -> an agent run
//   (Pydantic AI) -> other.
// The OTel SpanKind (client/server/internal) is never used: OpenInference LLM spans are INTERNAL.
// Generic values ("span", "UNKNOWN", "task") say nothing about the work and fall through.
import type { SpanKind } from '@/lib/ingest/span-schema'
import type { Attributes } from './otlp-span'

const LANGFUSE_TYPES: Record<string, SpanKind> = {
  generation: 'llm',
  embedding: 'embedding',
  agent: 'agent',
  tool: 'tool',
  chain: 'chain',
  retriever: 'retriever',
  evaluator: 'eval',
  guardrail: 'guardrail',
}

const OPENINFERENCE_KINDS: Record<string, SpanKind> = {
  LLM: 'llm',
  TOOL: 'tool',
  RETRIEVER: 'retriever',
  RERANKER: 'reranker',
  EMBEDDING: 'embedding',
  CHAIN: 'chain',
  AGENT: 'agent',
  GUARDRAIL: 'guardrail',
  EVALUATOR: 'eval',
  // Rendering a prompt template is a step of work, not a model call.
  PROMPT: 'chain',
}

const OPERATIONS: Record<string, SpanKind> = {
  chat: 'llm',
  text_completion: 'llm',
  generate_content: 'llm',
  completion: 'llm',
  // Semantic Kernel's names for chat and text completions.
  'chat.completions': 'llm',
  'text.completions': 'llm',
  embeddings: 'embedding',
  embedding: 'embedding',
  execute_tool: 'tool',
  invoke_agent: 'agent',
  create_agent: 'agent',
  agent: 'agent',
  invoke_workflow: 'chain',
  // Vercel AI SDK v7 (@ai-sdk/otel): `step n` spans between invoke_agent and its chat calls.
  agent_step: 'chain',
  plan: 'chain',
  retrieval: 'retriever',
  retrieve: 'retriever',
  rerank: 'reranker',
  guardrail: 'guardrail',
  apply_guardrail: 'guardrail',
  evaluate: 'eval',
}

const TRACELOOP_KINDS: Record<string, SpanKind> = {
  workflow: 'chain',
  agent: 'agent',
  tool: 'tool',
}

// Genkit actions: `genkit:metadata:subtype` says what the action is (`genkit:type` is 'action'
// for most, 'flow' or 'util' for some).
const GENKIT_KINDS: Record<string, SpanKind> = {
  model: 'llm',
  'background-model': 'llm',
  tool: 'tool',
  flow: 'chain',
  prompt: 'chain',
  'executable-prompt': 'chain',
  embedder: 'embedding',
  retriever: 'retriever',
  indexer: 'retriever',
  reranker: 'reranker',
  evaluator: 'eval',
}

/** Model attributes whose presence makes an otherwise unclassified span a model call. */
export const MODEL_ATTRIBUTE_KEYS = [
  'gen_ai.request.model',
  'gen_ai.response.model',
  'llm.model_name',
  'llm.request.model_name',
  'llm.response.model_name',
  'langfuse.observation.model.name',
  'embedding.model_name',
]

function text(attributes: Attributes, key: string): string {
  const value = attributes[key]
  return typeof value === 'string' ? value.trim() : ''
}

/** Vercel AI SDK v6 operation ids: only the provider calls are model calls; wrappers are chains. */
function fromAiOperationId(operationId: string): SpanKind | undefined {
  if (!operationId.startsWith('ai.')) return undefined
  if (operationId === 'ai.toolCall') return 'tool'
  if (/\.doEmbed$/.test(operationId)) return 'embedding'
  if (/\.doRerank$/.test(operationId)) return 'reranker'
  if (/\.(doGenerate|doStream)$/.test(operationId)) return 'llm'
  // ai.generateText, ai.streamText, ai.generateObject, ai.embed, ai.rerank, ...: they repeat
  // the summed usage of the calls beneath them and must not count as model calls themselves.
  return 'chain'
}

export function inferKind(attributes: Attributes): SpanKind {
  const langfuse = LANGFUSE_TYPES[text(attributes, 'langfuse.observation.type').toLowerCase()]
  if (langfuse) return langfuse

  const openinference = OPENINFERENCE_KINDS[text(attributes, 'openinference.span.kind').toUpperCase()]
  if (openinference) return openinference

  const operation = text(attributes, 'gen_ai.operation.name').toLowerCase()
  if (operation) {
    const kind = OPERATIONS[operation] ?? (/memory|retriev|search/.test(operation) ? 'retriever' : undefined)
    if (kind) return kind
  }

  const traceloop = TRACELOOP_KINDS[text(attributes, 'traceloop.span.kind').toLowerCase()]
  if (traceloop) return traceloop

  const genkit = GENKIT_KINDS[text(attributes, 'genkit:metadata:subtype')] ?? GENKIT_KINDS[text(attributes, 'genkit:type')]
  if (genkit) return genkit

  const aiKind = fromAiOperationId(text(attributes, 'ai.operationId'))
  if (aiKind) return aiKind

  // gen_ai.tool.definitions lists the tools offered to a model: it sits on model calls.
  if (Object.keys(attributes).some((key) => key.startsWith('gen_ai.tool.') && key !== 'gen_ai.tool.definitions')) return 'tool'
  if (MODEL_ATTRIBUTE_KEYS.some((key) => text(attributes, key) !== '')) return 'llm'
  // Pydantic AI's `agent run` span names its agent and carries the run's messages, no operation.
  if (text(attributes, 'gen_ai.agent.name') !== '' || 'pydantic_ai.all_messages' in attributes || 'all_messages_events' in attributes) return 'agent'
  return 'other'
}
