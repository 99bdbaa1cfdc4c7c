import { describe, expect, it } from 'vitest'
import { judgeTrace, reweighByPass, traceDraw, type Judgement, type SamplingPolicy } from './sampling-policy'

const policy: SamplingPolicy = { rate: 0.1, keep_errors: true, keep_slower_than_ms: 30_000, keep_tenants: ['vip'] }
const trace = (over: Partial<{ trace_id: string; errors: number; duration_ms: number; tenants: string[] }> = {}) => ({ trace_id: 't', errors: 0, duration_ms: 100, tenants: [], ...over })

describe('sampling policy', () => {
  it('keeps errors, slow traces and kept tenants with weight 1', () => {
    expect(judgeTrace(policy, trace({ errors: 1 }))).toEqual({ kept: true, reason: 'error', sample_weight: 1 })
    expect(judgeTrace(policy, trace({ duration_ms: 31_000 }))).toEqual({ kept: true, reason: 'slow', sample_weight: 1 })
    expect(judgeTrace(policy, trace({ tenants: ['vip'] }))).toEqual({ kept: true, reason: 'tenant', sample_weight: 1 })
    expect(judgeTrace({ ...policy, keep_errors: false }, trace({ errors: 1, trace_id: 'x' })).reason).not.toBe('error')
  })

  it('keeps about the rate of ordinary traces, the same ones every time, weighted 1/rate', () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => `trace-${i}`)
    const kept = ids.map((id) => judgeTrace(policy, trace({ trace_id: id }))).filter((j) => j.kept)
    expect(kept.length / ids.length).toBeGreaterThan(0.09)
    expect(kept.length / ids.length).toBeLessThan(0.11)
    expect(kept.every((j) => j.reason === 'rate' && j.sample_weight === 10)).toBe(true)
    expect(traceDraw('abc')).toBe(traceDraw('abc'))
  })

  it('keeps an earlier judgement for late spans, but never drops a late error', () => {
    const dropped = { kept: false, reason: 'dropped' as const, sample_weight: 0 }
    expect(judgeTrace(policy, trace(), dropped)).toBe(dropped)
    expect(judgeTrace(policy, trace({ errors: 2 }), dropped).kept).toBe(true)
    const kept = { kept: true, reason: 'rate' as const, sample_weight: 10 }
    expect(judgeTrace(policy, trace({ errors: 1 }), kept)).toBe(kept)
  })

  it('keeps everything when sampling is off', () => {
    expect(judgeTrace(undefined, trace())).toEqual({ kept: true, reason: 'policy_off', sample_weight: 1 })
    expect(judgeTrace({ ...policy, rate: 1 }, trace())).toEqual({ kept: true, reason: 'policy_off', sample_weight: 1 })
  })
})

describe('weights by pass', () => {
  const rate = (): Judgement => ({ kept: true, reason: 'rate', sample_weight: 10 })
  const dropped = (): Judgement => ({ kept: false, reason: 'dropped', sample_weight: 0 })
  const error = (): Judgement => ({ kept: true, reason: 'error', sample_weight: 1 })

  it('makes the weighted count of ordinary traces exact, carrying a pass that kept none', () => {
    const uncounted = new Map<string, number>()
    const first = [dropped(), dropped(), dropped()]
    reweighByPass(uncounted, 'p', first)
    expect(uncounted.get('p')).toBe(3)
    const second = [rate(), rate(), ...Array.from({ length: 15 }, dropped), error()]
    reweighByPass(uncounted, 'p', second)
    const ordinaryWeight = second.filter((j) => j.reason === 'rate').reduce((s, j) => s + j.sample_weight, 0)
    expect(ordinaryWeight).toBe(3 + 17)
    expect(second.find((j) => j.reason === 'error')!.sample_weight).toBe(1)
    expect(uncounted.has('p')).toBe(false)
  })
})
