import { describe, expect, it } from 'vitest'
import { hrefWithRange, rangeSearchParams, replaceRange } from './range-params'

describe('range params', () => {
  it('keeps only the time range when linking to another screen', () => {
    const search = new URLSearchParams('range=7d&tenant_id=acme&cursor=abc')
    expect(rangeSearchParams(search).toString()).toBe('range=7d')
    expect(hrefWithRange('/projects/p_1/analytics/cache', search)).toBe('/projects/p_1/analytics/cache?range=7d')
    expect(hrefWithRange('/projects/p_1/traces', new URLSearchParams('tenant_id=acme'))).toBe('/projects/p_1/traces')
  })

  it('replaces a relative range with an absolute one and drops the cursor', () => {
    const search = new URLSearchParams('range=7d&tenant_id=acme&cursor=abc')
    const next = replaceRange(search, { from: '2026-11-27T08:00:00Z', to: '2026-11-27T09:00:00Z' })
    expect(Object.fromEntries(next)).toEqual({ tenant_id: 'acme', from: '2026-11-27T08:00:00Z', to: '2026-11-27T09:00:00Z' })
    expect(replaceRange(next, { range: '1h' }).toString()).toBe('tenant_id=acme&range=1h')
  })
})
