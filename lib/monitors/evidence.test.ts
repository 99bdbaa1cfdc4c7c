import { describe, expect, it } from 'vitest'
import { meanBelow, meanDrop, rateAbove, rateRise, spendReference, spendRise, type SpendBaseline } from './evidence'

/** A day of hourly spend from 00:00 UTC: `at(hour)` for each hour. */
function day(at: (hour: number) => number): SpendBaseline {
  const hours = Array.from({ length: 24 }, (_, h) => h)
  return { hourly: hours.map(at), hourOfDay: hours }
}
/** The quiet week's daily rhythm: nights at a fifth of the 14:00 peak. */
const diurnal = (hour: number) => 0.2 + 0.8 * Math.max(0, Math.sin(((hour - 6) / 16) * Math.PI))

describe('rateRise: an error rate against its baseline', () => {
  it('fires on an outage, with its p value below the corrected level', () => {
    const rise = rateRise({ events: 40, trials: 50 }, { events: 3, trials: 1000 }, { multiple: 3, minCalls: 20, comparisons: 10 })
    expect(rise.quiet).toBe('')
    expect(rise.p).toBeLessThan(1e-20)
    expect(rise.alpha).toBeCloseTo(0.001, 12)
  })

  it('stays quiet on a few errors, a thin window, a thin baseline or a rise below the multiple', () => {
    // Two 429s in a peak window of 22 calls: 9%, three times a 3% baseline, but two errors.
    expect(rateRise({ events: 2, trials: 22 }, { events: 30, trials: 1000 }, { multiple: 3, minCalls: 20, comparisons: 1 }).quiet).toMatch(/2 events in the window, fewer than 5/)
    expect(rateRise({ events: 6, trials: 12 }, { events: 3, trials: 1000 }, { multiple: 3, minCalls: 20, comparisons: 1 }).quiet).toMatch(/12 calls in the window/)
    expect(rateRise({ events: 10, trials: 50 }, { events: 0, trials: 20 }, { multiple: 3, minCalls: 20, comparisons: 1 }).quiet).toMatch(/20 calls in the baseline/)
    expect(rateRise({ events: 10, trials: 200 }, { events: 20, trials: 1000 }, { multiple: 3, minCalls: 20, comparisons: 1 }).quiet).toBe('below the multiple of the baseline')
  })

  it('corrects for the number of things compared: evidence enough for one is not for forty', () => {
    // 8 errors in 100 calls against 2 in 100 before: p is about 0.05 for one comparison's 0.01.
    const one = rateRise({ events: 12, trials: 100 }, { events: 2, trials: 100 }, { multiple: 3, minCalls: 20, comparisons: 1 })
    const forty = rateRise({ events: 12, trials: 100 }, { events: 2, trials: 100 }, { multiple: 3, minCalls: 20, comparisons: 40 })
    expect(one.p).toBe(forty.p)
    expect(one.p).toBeLessThan(0.01)
    expect(one.quiet).toBe('')
    expect(forty.p).toBeGreaterThan(0.01 / 40)
    expect(forty.quiet).toMatch(/not significant/)
  })
})

describe('spendRise: spend per hour against its baseline', () => {
  it('fires when a flat spend jumps fivefold', () => {
    const baseline = day((h) => 1 + 0.1 * Math.sin(h))
    const rise = spendRise(5, 1, baseline, [14], { multiple: 3, minUsdPerHour: 0.05, comparisons: 6 })
    expect(rise.quiet).toBe('')
    expect(rise.p).toBeLessThan(0.01 / 6)
  })

  it('takes a daily peak for what it is: twice the usual peak is not three times the day', () => {
    // A tenant doubling its traffic: at 14:00 it spends 2.0, 3.7 times the baseline's mean per
    // hour (0.54), but only twice what it spent at 14:00 the day before.
    const baseline = day(diurnal)
    const reference = spendReference(baseline, [14])
    expect(reference.mean).toBeCloseTo(0.54, 2)
    expect(reference.sameHours).toBeCloseTo(1, 5)
    expect(2 / reference.mean).toBeGreaterThan(3)
    expect(spendRise(2, 1, baseline, [14], { multiple: 3, minUsdPerHour: 0.05, comparisons: 6 }).quiet).toBe('below the multiple of the baseline')
    // At night the mean is the reference: three times the day's average is a spike, whatever the hour.
    expect(spendRise(2, 1, baseline, [3], { multiple: 3, minUsdPerHour: 0.05, comparisons: 6 }).quiet).toBe('')
  })

  it('needs a baseline with spend in six hours, and spend above the floor', () => {
    const sparse = day((h) => (h < 3 ? 0.01 : 0))
    expect(spendRise(1, 1, sparse, [14], { multiple: 3, minUsdPerHour: 0.05, comparisons: 1 }).quiet).toMatch(/spend in 3 hours of the baseline, fewer than 6/)
    const tiny = day(() => 0.001)
    expect(spendRise(0.02, 1, tiny, [14], { multiple: 3, minUsdPerHour: 0.05, comparisons: 1 }).quiet).toMatch(/below the floor of 0.05 USD per hour/)
  })

  it('is not significant when the baseline itself swings that much from hour to hour', () => {
    // An hourly spend that is 0 most hours and 10 now and then: 4 an hour is not unusual.
    const bursty = day((h) => (h % 6 === 0 ? 10 : 0.2))
    const rise = spendRise(6, 1, bursty, [13], { multiple: 1.5, minUsdPerHour: 0.05, comparisons: 1 })
    expect(rise.quiet).toMatch(/not significant/)
  })
})

describe('meanDrop and meanBelow: a mean score', () => {
  const baseline = { n: 200, mean: 0.8, variance: 0.15 ** 2 }
  it('fires on a real drop, and not on a thin one', () => {
    expect(meanDrop({ n: 30, mean: 0.55, variance: 0.15 ** 2 }, baseline, { minDrop: 0.1, minScores: 10, comparisons: 1 }).quiet).toBe('')
    expect(meanDrop({ n: 8, mean: 0.5, variance: 0.15 ** 2 }, baseline, { minDrop: 0.1, minScores: 10, comparisons: 1 }).quiet).toMatch(/fewer than 10 scores/)
    expect(meanDrop({ n: 50, mean: 0.75, variance: 0.15 ** 2 }, baseline, { minDrop: 0.1, minScores: 10, comparisons: 1 }).quiet).toBe('a smaller drop than asked')
  })
  it('corrects for every score name judged', () => {
    // 0.69 over 12 scores: z = 2.47, p = 0.007.
    const window = { n: 12, mean: 0.69, variance: 0.15 ** 2 }
    expect(meanDrop(window, baseline, { minDrop: 0.1, minScores: 10, comparisons: 1 }).quiet).toBe('')
    expect(meanDrop(window, baseline, { minDrop: 0.1, minScores: 10, comparisons: 3 }).quiet).toMatch(/not significant/)
  })
  it('judges a fixed floor by the evidence that the mean is below it', () => {
    expect(meanBelow({ n: 12, mean: 0.68, variance: 0.2 ** 2 }, 0.7, { minScores: 10, comparisons: 1 }).quiet).toMatch(/not significant/)
    expect(meanBelow({ n: 100, mean: 0.6, variance: 0.2 ** 2 }, 0.7, { minScores: 10, comparisons: 1 }).quiet).toBe('')
  })
})

describe('rateAbove: an error rate against a fixed threshold', () => {
  it('asks for evidence that more than the threshold fail', () => {
    expect(rateAbove({ events: 2, trials: 22 }, 0.05, { minCalls: 20, comparisons: 1 }).quiet).toMatch(/fewer than 5/)
    expect(rateAbove({ events: 7, trials: 90 }, 0.05, { minCalls: 20, comparisons: 1 }).quiet).toMatch(/not significant/)
    expect(rateAbove({ events: 30, trials: 100 }, 0.05, { minCalls: 20, comparisons: 1 }).quiet).toBe('')
    expect(rateAbove({ events: 3, trials: 100 }, 0.05, { minCalls: 20, comparisons: 1, rules: { minEvents: 1 } }).quiet).toBe('below the threshold')
  })
})
