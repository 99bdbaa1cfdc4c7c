import { describe, expect, it } from 'vitest'
import { nanosToClickhouse, nanosToIso, parseTimeToNanos, timeRangeProblem } from './nanos'

describe('nanosecond times', () => {
  it('parses ISO with up to nine fractional digits and offsets', () => {
    expect(parseTimeToNanos('2026-11-27T08:00:00.123456789Z')).toBe(1795766400123456789n)
    expect(parseTimeToNanos('2026-11-27T09:00:00+01:00')).toBe(1795766400000000000n)
    expect(parseTimeToNanos('2026-11-27 08:00:00.5')).toBe(1795766400500000000n)
  })

  it('parses unix nanoseconds as digits or numbers', () => {
    expect(parseTimeToNanos('1795766400123456789')).toBe(1795766400123456789n)
    expect(parseTimeToNanos(1_795_766_400_000_000_000)).toBe(1795766400000000000n)
  })

  it('rejects what it cannot read', () => {
    expect(parseTimeToNanos('yesterday')).toBeUndefined()
    expect(parseTimeToNanos(-1)).toBeUndefined()
    expect(parseTimeToNanos('2026-13-45T00:00:00Z')).toBeUndefined()
  })

  it('renders ISO and ClickHouse literals exactly', () => {
    expect(nanosToIso(1795766400123456789n)).toBe('2026-11-27T08:00:00.123456789Z')
    expect(nanosToIso(1795766400500000000n)).toBe('2026-11-27T08:00:00.500Z')
    expect(nanosToIso(1795766400500001000n)).toBe('2026-11-27T08:00:00.500001Z')
    expect(nanosToIso(1795766400000000000n)).toBe('2026-11-27T08:00:00.000Z')
    expect(nanosToClickhouse(1795766400000000001n)).toBe('2026-11-27 08:00:00.000000001')
  })
})

describe('nanosToIso on digit strings', () => {
  it('gives the same answer for strings as for bigints, before 2001 too', () => {
    for (const ns of [1795766400123456789n, 1795766400500000000n, 1795766400500001000n, 946684799900000000n, 5n]) {
      expect(nanosToIso(ns.toString())).toBe(nanosToIso(ns))
    }
    expect(nanosToIso('5')).toBe('1970-01-01T00:00:00.000000005Z')
  })
})

describe('timeRangeProblem', () => {
  const now = Date.UTC(2026, 10, 27)
  it('accepts times from 2000 to a day ahead', () => {
    expect(timeRangeProblem(BigInt(Date.UTC(2000, 0, 1)) * 1_000_000n, now)).toBeUndefined()
    expect(timeRangeProblem(BigInt(now + 86_000_000) * 1_000_000n, now)).toBeUndefined()
  })
  it('refuses times before 2000, more than a day ahead, and beyond what a Date can show', () => {
    expect(timeRangeProblem(BigInt(Date.UTC(1999, 11, 31)) * 1_000_000n, now)).toMatch(/before 2000-01-01 \(got 1999-12-31T00:00:00.000Z\)/)
    expect(timeRangeProblem(BigInt(Date.UTC(2300, 0, 1)) * 1_000_000n, now)).toMatch(/more than a day in the future \(got 2300-01-01/)
    expect(timeRangeProblem(999_999_999_999_999_999_999_999n, now)).toMatch(/future \(got 999999999999999999999999 ns\)/)
  })
})
