// Reading attribute values that arrive in more than one shape: JSON carried inside strings
// (the common case) or as structured kvlist/array values (what the spec prefers), booleans
// and numbers as strings, lists as arrays or JSON text.
import type { AttributeValue } from './otlp-span'

/** A JSON object or array sent as a string is parsed; anything else is returned as is. */
export function parseJsonish(value: unknown): unknown {
  if (typeof value !== 'string') return value
  const trimmed = value.trim()
  if (!(trimmed.startsWith('{') && trimmed.endsWith('}')) && !(trimmed.startsWith('[') && trimmed.endsWith(']'))) return value
  try {
    return JSON.parse(trimmed)
  } catch {
    return value
  }
}

export function asText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return undefined
}

export function asBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value
  if (typeof value === 'number') return value !== 0
  if (typeof value === 'string') {
    const v = value.trim().toLowerCase()
    if (v === 'true' || v === '1' || v === 'yes') return true
    if (v === 'false' || v === '0' || v === 'no') return false
  }
  return undefined
}

export function asNumber(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN
  return Number.isFinite(n) ? n : undefined
}

/** A list of strings from string[], a JSON array string, or a comma-separated string. */
export function asStringList(value: unknown): string[] | undefined {
  const parsed = parseJsonish(value)
  if (Array.isArray(parsed)) {
    const items = parsed.map((item) => asText(item)).filter((item): item is string => item !== undefined)
    return items.length > 0 ? items : undefined
  }
  if (typeof parsed === 'string') {
    const items = parsed
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean)
    return items.length > 0 ? items : undefined
  }
  return undefined
}

/** An object from a kvlist value or a JSON object string. */
export function asRecord(value: AttributeValue | unknown): Record<string, unknown> | undefined {
  const parsed = parseJsonish(value)
  return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined
}
