// When things happen in the demo week: the daily rhythm of each tenant's users, the load it puts
// on the shared model providers, and the moments the planted stories start and end. Everything
// here is a pure function of the options (seed aside), so tests can name the exact windows.

export const MINUTE = 60_000
export const HOUR = 60 * MINUTE
export const DAY = 24 * HOUR

/** Relative traffic by local hour of day on a weekday (business hours, a lunch dip). */
const HOURLY = [
  0.05, 0.03, 0.02, 0.02, 0.03, 0.06, 0.14, 0.32, 0.62, 0.88, 1.0, 0.97, 0.82, 0.9, 1.0, 0.96, 0.86, 0.7, 0.5, 0.38, 0.3, 0.22, 0.14, 0.08,
]
const WEEKEND_FACTOR = 0.32

const offsetFormats = new Map<string, Intl.DateTimeFormat>()

/** Minutes to add to UTC to get local time in `tz` at the given instant. */
export function tzOffsetMinutes(tz: string, atMs: number): number {
  let format = offsetFormats.get(tz)
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
    offsetFormats.set(tz, format)
  }
  const parts: Record<string, number> = {}
  for (const part of format.formatToParts(new Date(atMs))) if (part.type !== 'literal') parts[part.type] = Number(part.value)
  const local = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second)
  return Math.round((local - Math.floor(atMs / 1000) * 1000) / MINUTE)
}

/** Local hour of day (fractional) for an instant and a UTC offset in minutes. */
export function localHour(atMs: number, offsetMinutes: number): number {
  const local = (atMs + offsetMinutes * MINUTE) % DAY
  return (local < 0 ? local + DAY : local) / HOUR
}

/** Local weekday (0 = Sunday) for an instant and a UTC offset in minutes. */
export function localWeekday(atMs: number, offsetMinutes: number): number {
  // 1970-01-01 was a Thursday.
  return (((Math.floor((atMs + offsetMinutes * MINUTE) / DAY) + 4) % 7) + 7) % 7
}

/** How busy users are at a local time, 0..1. */
export function activity(atMs: number, offsetMinutes: number): number {
  const h = localHour(atMs, offsetMinutes)
  const lo = Math.floor(h)
  const frac = h - lo
  const value = HOURLY[lo] * (1 - frac) + HOURLY[(lo + 1) % 24] * frac
  const weekday = localWeekday(atMs, offsetMinutes)
  return weekday === 0 || weekday === 6 ? value * WEEKEND_FACTOR : value
}

/** UTC instant of `hour` o'clock local time on the local day containing `atMs`. */
export function atLocalHour(atMs: number, offsetMinutes: number, hour: number): number {
  const localMidnight = Math.floor((atMs + offsetMinutes * MINUTE) / DAY) * DAY
  return localMidnight - offsetMinutes * MINUTE + hour * HOUR
}

export interface Placement {
  /** Where in the range to look first, 0..1. */
  fraction: number
  /** Local hour the event starts at, in `tz`. */
  hour: number
  tz: string
  /** Allowed local weekdays (0 = Sunday). */
  weekdays: readonly number[]
  durationMs: number
  /** Days already used by other stories (local day numbers), avoided when possible. */
  avoidDays?: readonly number[]
}

/**
 * Places an event at a local hour on an allowed weekday as near as possible to a fraction of
 * the range, leaving room for a baseline before it and its whole duration after it. Short
 * ranges with no such day get the event at the fraction itself, so every story always exists.
 */
export function place(start: number, end: number, placement: Placement): number {
  const offset = tzOffsetMinutes(placement.tz, (start + end) / 2)
  const span = end - start
  const before = Math.min(12 * HOUR, span * 0.2)
  const after = Math.min(2 * HOUR, span * 0.05)
  const candidate = start + placement.fraction * span
  const tries = [0, -1, 1, -2, 2, -3, 3, -4, 4, -5, 5, -6, 6]
  for (const strict of [true, false]) {
    for (const delta of tries) {
      const at = atLocalHour(candidate + delta * DAY, offset, placement.hour)
      if (at < start + before || at + placement.durationMs > end - after) continue
      if (!placement.weekdays.includes(localWeekday(at, offset))) continue
      if (strict && placement.avoidDays?.includes(localDay(at, offset))) continue
      return at
    }
  }
  return Math.max(start, Math.min(end - placement.durationMs - after, candidate))
}

export function localDay(atMs: number, offsetMinutes: number): number {
  return Math.floor((atMs + offsetMinutes * MINUTE) / DAY)
}
