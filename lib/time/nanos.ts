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
  // On the digits, not with BigInt arithmetic: a 10,000-span trace renders 20,000 of these.
  const digits = (typeof ns === 'string' ? ns : ns.toString()).padStart(10, '0')
  const millis = Number(digits.slice(0, -6))
  // Milliseconds always (as Date#toISOString), micro- or nanoseconds when they are not zero.
  const nanos = digits.slice(-9)
  const fraction = nanos.endsWith('000000') ? nanos.slice(0, 3) : nanos.endsWith('000') ? nanos.slice(0, 6) : nanos
  return `${new Date(millis).toISOString().slice(0, 19)}.${fraction}Z`
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

/** The earliest time a span, event or score may carry. */
export const EARLIEST_TIME_NANOS = BigInt(Date.UTC(2000, 0, 1)) * 1_000_000n
const DAY_NANOS = 86_400n * 1_000_000_000n

/**
 * Why a time cannot be stored, or undefined when it can: times before 2000 or more than a day
 * ahead of this server's clock are refused (the DateTime64 columns end in 2262, and a clock that
 * far off is a bug on the sender's side, not data).
 */
export function timeRangeProblem(ns: bigint, now = Date.now()): string | undefined {
  if (ns < EARLIEST_TIME_NANOS) return `must not be before 2000-01-01 (got ${describeNanos(ns)})`
  if (ns > BigInt(now) * 1_000_000n + DAY_NANOS) return `must not be more than a day in the future (got ${describeNanos(ns)})`
  return undefined
}

/** ISO-8601 when the time is one a Date can show, else the raw nanoseconds. */
function describeNanos(ns: bigint): string {
  const millis = Number(ns / 1_000_000n)
  return Math.abs(millis) <= 8.64e15 ? new Date(millis).toISOString() : `${ns} ns`
}
