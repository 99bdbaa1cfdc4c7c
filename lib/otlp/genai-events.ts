// Payloads that GenAI instrumentations carry in events instead of span attributes, the same
// whether they arrive as span events or as OTLP log records (where the body holds what span
// events put in attributes):
//   OpenLIT                  gen_ai.content.prompt {gen_ai.prompt}, gen_ai.content.completion {gen_ai.completion}
//   older GenAI conventions  gen_ai.system.message / user / assistant / tool .message {content, role, tool_calls, id},
//   (Semantic Kernel, ...)   gen_ai.choice {message | tool_calls, finish_reason, index}
//   GenAI conventions 1.37+  gen_ai.client.inference.operation.details {gen_ai.input.messages,
//                            gen_ai.output.messages, gen_ai.system_instructions}
import { asRecord, asText, parseJsonish } from './json-values'
import type { AttributeValue, Attributes } from './otlp-span'

export interface GenAiEvent {
  name: string
  attributes: Attributes
  /** A log record's body; span events have none. */
  body?: AttributeValue
}

export interface GenAiPayload {
  input?: unknown
  output?: unknown
  system?: string
}

const MESSAGE_ROLES: Record<string, string> = {
  'gen_ai.system.message': 'system',
  'gen_ai.user.message': 'user',
  'gen_ai.assistant.message': 'assistant',
  'gen_ai.tool.message': 'tool',
}
const PROMPT = 'gen_ai.content.prompt'
const COMPLETION = 'gen_ai.content.completion'
const CHOICE = 'gen_ai.choice'
const DETAILS = 'gen_ai.client.inference.operation.details'

/** Whether an event (or log record) of this name carries a model call's payload. */
export function isGenAiPayloadEvent(name: string): boolean {
  return name in MESSAGE_ROLES || name === PROMPT || name === COMPLETION || name === CHOICE || name === DETAILS
}

/** The event's fields: its attributes, and a log record's body (an object, or the content itself). */
function fieldsOf(event: GenAiEvent): Record<string, unknown> {
  const body = event.body
  if (body === undefined || body === null || body === '') return event.attributes
  const record = asRecord(body)
  return record ? { ...event.attributes, ...record } : { ...event.attributes, content: body }
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null && value !== ''
}

function text(content: unknown): string | undefined {
  const parsed = parseJsonish(content)
  if (typeof parsed === 'string') return parsed
  if (Array.isArray(parsed)) {
    const parts = parsed.map((part) => (typeof part === 'string' ? part : asText(asRecord(part)?.content ?? asRecord(part)?.text))).filter((part): part is string => !!part)
    return parts.length > 0 ? parts.join('\n') : undefined
  }
  return undefined
}

/** Collects the payload of a span's (or a span's log records') GenAI events, in their order. */
export function payloadFromEvents(events: readonly GenAiEvent[]): GenAiPayload {
  const out: GenAiPayload = {}
  const inputMessages: Record<string, unknown>[] = []
  const outputMessages: Record<string, unknown>[] = []
  for (const event of events) {
    if (!isGenAiPayloadEvent(event.name)) continue
    const fields = fieldsOf(event)
    const role = MESSAGE_ROLES[event.name]
    if (role) {
      const message: Record<string, unknown> = { role: asText(fields.role) ?? role }
      if (present(fields.content)) message.content = parseJsonish(fields.content)
      if (present(fields.tool_calls)) message.tool_calls = parseJsonish(fields.tool_calls)
      if (present(fields.id)) message.tool_call_id = fields.id
      inputMessages.push(message)
      if (role === 'system' && out.system === undefined) out.system = text(fields.content)
    } else if (event.name === CHOICE) {
      const message: Record<string, unknown> = { role: 'assistant', ...(asRecord(fields.message) ?? {}) }
      if (present(fields.tool_calls)) message.tool_calls = parseJsonish(fields.tool_calls)
      if (present(fields.finish_reason)) message.finish_reason = fields.finish_reason
      outputMessages.push(message)
    } else if (event.name === PROMPT) {
      if (present(fields['gen_ai.prompt'])) out.input = fields['gen_ai.prompt']
    } else if (event.name === COMPLETION) {
      if (present(fields['gen_ai.completion'])) out.output = fields['gen_ai.completion']
    } else {
      if (present(fields['gen_ai.input.messages'])) out.input = fields['gen_ai.input.messages']
      if (present(fields['gen_ai.output.messages'])) out.output = fields['gen_ai.output.messages']
      if (present(fields['gen_ai.system_instructions'])) out.system = text(fields['gen_ai.system_instructions'])
    }
  }
  if (out.input === undefined && inputMessages.length > 0) out.input = inputMessages
  if (out.output === undefined && outputMessages.length > 0) out.output = outputMessages
  return out
}
