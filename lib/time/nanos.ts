// Span times are nanoseconds since the epoch (OTLP's unit). They travel as bigint so that a
// span read back equals the span sent, and are rendered as ISO-8601 with up to 9 fractional
// digits on the API and as ClickHouse DateTime64(9) literals on the way in.

const ISO_RE = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/

/** Parses ISO-8601 (with optional fraction up to ns) or unix nanoseconds (number or digit string). */
export function parseTimeToNanos(value: string | number | bigint): bigint | undefined {
  if (typeof value === 'bigint') return value >= 0n ? value : undefined
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) return undefined
    return BigInt(Math.round(value))
  }
  const text = value.trim()
  if (/^\d{1,20}$/.test(text)) return BigInt(text)
  const match = ISO_RE.exec(text)
  if (!match) return undefined
  const [, date, time, fraction = '', zone = 'Z'] = match
  const millis = Date.parse(`${date}T${time}${zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone}`)
  if (Number.isNaN(millis)) return undefined
  const fractionNanos = BigInt(fraction.padEnd(9, '0') || '0')
  return BigInt(millis) * 1_000_000n + fractionNanos
}

export function nanosToIso(ns: bigint | string): string {
  const value = typeof ns === 'string' ? BigInt(ns) : ns
  const millis = value / 1_000_000n
  // Milliseconds always (as Date#toISOString), micro- or nanoseconds when they are not zero.
  const nanos = value % 1_000_000_000n
  const digits = nanos % 1_000_000n === 0n ? 3 : nanos % 1_000n === 0n ? 6 : 9
  const fraction = nanos.toString().padStart(9, '0').slice(0, digits)
  return `${new Date(Number(millis)).toISOString().slice(0, 19)}.${fraction}Z`
}

/** A DateTime64(9, 'UTC') literal: 'YYYY-MM-DD hh:mm:ss.nnnnnnnnn'. */
export function nanosToClickhouse(ns: bigint): string {
  const millis = ns / 1_000_000n
  const fraction = (ns % 1_000_000_000n).toString().padStart(9, '0')
  return `${new Date(Number(millis)).toISOString().slice(0, 19).replace('T', ' ')}.${fraction}`
}

export function dateToClickhouse(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '')
}
