import { describe, expect, it } from 'vitest'
import { nanosToIso, parseTimeToNanos } from './nanos'

describe('nanosToIso', () => {
  it('renders nanoseconds exactly, trimming trailing zeros', () => {
    expect(nanosToIso('1795500000123456789')).toBe('2026-11-24T06:00:00.123456789Z')
    expect(nanosToIso(1795500000120000000n)).toBe('2026-11-24T06:00:00.12Z')
    expect(nanosToIso('1795500000000000000')).toBe('2026-11-24T06:00:00Z')
    expect(nanosToIso('5')).toBe('1970-01-01T00:00:00.000000005Z')
  })

  it('round-trips with parseTimeToNanos', () => {
    for (const iso of ['2026-11-27T08:00:00.000000001Z', '1999-12-31T23:59:59.9Z', '2026-01-01T00:00:00Z']) {
      expect(nanosToIso(parseTimeToNanos(iso)!)).toBe(iso)
    }
  })
})
