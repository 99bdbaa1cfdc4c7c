// Makes a decoded ingest item storable before it is validated, in one walk shared by every way
// in (native spans and scores, OTLP after mapping): strings that are not well-formed UTF-16 (a
// lone surrogate, which ClickHouse refuses) get U+FFFD in place of the lone half, in values and
// in object keys alike; NUL and every other character are kept as sent; and a value nested
// deeper than MAX_NESTING_DEPTH is refused, naming the field, before anything recursive (zod,
// JSON.stringify) can overflow the stack on it.

declare global {
  interface String {
    isWellFormed(): boolean
    toWellFormed(): string
  }
}

/** Deepest nesting of objects and arrays accepted inside one field. */
export const MAX_NESTING_DEPTH = 128

class TooDeep extends Error {}

const wellFormed = (text: string) => (text.isWellFormed() ? text : text.toWellFormed())

function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  // `__proto__` arrives as an own property from JSON.parse; plain assignment would set the prototype.
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
  else target[key] = value
}

function clean(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return wellFormed(value)
  if (value === null || typeof value !== 'object') return value
  if (depth >= MAX_NESTING_DEPTH) throw new TooDeep()
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item = value[i]
      const cleaned = clean(item, depth + 1)
      if (cleaned !== item) value[i] = cleaned
    }
    return value
  }
  const record = value as Record<string, unknown>
  let badKey = false
  for (const key of Object.keys(record)) {
    if (!key.isWellFormed()) badKey = true
    const item = record[key]
    const cleaned = clean(item, depth + 1)
    if (cleaned !== item) setOwn(record, key, cleaned)
  }
  return badKey ? withWellFormedKeys(record) : record
}

/** A copy of the record whose keys are well-formed (rare: only when some key is not). */
function withWellFormedKeys(record: Record<string, unknown>): Record<string, unknown> {
  const rebuilt: Record<string, unknown> = {}
  for (const key of Object.keys(record)) setOwn(rebuilt, key.toWellFormed(), record[key])
  return rebuilt
}

export type CleanedItem = { ok: true; item: unknown } | { ok: false; error: string }

/**
 * Cleans one item (a span or score object) in place where it can and returns it; the error names
 * the top-level field that nests too deeply. Anything that is not an object is returned as is,
 * for the validator to describe.
 */
export function cleanItem(item: unknown): CleanedItem {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return { ok: true, item }
  const record = item as Record<string, unknown>
  let badKey = false
  for (const field of Object.keys(record)) {
    if (!field.isWellFormed()) badKey = true
    const value = record[field]
    try {
      const cleaned = clean(value, 0)
      if (cleaned !== value) setOwn(record, field, cleaned)
    } catch (error) {
      if (!(error instanceof TooDeep)) throw error
      return { ok: false, error: `${wellFormed(field)}: nested more than ${MAX_NESTING_DEPTH} levels deep; send deeper structures as a JSON string` }
    }
  }
  return { ok: true, item: badKey ? withWellFormedKeys(record) : record }
}
