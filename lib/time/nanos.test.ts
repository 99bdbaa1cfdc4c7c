import { describe, expect, it } from 'vitest'
import { nanosToClickhouse, nanosToIso, parseTimeToNanos } from './nanos'

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
