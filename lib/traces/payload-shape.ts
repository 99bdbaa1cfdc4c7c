// Decides how to show a stored payload: as a conversation (chat messages in the OpenAI,
// Anthropic or OTel GenAI shapes), as JSON, or as plain text. Only decides; rendering is the
// component's job, and it renders every string as text, never as HTML.

export interface ChatPart {
  /** 'text', 'tool_call', 'tool_result', 'image', or another part type shown as JSON. */
  type: string
  text?: string
  name?: string
  /** Tool call arguments, tool results, or an unknown part, as a JSON value. */
  data?: unknown
}

export interface ChatMessage {
  role: string
  name?: string
  parts: ChatPart[]
}

export type PayloadShape =
  | { kind: 'empty' }
  | { kind: 'text'; text: string }
  | { kind: 'json'; value: unknown }
  | { kind: 'chat'; messages: ChatMessage[]; value: unknown }

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function parseMaybeJson(value: unknown): unknown {
  if (typeof value !== 'string') return value
  const trimmed = value.trim()
  if (!(trimmed.startsWith('{') || trimmed.startsWith('['))) return value
  try {
    return JSON.parse(trimmed)
  } catch {
    return value
  }
}

function toParts(content: unknown): ChatPart[] {
  if (content === undefined || content === null || content === '') return []
  if (typeof content === 'string') return [{ type: 'text', text: content }]
  if (!Array.isArray(content)) return [{ type: 'json', data: content }]
  return content.map((part): ChatPart => {
    if (typeof part === 'string') return { type: 'text', text: part }
    if (!isRecord(part)) return { type: 'json', data: part }
    const type = typeof part.type === 'string' ? part.type : 'json'
    if ((type === 'text' || type === 'input_text' || type === 'output_text') && typeof part.text === 'string') return { type: 'text', text: part.text }
    if (type === 'text' && typeof part.content === 'string') return { type: 'text', text: part.content }
    // Anthropic tool_use / OTel GenAI tool_call parts.
    if (type === 'tool_use' || type === 'tool_call') {
      return { type: 'tool_call', name: String(part.name ?? ''), data: parseMaybeJson(part.input ?? part.arguments) }
    }
    if (type === 'tool_result' || type === 'tool_call_response') return { type: 'tool_result', data: parseMaybeJson(part.content ?? part.response ?? part.result) }
    if (type === 'image' || type === 'image_url') return { type: 'image', data: part }
    return { type, data: part }
  })
}

function toMessage(value: unknown): ChatMessage | undefined {
  if (!isRecord(value) || typeof value.role !== 'string') return undefined
  const parts = toParts(value.content ?? value.parts)
  // OpenAI assistant tool calls.
  if (Array.isArray(value.tool_calls)) {
    for (const call of value.tool_calls) {
      if (!isRecord(call)) continue
      const fn = isRecord(call.function) ? call.function : call
      parts.push({ type: 'tool_call', name: String(fn.name ?? ''), data: parseMaybeJson(fn.arguments) })
    }
  }
  return { role: value.role, ...(typeof value.name === 'string' ? { name: value.name } : {}), parts }
}

function toConversation(value: unknown): ChatMessage[] | undefined {
  const list = Array.isArray(value) ? value : isRecord(value) && Array.isArray(value.messages) ? value.messages : undefined
  if (!list || list.length === 0) return undefined
  const messages = list.map(toMessage)
  return messages.every((m) => m !== undefined) ? (messages as ChatMessage[]) : undefined
}

export function payloadShape(stored: string): PayloadShape {
  if (stored === '') return { kind: 'empty' }
  let value: unknown
  try {
    value = JSON.parse(stored)
  } catch {
    return { kind: 'text', text: stored }
  }
  if (typeof value === 'string') {
    // A JSON string holding JSON (common from OTel string attributes).
    const inner = parseMaybeJson(value)
    if (inner === value) return { kind: 'text', text: value }
    value = inner
  }
  if (value === null || typeof value !== 'object') return { kind: 'text', text: String(value) }
  const messages = toConversation(value)
  if (messages) return { kind: 'chat', messages, value }
  const single = toMessage(value)
  if (single) return { kind: 'chat', messages: [single], value }
  return { kind: 'json', value }
}
