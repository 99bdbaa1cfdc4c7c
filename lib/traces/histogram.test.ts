import { describe, expect, it } from 'vitest'
import { fillBuckets, roundTicks, zoomRange } from './histogram'

describe('traces histogram', () => {
  const from = new Date('2026-11-30T10:20:00Z')
  const to = new Date('2026-11-30T14:20:00Z')

  it('has a bucket for every interval of the range, empty ones at zero', () => {
    const buckets = fillBuckets(from, to, 3600, [{ t: '2026-11-30T12:00:00Z', traces: 5, errors: 2 }])
    expect(buckets.map((b) => new Date(b.t).toISOString().slice(11, 16))).toEqual(['10:00', '11:00', '12:00', '13:00', '14:00'])
    expect(buckets[2]).toMatchObject({ traces: 5, errors: 2 })
    expect(buckets[0]).toMatchObject({ traces: 0, errors: 0 })
  })

  it('zooms to the dragged buckets, either direction, clipped to the current range', () => {
    const buckets = fillBuckets(from, to, 3600, [])
    expect(zoomRange(buckets, 3600, 3, 1, from, to)).toEqual({ from: '2026-11-30T11:00:00.000Z', to: '2026-11-30T14:00:00.000Z' })
    expect(zoomRange(buckets, 3600, 0, 0, from, to)).toEqual({ from: '2026-11-30T10:20:00.000Z', to: '2026-11-30T11:00:00.000Z' })
    expect(zoomRange(buckets, 3600, 4, 4, from, to)).toEqual({ from: '2026-11-30T14:00:00.000Z', to: '2026-11-30T14:20:00.000Z' })
  })

  it('puts count ticks at round values', () => {
    expect(roundTicks(37)).toEqual([0, 10, 20, 30, 40])
    expect(roundTicks(0.27)).toEqual([0, 0.1, 0.2, 0.3])
    expect(roundTicks(0)).toEqual([0, 1])
    // Counts step by whole numbers.
    expect(roundTicks(1, 3, 1)).toEqual([0, 1])
    expect(roundTicks(2, 3, 1)).toEqual([0, 1, 2])
  })
})
