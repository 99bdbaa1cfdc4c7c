// Bounds the work of parsing a JSON body before it is parsed. JSON.parse runs in one go on the
// event loop, and its cost follows the number of values more than the number of bytes: 15 MB of
// `{},{},...` is 5,000,000 objects and seconds of parsing. One pass over the bytes counts the
// values (array elements and object members) and refuses a body with too many, in milliseconds.
import { payloadTooLarge } from './errors'

/** Most JSON values (array elements and object members, at any depth) in one request body. */
export const MAX_JSON_VALUES = 1_000_000

const QUOTE = 0x22
const BACKSLASH = 0x5c
const COMMA = 0x2c
const OPEN_BRACE = 0x7b
const OPEN_BRACKET = 0x5b

/** Roughly the number of values in a JSON text: separators plus containers, outside strings. */
export function countJsonValues(body: Uint8Array, stopAfter = Infinity): number {
  let count = 0
  let inString = false
  for (let i = 0; i < body.length; i++) {
    const byte = body[i]
    if (inString) {
      if (byte === BACKSLASH) i++
      else if (byte === QUOTE) inString = false
    } else if (byte === QUOTE) {
      inString = true
    } else if (byte === COMMA || byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      if (++count > stopAfter) return count
    }
  }
  return count
}

export function assertJsonValueCount(body: Uint8Array): void {
  if (countJsonValues(body, MAX_JSON_VALUES) > MAX_JSON_VALUES) {
    throw payloadTooLarge(
      `request body holds more than ${MAX_JSON_VALUES.toLocaleString('en-US')} JSON values (array elements and object members); send the data in smaller requests`,
    )
  }
}
