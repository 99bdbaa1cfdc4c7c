// Maps the attributes of one OTLP span (OTel GenAI current and <= 1.36 names, OpenInference,
// Vercel AI SDK v6/v7, Traceloop/OpenLLMetry, Langfuse, and our own flightline.* names) onto
// the native span fields. Where several conventions carry the same fact, the lists below are
// in order of preference: the current OTel name first. The mapping table is in docs/attributes.md.
import type { SpanInput } from '@/lib/ingest/span-schema'
import { inferKind } from './infer-kind'
import { asBoolean, asNumber, asRecord, asStringList, asText, parseJsonish } from './json-values'
import { tokenCount, usageFromAttributes } from './normalize-usage'
import type { Attributes } from './otlp-span'

/** The native span fields this module fills (everything but ids, times, status and events). */
export type MappedFields = Partial<
  Pick<
    SpanInput,
    | 'kind'
    | 'tenant_id'
    | 'user_id'
    | 'session_id'
    | 'agent_name'
    | 'model_requested'
    | 'model_resolved'
    | 'provider'
    | 'input_tokens'
    | 'output_tokens'
    | 'reasoning_tokens'
    | 'cache_read_tokens'
    | 'cache_write_tokens'
    | 'local_input_tokens'
    | 'cost_usd'
    | 'params'
    | 'prompt_name'
    | 'prompt_version'
    | 'system_prompt'
    | 'tool_name'
    | 'tool_call_id'
    | 'retry_attempt'
    | 'retry_of'
    | 'route_segment'
    | 'fallback'
    | 'refusal'
    | 'schema_valid'
    | 'finish_reason'
    | 'ttft_ms'
    | 'eval_run_id'
    | 'tags'
    | 'input'
    | 'output'
  >
> & {
  /** Span attributes not stored unchanged in a column nor moved to input/output/system_prompt. */
  attributes: Attributes
  /** Langfuse's completion start time (ISO), turned into ttft_ms against the span start. */
  completionStartTime?: string
  /** Langfuse level ERROR and its message. */
  levelError?: string
}

export interface MappingOptions {
  /** The project's own tenant attribute key (projects.settings.tenantAttribute). */
  tenantAttribute?: string
}

const MAX_TEXT = 256

function clip(value: string | undefined, max = MAX_TEXT): string | undefined {
  if (value === undefined) return undefined
  return value.length > max ? value.slice(0, max) : value
}

const METADATA_PREFIXES = ['', 'ai.telemetry.metadata.', 'traceloop.association.properties.', 'langfuse.trace.metadata.', 'langfuse.observation.metadata.']
const metadataKeyCache = new Map<string, string[]>()

/** Where application metadata keys appear in each convention, for user/session/tenant keys. */
function metadataKeys(key: string): string[] {
  let keys = metadataKeyCache.get(key)
  if (!keys) {
    keys = METADATA_PREFIXES.map((prefix) => prefix + key)
    if (metadataKeyCache.size < 1000) metadataKeyCache.set(key, keys)
  }
  return keys
}

class AttributeReader {
  /**
   * Keys whose value is stored unchanged in a column (or became the input, output or system
   * prompt); they are not repeated in `attributes`. Values that were cut, converted or only
   * used to infer something stay there.
   */
  readonly consumed = new Set<string>()
  private metadata: Record<string, unknown> | undefined | null = null

  constructor(
    readonly attributes: Attributes,
    readonly resource: Attributes,
  ) {}

  /** The first of `keys` present, as text, and which key it was. */
  find(keys: readonly string[]): { key: string; value: string } | undefined {
    for (const key of keys) {
      const value = asText(this.attributes[key])
      if (value !== undefined) return { key, value }
    }
    return undefined
  }

  /** Reads without taking: the attribute stays in `attributes`. */
  text(...keys: string[]): string | undefined {
    return this.find(keys)?.value
  }

  /** Reads a value that goes to a column as is: it is not repeated in `attributes` (unless it will be cut). */
  take(...keys: string[]): string | undefined {
    const found = this.find(keys)
    if (!found) return undefined
    if (found.value.length <= MAX_TEXT) this.consumed.add(found.key)
    return found.value
  }

  /** A metadata value: direct keys, then the conventions' metadata prefixes, then OpenInference's `metadata` JSON. */
  meta(...keys: string[]): string | undefined {
    for (const key of keys) {
      const value = this.take(...metadataKeys(key))
      if (value !== undefined) return value
    }
    if (this.metadata === null) this.metadata = asRecord(this.attributes.metadata)
    for (const key of keys) {
      const value = asText(this.metadata?.[key])
      if (value !== undefined) return value
    }
    return undefined
  }

  resourceText(...keys: string[]): string | undefined {
    for (const key of keys) {
      const value = asText(this.resource[key])
      if (value !== undefined) return value
    }
    return undefined
  }

  /**
   * Our flightline.* names: span attribute first, resource attribute as fallback. A span value
   * that converts (and fits) goes to its column only; one that does not stays in `attributes`.
   */
  own<T>(key: string, convert: (value: unknown) => T | undefined, max = MAX_TEXT): T | undefined {
    const onSpan = this.attributes[key]
    const raw = onSpan ?? this.resource[key]
    const value = raw === undefined || raw === null ? undefined : convert(raw)
    if (value !== undefined && onSpan !== undefined && onSpan !== null && !(typeof value === 'string' && value.length > max)) this.consumed.add(key)
    return typeof value === 'string' ? (clip(value, max) as T) : value
  }

  /** A payload as sent: JSON text stays text (it is stored as text anyway), structured values stay structured. */
  payload(...keys: string[]): unknown {
    for (const key of keys) {
      const value = this.attributes[key]
      if (value === undefined || value === null || value === '') continue
      this.consumed.add(key)
      return value
    }
    return undefined
  }

  /** Indexed flattened messages: `prefix.0.role`, `prefix.0.content`, `prefix.0.message.role`, ... */
  indexedMessages(prefix: string): Record<string, unknown>[] | undefined {
    const messages: Record<string, unknown>[] = []
    const start = `${prefix}.`
    for (const [key, value] of Object.entries(this.attributes)) {
      if (!key.startsWith(start)) continue
      const rest = key.slice(start.length)
      const dot = rest.indexOf('.')
      if (dot <= 0) continue
      const index = Number(rest.slice(0, dot))
      if (!Number.isInteger(index) || index < 0 || index > 10_000) continue
      const path = rest.slice(dot + 1).replace(/^message\./, '')
      const message = (messages[index] ??= {})
      setPath(message, path, parseJsonish(value))
      this.consumed.add(key)
    }
    const present = messages.filter(Boolean)
    return present.length > 0 ? present : undefined
  }
}

/** Sets `a.b.0.c` style paths inside an object, creating objects and arrays as needed. */
function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.')
  let node: Record<string, unknown> | unknown[] = target
  for (let i = 0; i < parts.length - 1; i++) {
    const key = parts[i]
    const nextIsIndex = /^\d+$/.test(parts[i + 1])
    const container = node as Record<string, unknown>
    if (typeof container[key] !== 'object' || container[key] === null) container[key] = nextIsIndex ? [] : {}
    node = container[key] as Record<string, unknown>
  }
  ;(node as Record<string, unknown>)[parts[parts.length - 1]] = value
}

/** Provider names such as the AI SDK's `openai.chat` or `anthropic.messages` name the provider before the dot. */
function providerName(value: string | undefined): string | undefined {
  if (!value) return undefined
  // Google ADK's `gcp.vertex.agent` is one name, not a provider with a suffix.
  if (value.startsWith('gcp.')) return value
  const dot = value.indexOf('.')
  return dot > 0 ? value.slice(0, dot) : value
}

function genkitModelName(name: string | undefined): { provider?: string; model: string } | undefined {
  if (!name) return undefined
  const slash = name.indexOf('/')
  return slash > 0 ? { provider: name.slice(0, slash), model: name.slice(slash + 1) } : { model: name }
}

function textOfContent(content: unknown): string | undefined {
  if (typeof content === 'string') return content
  if (Array.isArray(content)) {
    const parts = content
      .map((part) => (typeof part === 'string' ? part : part && typeof part === 'object' ? asText((part as Record<string, unknown>).text ?? (part as Record<string, unknown>).content) : undefined))
      .filter((part): part is string => part !== undefined)
    return parts.length > 0 ? parts.join('\n') : undefined
  }
  return undefined
}

/** The system prompt: OTel's system instructions, else the first system message of the input. */
function systemPrompt(reader: AttributeReader, payload: unknown): string | undefined {
  const instructions = reader.attributes['gen_ai.system_instructions']
  if (instructions !== undefined && instructions !== null && instructions !== '') {
    const parsed = parseJsonish(instructions)
    const text = typeof parsed === 'string' ? parsed : textOfContent(parsed)
    if (text) {
      reader.consumed.add('gen_ai.system_instructions')
      return text
    }
  }
  // Parse JSON text only when it can hold a system message.
  const input = typeof payload === 'string' ? (payload.includes('"system"') ? parseJsonish(payload) : undefined) : payload
  // The AI SDK's `ai.prompt` is {system, prompt | messages}.
  if (input && typeof input === 'object' && !Array.isArray(input)) {
    const sdkSystem = asText((input as Record<string, unknown>).system)
    if (sdkSystem) return sdkSystem
  }
  const messages = Array.isArray(input) ? input : input && typeof input === 'object' && Array.isArray((input as Record<string, unknown>).messages) ? ((input as Record<string, unknown>).messages as unknown[]) : undefined
  const system = messages?.find((m) => m && typeof m === 'object' && (m as Record<string, unknown>).role === 'system') as Record<string, unknown> | undefined
  return system ? textOfContent(system.content ?? system.parts) : undefined
}

const OTEL_PARAMS: Record<string, string> = {
  'gen_ai.request.temperature': 'temperature',
  'gen_ai.request.top_p': 'top_p',
  'gen_ai.request.top_k': 'top_k',
  'gen_ai.request.max_tokens': 'max_tokens',
  'gen_ai.request.seed': 'seed',
  'gen_ai.request.frequency_penalty': 'frequency_penalty',
  'gen_ai.request.presence_penalty': 'presence_penalty',
  'gen_ai.request.stop_sequences': 'stop_sequences',
  'gen_ai.request.choice.count': 'choice_count',
}

/** Model parameters: OTel request attributes, OpenInference/Langfuse JSON, AI SDK settings. */
function params(reader: AttributeReader): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {}
  const merge = (record: Record<string, unknown> | undefined) => {
    if (!record) return
    for (const [key, value] of Object.entries(record)) if (!(key in out) && value !== undefined && value !== null) out[key] = value
  }
  for (const [key, name] of Object.entries(OTEL_PARAMS)) {
    const value = reader.attributes[key]
    if (value !== undefined && value !== null) {
      out[name] = parseJsonish(value)
      reader.consumed.add(key)
    }
  }
  for (const key of ['llm.invocation_parameters', 'langfuse.observation.model.parameters']) {
    const record = asRecord(reader.attributes[key])
    if (record) {
      merge(record)
      reader.consumed.add(key)
    }
  }
  for (const key in reader.attributes) {
    const value = reader.attributes[key]
    if (key.startsWith('ai.settings.') && !key.startsWith('ai.settings.headers') && value !== null) {
      const name = key.slice('ai.settings.'.length)
      if (!(name in out)) out[name] = value
      reader.consumed.add(key)
    }
  }
  // A temperature sent as text ("0.7") is still a temperature.
  const temperature = asNumber(out.temperature)
  if (out.temperature !== undefined) {
    if (temperature === undefined) delete out.temperature
    else out.temperature = temperature
  }
  return Object.keys(out).length > 0 ? out : undefined
}

function finishReason(reader: AttributeReader): string | undefined {
  const reasons = asStringList(reader.attributes['gen_ai.response.finish_reasons'])
  if (reasons) {
    if (reasons.length === 1) reader.consumed.add('gen_ai.response.finish_reasons')
    return reasons.join(',')
  }
  const flat = reader.take('gen_ai.completion.0.finish_reason', 'llm.finish_reason', 'ai.response.finishReason', 'llm.output_messages.0.message.finish_reason')
  if (flat) return flat
  // Google ADK's and Genkit's responses carry it inside their JSON.
  const response = asRecord(reader.attributes['gcp.vertex.agent.llm_response']) ?? (reader.attributes['genkit:metadata:subtype'] === 'model' ? asRecord(reader.attributes['genkit:output']) : undefined)
  return asText(response?.finish_reason ?? response?.finishReason)
}

function cost(reader: AttributeReader): number | undefined {
  for (const key of ['llm.cost.total', 'gen_ai.usage.cost']) {
    const direct = asNumber(reader.attributes[key])
    if (direct !== undefined && direct >= 0) {
      reader.consumed.add(key)
      return direct
    }
  }
  const details = asRecord(reader.attributes['langfuse.observation.cost_details'])
  if (!details) return undefined
  const total = asNumber(details.total)
  if (total !== undefined) return total >= 0 ? total : undefined
  let sum = 0
  for (const value of Object.values(details)) sum += asNumber(value) ?? 0
  return sum >= 0 ? sum : undefined
}

// Payload keys after the conventions' message lists, in order: OpenInference and Traceloop
// values, tool arguments (OTel, AI SDK, Pydantic AI 0.x, Google ADK), agent-run messages
// (Pydantic AI), framework blobs (Google ADK's request, Genkit, Logfire), then the whole-string
// and plain names some instrumentations use.
const INPUT_VALUE_KEYS = [
  'input.value',
  'traceloop.entity.input',
  'gen_ai.tool.call.arguments',
  'ai.toolCall.args',
  'tool_arguments',
  'gcp.vertex.agent.tool_call_args',
  'ai.values',
  'pydantic_ai.all_messages',
  'all_messages_events',
  'gcp.vertex.agent.llm_request',
  'genkit:input',
  'request_data',
  'gen_ai.prompt',
  'input',
]
const OUTPUT_VALUE_KEYS = [
  'output.value',
  'traceloop.entity.output',
  'gen_ai.tool.call.result',
  'ai.toolCall.result',
  'tool_response',
  'gcp.vertex.agent.tool_response',
  'ai.result.text',
  'ai.embeddings',
  'final_result',
  'gcp.vertex.agent.llm_response',
  'genkit:output',
  'response_data',
  'gen_ai.completion',
  'output',
]

function inputPayload(reader: AttributeReader): unknown {
  return (
    reader.payload('gen_ai.input.messages', 'langfuse.observation.input', 'ai.prompt.messages', 'ai.prompt') ??
    reader.indexedMessages('llm.input_messages') ??
    reader.indexedMessages('gen_ai.prompt') ??
    reader.payload(...INPUT_VALUE_KEYS)
  )
}

function outputPayload(reader: AttributeReader): unknown {
  const explicit = reader.payload('gen_ai.output.messages', 'langfuse.observation.output')
  if (explicit !== undefined) return explicit
  // The AI SDK splits a response into text, tool calls and structured objects.
  const text = reader.payload('ai.response.text')
  const toolCalls = reader.payload('ai.response.toolCalls')
  const object = reader.payload('ai.response.object')
  if (toolCalls !== undefined) return text !== undefined ? { text, toolCalls: parseJsonish(toolCalls) } : { toolCalls: parseJsonish(toolCalls) }
  if (text !== undefined || object !== undefined) return text ?? object
  return (
    reader.indexedMessages('llm.output_messages') ??
    reader.indexedMessages('gen_ai.completion') ??
    reader.payload(...OUTPUT_VALUE_KEYS)
  )
}

function ttftMs(reader: AttributeReader): number | undefined {
  const seconds = asNumber(reader.attributes['gen_ai.response.time_to_first_chunk'])
  if (seconds !== undefined && seconds >= 0) return seconds * 1000
  for (const key of ['ai.response.msToFirstChunk', 'ai.stream.msToFirstChunk']) {
    const ms = asNumber(reader.attributes[key])
    if (ms !== undefined && ms >= 0) {
      reader.consumed.add(key)
      return ms
    }
  }
  return undefined
}

function tags(reader: AttributeReader): string[] | undefined {
  for (const key of ['tag.tags', 'langfuse.trace.tags', 'flightline.tags']) {
    const list = asStringList(reader.attributes[key])
    if (!list) continue
    if (list.length <= 100 && list.every((tag) => tag.length <= MAX_TEXT)) reader.consumed.add(key)
    return list.slice(0, 100).map((tag) => clip(tag)!)
  }
  return undefined
}

function tenant(reader: AttributeReader, options: MappingOptions): string | undefined {
  const custom = options.tenantAttribute?.trim()
  return (
    (custom ? reader.meta(custom) : undefined) ??
    reader.meta('tenant.id', 'tenant_id', 'tenantId') ??
    (custom ? reader.resourceText(custom) : undefined) ??
    reader.resourceText('tenant.id')
  )
}

function retryAttempt(value: unknown): number | undefined {
  const n = asNumber(value)
  return n !== undefined && Number.isInteger(n) && n >= 0 && n <= 65_535 ? n : undefined
}

/** v7-style span names say what they are: `execute_tool weather`, `invoke_agent support`. */
function nameAfter(spanName: string, operation: string): string | undefined {
  const rest = spanName.startsWith(`${operation} `) ? spanName.slice(operation.length + 1).trim() : spanName.trim()
  return rest || undefined
}

export function mapAttributes(attributes: Attributes, resource: Attributes, options: MappingOptions = {}, spanName = ''): MappedFields {
  const reader = new AttributeReader(attributes, resource)
  const kind = inferKind(attributes)
  const traceloopEntity = reader.text('traceloop.entity.name')
  const traceloopKind = reader.text('traceloop.span.kind')

  const invocation = asRecord(attributes['llm.invocation_parameters'])
  // Genkit names a model action `provider/model` (googleai/gemini-2.5-flash) in genkit:name.
  const genkitModel = kind === 'llm' ? genkitModelName(reader.text('genkit:name')) : undefined
  const modelRequested =
    reader.take('gen_ai.request.model', 'llm.request.model_name', 'ai.model.id', 'langfuse.observation.model.name', 'embedding.model_name') ??
    asText(invocation?.model) ??
    genkitModel?.model
  const modelResolved = reader.take('gen_ai.response.model', 'llm.response.model_name', 'ai.response.model', 'llm.model_name')
  // `openai.chat` names more than the provider: only a provider name sent as is is taken.
  const providerFound = reader.find(['gen_ai.provider.name', 'gen_ai.system', 'llm.provider', 'llm.system', 'ai.model.provider'])
  const provider = providerName(providerFound?.value) ?? genkitModel?.provider
  if (providerFound && provider === providerFound.value) reader.consumed.add(providerFound.key)
  const usage = usageFromAttributes(attributes, reader.consumed)

  const input = inputPayload(reader)
  const output = outputPayload(reader)
  const system = systemPrompt(reader, input)

  const level = reader.text('langfuse.observation.level')
  const fields: MappedFields = {
    kind,
    tenant_id: clip(tenant(reader, options)),
    user_id: clip(reader.meta('user.id', 'user_id', 'userId', 'langfuse.user.id', 'enduser.id')),
    session_id: clip(reader.meta('gen_ai.conversation.id', 'session.id', 'session_id', 'sessionId', 'langfuse.session.id', 'gcp.vertex.agent.session_id')),
    agent_name: clip(
      reader.take('gen_ai.agent.name', 'agent.name') ??
        (traceloopKind === 'agent' ? traceloopEntity : undefined) ??
        reader.take('traceloop.workflow.name', 'ai.telemetry.functionId', 'gen_ai.agent.id') ??
        (kind === 'agent' ? reader.take('agent_name') : undefined) ??
        (kind === 'agent' ? nameAfter(spanName, 'invoke_agent') : undefined),
    ),
    model_requested: clip(modelRequested),
    model_resolved: clip(modelResolved),
    provider: clip(provider),
    ...usage,
    cost_usd: cost(reader),
    params: params(reader),
    prompt_name: clip(reader.take('gen_ai.prompt.name', 'traceloop.prompt.key', 'langfuse.observation.prompt.name', 'llm.prompt_template.name')),
    prompt_version: clip(reader.take('gen_ai.prompt.version', 'traceloop.prompt.version', 'llm.prompt_template.version', 'langfuse.observation.prompt.version')),
    system_prompt: system,
    // A tool span that does not name its tool (OpenInference's traceTool) is named after it.
    tool_name: clip(
      reader.take('gen_ai.tool.name', 'tool.name', 'ai.toolCall.name') ??
        (kind === 'tool' ? ((traceloopKind === 'tool' ? traceloopEntity : undefined) ?? reader.text('genkit:name') ?? nameAfter(spanName, 'execute_tool')) : undefined),
    ),
    tool_call_id: clip(reader.take('gen_ai.tool.call.id', 'tool_call.id', 'tool.id', 'ai.toolCall.id')),
    finish_reason: clip(finishReason(reader)),
    ttft_ms: ttftMs(reader),
    tags: tags(reader),
    input,
    output,
    // Our own names, on the span or (for a whole service) on the resource.
    route_segment: reader.own('flightline.route.segment', asText),
    fallback: reader.own('flightline.route.fallback', asBoolean),
    retry_attempt: reader.own('flightline.retry.attempt', retryAttempt),
    retry_of: reader.own('flightline.retry.of', asText, 128),
    refusal: reader.own('flightline.refusal', asBoolean),
    schema_valid: reader.own('flightline.output.schema_valid', asBoolean),
    local_input_tokens: reader.own('flightline.tokens.local_input', tokenCount),
    eval_run_id: reader.own('flightline.eval.run_id', asText),
    completionStartTime: reader.text('langfuse.observation.completion_start_time'),
    levelError: level?.toUpperCase() === 'ERROR' ? (reader.text('langfuse.observation.status_message') ?? 'error') : undefined,
    attributes: {},
  }
  for (const key in attributes) if (!reader.consumed.has(key)) fields.attributes[key] = attributes[key]
  // Our own names without a column stay in `attributes`; a resource value applies to spans without one.
  for (const key of ['flightline.task', 'flightline.output.schema']) if (attributes[key] === undefined && resource[key] !== undefined) fields.attributes[key] = resource[key]
  return fields
}
