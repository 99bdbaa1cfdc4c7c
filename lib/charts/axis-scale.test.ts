import { describe, expect, it } from 'vitest'
import { axisScale, partialBucket } from './axis-scale'

describe('axisScale', () => {
  it('puts ticks at round values over the largest value drawn', () => {
    expect(axisScale([{ a: 0.27 }, { a: 0.1 }], [{ key: 'a' }]).ticks).toEqual([0, 0.1, 0.2, 0.3])
    expect(axisScale([{ ms: 1800 }], [{ key: 'ms' }]).ticks).toEqual([0, 500, 1000, 1500, 2000])
  })

  it('sums stacked series, so the axis holds the whole stack', () => {
    const scale = axisScale([{ a: 30, b: 25 }], [{ key: 'a', stack: 's' }, { key: 'b', stack: 's' }])
    expect(scale.domain[1]).toBeGreaterThanOrEqual(55)
  })

  it('caps a rate axis at 100%', () => {
    const scale = axisScale([{ rate: 1 }], [{ key: 'rate' }], { percent: true })
    expect(scale.domain).toEqual([0, 1])
    expect(scale.ticks.every((t) => t <= 1)).toBe(true)
    expect(axisScale([{ rate: 0.07 }], [{ key: 'rate' }], { percent: true }).ticks).toEqual([0, 0.02, 0.04, 0.06, 0.08])
  })
})

describe('partialBucket', () => {
  it('finds the last bucket that the range ends inside', () => {
    const data = [{ t: 0 }, { t: 3600_000 }, { t: 7200_000 }]
    expect(partialBucket(data, 7200_000 + 600_000)).toEqual({ from: 7200_000, to: 7800_000 })
    expect(partialBucket(data, 3 * 3600_000)).toBeUndefined()
  })
})
