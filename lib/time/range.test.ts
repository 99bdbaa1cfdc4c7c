import { describe, expect, it } from 'vitest'
import { InvalidRangeError, queryTimeParam, resolveRange } from './range'

const now = new Date('2026-11-27T12:00:00Z')

describe('resolveRange', () => {
  it('resolves relative ranges against now', () => {
    const range = resolveRange({ range: '7d' }, '24h', now)
    expect(range.from.toISOString()).toBe('2026-11-20T12:00:00.000Z')
    expect(range.to).toEqual(now)
    expect(range.relative).toBe('7d')
    expect(range.label).toBe('Last 7 days')
  })

  it('uses the fallback when nothing is given', () => {
    expect(resolveRange({}, '1h', now).label).toBe('Last hour')
  })

  it('prefers absolute from/to', () => {
    const range = resolveRange({ range: '7d', from: '2026-11-01T00:00:00Z', to: '2026-11-02T00:00:00Z' }, '24h', now)
    expect(range.relative).toBeUndefined()
    expect(range.to.toISOString()).toBe('2026-11-02T00:00:00.000Z')
  })

  it('names the bad value', () => {
    expect(() => resolveRange({ range: 'forever' }, '24h', now)).toThrow(InvalidRangeError)
    expect(() => resolveRange({ from: 'yesterday' }, '24h', now)).toThrow(/from/)
    expect(() => resolveRange({ from: '2026-11-02T00:00:00Z', to: '2026-11-01T00:00:00Z' }, '24h', now)).toThrow(/before/)
  })

  it('refuses dates outside what the stores hold, naming the parameter', () => {
    expect(() => resolveRange({ to: '9999-12-31T23:59:59Z' }, '24h', now)).toThrow(/^to must be between/)
    expect(() => resolveRange({ from: '0001-01-01T00:00:00Z' }, '24h', now)).toThrow(/^from must be between/)
    expect(queryTimeParam.safeParse('9999-12-31T23:59:59Z').success).toBe(false)
    expect(queryTimeParam.safeParse('0001-01-01T00:00:00Z').success).toBe(false)
    expect(queryTimeParam.safeParse('2026-11-27T08:00:00+02:00').success).toBe(true)
  })
})
