import { describe, expect, it } from 'vitest'
import { binomialUpperTail, logGamma, meanDifferenceTest, median, normalCdf, ratio, twoProportionTest, wilsonInterval } from './stats'

describe('stats', () => {
  it('computes the normal distribution', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7)
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6)
    expect(normalCdf(-2.326348)).toBeCloseTo(0.01, 6)
  })

  it('computes exact binomial tails', () => {
    expect(logGamma(1)).toBeCloseTo(0, 12)
    expect(logGamma(11)).toBeCloseTo(Math.log(3_628_800), 10)
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12)
    // Against direct sums of the probabilities.
    const direct = (k: number, n: number, p: number) => {
      let sum = 0
      for (let j = k; j <= n; j++) sum += Math.exp(logGamma(n + 1) - logGamma(j + 1) - logGamma(n - j + 1)) * p ** j * (1 - p) ** (n - j)
      return sum
    }
    for (const [k, n, p] of [[7, 10, 0.17], [3, 10, 0.5], [0, 5, 0.3], [1, 1000, 0.002], [60, 1000, 0.05], [40, 1000, 0.05], [10, 10, 0.9]]) {
      expect(binomialUpperTail(k, n, p)).toBeCloseTo(direct(k, n, p), 12)
    }
    expect(binomialUpperTail(11, 10, 0.5)).toBe(0)
    expect(binomialUpperTail(1, 10, 0)).toBe(0)
    expect(binomialUpperTail(10, 10, 1)).toBe(1)
    // 7 errors of 10 in a window holding 17% of the calls: rare, not astronomically so.
    expect(binomialUpperTail(7, 10, 0.17)).toBeCloseTo(3.0e-4, 5)
  })

  it('gives Wilson intervals that stay inside [0, 1]', () => {
    const half = wilsonInterval(5, 10)!
    expect(half.low).toBeCloseTo(0.2366, 4)
    expect(half.high).toBeCloseTo(0.7634, 4)
    const none = wilsonInterval(0, 20)!
    expect(none.low).toBe(0)
    expect(none.high).toBeCloseTo(0.1611, 4)
    expect(wilsonInterval(0, 0)).toBeUndefined()
  })

  it('tests two proportions', () => {
    const test = twoProportionTest(50, 1000, 30, 1000)!
    expect(test.difference).toBeCloseTo(0.02, 10)
    expect(test.z).toBeCloseTo(2.282, 3)
    expect(test.p).toBeCloseTo(0.0225, 4)
    expect(twoProportionTest(0, 100, 0, 100)!.p).toBe(1)
    expect(twoProportionTest(1, 0, 1, 10)).toBeUndefined()
  })

  it('tests two means', () => {
    const test = meanDifferenceTest({ n: 400, mean: 0.8, variance: 0.04 }, { n: 400, mean: 0.75, variance: 0.04 })!
    expect(test.z).toBeCloseTo(0.05 / Math.sqrt(0.0002), 6)
    expect(test.p).toBeLessThan(0.001)
    expect(meanDifferenceTest({ n: 1, mean: 1, variance: 0 }, { n: 5, mean: 0, variance: 1 })).toBeUndefined()
  })

  it('has small helpers', () => {
    expect(ratio(1, 4)).toBe(0.25)
    expect(ratio(1, 0)).toBeNull()
    expect(median([3, 1, 2])).toBe(2)
    expect(median([4, 1, 2, 3])).toBe(2.5)
  })
})
