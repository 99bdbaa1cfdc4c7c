import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { cacheInputSchema } from './cache-thrash'
import { chooseBucketSeconds } from './range-params'

const HOUR = 3_600_000
const range = (hours: number) => ({ from: new Date(0), to: new Date(hours * HOUR) })

describe('analytics range parameters', () => {
  it('chooses round buckets that make at most 200 of them', () => {
    expect(chooseBucketSeconds(range(1))).toBe(60)
    expect(chooseBucketSeconds(range(24))).toBe(900)
    expect(chooseBucketSeconds(range(7 * 24))).toBe(3600)
    expect(chooseBucketSeconds(range(30 * 24))).toBe(21_600)
    expect(chooseBucketSeconds(range(92 * 24))).toBe(43_200)
  })

  it('resolves from/to, range and the default, naming the bad parameter', () => {
    const parse = (query: Record<string, string>) => cacheInputSchema.safeParse(query)
    const ok = parse({ from: '2026-11-20T00:00:00Z', to: '2026-11-21T00:00:00Z', bucket: '3600' })
    expect(ok.success && ok.data).toEqual({ from: new Date('2026-11-20T00:00:00Z'), to: new Date('2026-11-21T00:00:00Z'), bucketSeconds: 3600, minExtraCostUsd: 0.1 })
    const floor = parse({ range: '7d', min_extra_cost_usd: '0' })
    expect(floor.success && floor.data.minExtraCostUsd).toBe(0)
    const relative = parse({ range: '7d' })
    expect(relative.success && relative.data.to.getTime() - relative.data.from.getTime()).toBe(7 * 24 * HOUR)
    const fallback = parse({})
    expect(fallback.success && fallback.data.to.getTime() - fallback.data.from.getTime()).toBe(24 * HOUR)
    const message = (query: Record<string, string>) => {
      const result = parse(query)
      return result.success ? '' : z.prettifyError(result.error)
    }
    expect(message({ range: 'forever' })).toMatch(/at range/)
    expect(message({ min_extra_cost_usd: '-0.5' })).toMatch(/at least 0[\s\S]*at min_extra_cost_usd/)
    expect(message({ min_extra_cost_usd: 'a lot' })).toMatch(/number of USD[\s\S]*at min_extra_cost_usd/)
    expect(message({ from: '2026-01-01T00:00:00Z', to: '2026-11-01T00:00:00Z' })).toMatch(/at most 92 days[\s\S]*at from/)
    expect(message({ from: '2026-11-20T00:00:00Z', to: '2026-11-27T00:00:00Z', bucket: '60' })).toMatch(/makes 10080 buckets over this range; at most 2000 \(use at least 303 seconds\)[\s\S]*at bucket/)
  })
})
