import { describe, expect, it } from 'vitest'
import { inSample, traceSample } from './trace-sample'

describe('traceSample', () => {
  it('keeps every trace when there are few', () => {
    expect(traceSample(500, 20_000)).toEqual({ cut: null, fraction: 1 })
    expect(inSample(traceSample(500, 20_000))).toBe('1')
  })

  it('cuts the hex id space to about the wanted share', () => {
    const sample = traceSample(2_000_000, 20_000)
    expect(sample.cut).toBe('0290')
    expect(sample.fraction).toBeCloseTo(0.01, 4)
    expect(inSample(sample)).toBe('trace_id < {sample_cut:String}')
    // Ids are random hex: the share sorting below the cut is the fraction.
    const ids = Array.from({ length: 20_000 }, (_, i) => ((i * 2654435761) % 2 ** 32).toString(16).padStart(8, '0'))
    const below = ids.filter((id) => id < sample.cut!).length / ids.length
    expect(below).toBeCloseTo(sample.fraction, 2)
  })
})
