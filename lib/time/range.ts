// The time range of every view, as it lives in the URL: either `range=<n><m|h|d>` relative to
// now (15m, 1h, 6h, 24h, 7d, 30d, or any such value) or absolute `from` and `to` (ISO-8601).
// Relative ranges stay relative in saved links, so a shared "last 24 hours" stays live.

import { z } from 'zod'

export const RELATIVE_RANGES = ['15m', '1h', '6h', '24h', '7d', '30d'] as const

// The instants a query may name: well inside what the stores' date-time columns and query
// parameters can hold (ClickHouse DateTime64 ends in 2262 or 2299), so a date such as
// 9999-12-31 or 0001-01-01 is a clear 400 rather than an engine error.
const EARLIEST_QUERY_TIME = Date.parse('1970-01-01T00:00:00Z')
const LATEST_QUERY_TIME = Date.parse('2200-01-01T00:00:00Z')
const QUERY_TIME_BOUNDS = 'must be between 1970-01-01T00:00:00Z and 2200-01-01T00:00:00Z'

function withinQueryBounds(date: Date): boolean {
  const t = date.getTime()
  return t >= EARLIEST_QUERY_TIME && t <= LATEST_QUERY_TIME
}

/** A `from` or `to` query parameter: an ISO-8601 date-time within what the stores hold. */
export const queryTimeParam = z.iso
  .datetime({ offset: true, message: 'must be an ISO-8601 date-time such as 2026-11-27T08:00:00Z' })
  .refine((value) => withinQueryBounds(new Date(value)), QUERY_TIME_BOUNDS)

export interface TimeRange {
  from: Date
  to: Date
  /** Set when the range is relative to now, e.g. '24h'. */
  relative?: string
  label: string
}

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 }
const UNIT_NAME: Record<string, string> = { m: 'minute', h: 'hour', d: 'day' }

export class InvalidRangeError extends Error {}

export function relativeRangeMs(value: string): number | undefined {
  const match = /^(\d{1,4})([mhd])$/.exec(value.trim())
  if (!match) return undefined
  const ms = Number(match[1]) * UNIT_MS[match[2]]
  return ms > 0 && ms <= 400 * UNIT_MS.d ? ms : undefined
}

export function describeRelative(value: string): string {
  const match = /^(\d+)([mhd])$/.exec(value)
  if (!match) return value
  const n = Number(match[1])
  return `Last ${n === 1 ? '' : `${n} `}${UNIT_NAME[match[2]]}${n === 1 ? '' : 's'}`
}

function parseDate(value: string, name: string): Date {
  const date = new Date(value)
  if (Number.isNaN(date.getTime())) throw new InvalidRangeError(`${name} must be an ISO-8601 date-time, got ${JSON.stringify(value)}`)
  if (!withinQueryBounds(date)) throw new InvalidRangeError(`${name} ${QUERY_TIME_BOUNDS}, got ${JSON.stringify(value)}`)
  return date
}

/** Resolves URL parameters to a concrete range. Throws InvalidRangeError naming the bad value. */
export function resolveRange(params: { range?: string | null; from?: string | null; to?: string | null }, fallback = '24h', now = new Date()): TimeRange {
  if (params.from || params.to) {
    const to = params.to ? parseDate(params.to, 'to') : now
    const from = params.from ? parseDate(params.from, 'from') : new Date(to.getTime() - relativeRangeMs(fallback)!)
    if (from >= to) throw new InvalidRangeError('from must be before to')
    return { from, to, label: `${from.toISOString().slice(0, 16).replace('T', ' ')} – ${to.toISOString().slice(0, 16).replace('T', ' ')} UTC` }
  }
  const relative = params.range || fallback
  const ms = relativeRangeMs(relative)
  if (ms === undefined) throw new InvalidRangeError(`range must look like 15m, 24h or 7d (at most 400 days), got ${JSON.stringify(relative)}`)
  return { from: new Date(now.getTime() - ms), to: now, relative, label: describeRelative(relative) }
}
