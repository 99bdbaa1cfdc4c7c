// Payloads are kept whole up to a per-field limit (FLIGHTLINE_MAX_PAYLOAD_BYTES, >= 1 MiB).
// Anything larger is cut at a UTF-8 character boundary and the original size is recorded in
// the span, so a reader always sees that it was cut and by how much: never a silent "...".

export interface FittedPayload {
  text: string
  /** Original size in bytes when cut; 0 when the payload is whole. */
  originalBytes: number
}

export function payloadToText(value: unknown): string {
  if (value === undefined || value === null) return ''
  if (typeof value === 'string') return value
  return JSON.stringify(value)
}

export function fitPayload(value: unknown, limitBytes: number): FittedPayload {
  const text = payloadToText(value)
  // A JS string needs at most 3 bytes of UTF-8 per UTF-16 unit: skip encoding small payloads.
  if (text.length * 3 <= limitBytes) return { text, originalBytes: 0 }
  const bytes = Buffer.from(text, 'utf8')
  if (bytes.length <= limitBytes) return { text, originalBytes: 0 }
  let end = limitBytes
  // Step back over continuation bytes (10xxxxxx) so the cut never splits a character.
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--
  return { text: bytes.subarray(0, end).toString('utf8'), originalBytes: bytes.length }
}
