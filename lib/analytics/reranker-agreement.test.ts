import { describe, expect, it } from 'vitest'
import { Rng } from '@/lib/demo/prng'
import { detectChanges, rerankTimeline, retrieverRanking, spearman, summarizeRerankers, topKOverlap, type RerankCall } from './reranker-agreement'

describe('agreement with the retriever', () => {
  it('measures top-k overlap against the retriever top k', () => {
    const retrieved = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']
    expect(topKOverlap(['a', 'b', 'c'], retrieved)).toBe(1)
    expect(topKOverlap(['c', 'b', 'a'], retrieved)).toBe(1)
    expect(topKOverlap(['a', 'g', 'h', 'b'], retrieved)).toBe(0.5)
    expect(topKOverlap(['x', 'y'], retrieved)).toBe(0)
    expect(topKOverlap(['a', 'b', 'g', 'h'], retrieved, 2)).toBe(1)
    expect(topKOverlap([], retrieved)).toBeNull()
    expect(topKOverlap(['a'], [])).toBeNull()
  })

  it('computes Spearman over the shared documents', () => {
    const retrieved = ['a', 'b', 'c', 'd', 'e']
    expect(spearman(['a', 'b', 'c', 'd', 'e'], retrieved)).toBe(1)
    expect(spearman(['e', 'd', 'c', 'b', 'a'], retrieved)).toBe(-1)
    // a b c d -> b a d c: d = [1,1,1,1], sum 4, 1 - 24/60 = 0.6
    expect(spearman(['b', 'a', 'd', 'c'], retrieved)).toBeCloseTo(0.6, 10)
    // Documents the retriever never returned are left out of the correlation.
    expect(spearman(['x', 'a', 'y', 'b', 'c'], retrieved)).toBe(1)
    expect(spearman(['a', 'b'], retrieved)).toBeNull()
  })

  it('orders retrieved documents by score when all have one', () => {
    expect(retrieverRanking([{ id: 'a', score: 0.2 }, { id: 'b', score: 0.9 }, { id: 'c', score: 0.5 }])).toEqual(['b', 'c', 'a'])
    expect(retrieverRanking([{ id: 'a', score: 0.2 }, { id: 'b', score: null }])).toEqual(['a', 'b'])
  })
})

const HOUR = 3_600_000
const DAY = 24 * HOUR

/** A week of calls at `perHour`; `model(t)` picks the serving model, `profile` its behaviour. */
function week(rng: Rng, perHour: (t: number) => number, model: (t: number, rng: Rng) => string, profile: (model: string) => { top: number; spread: number; overlap: number; answer: number }): RerankCall[] {
  const calls: RerankCall[] = []
  for (let t = 0; t < 7 * DAY; t += HOUR) {
    const n = Math.round(perHour(t))
    for (let i = 0; i < n; i++) {
      const at = t + rng.next() * HOUR
      const m = model(at, rng)
      const p = profile(m)
      const top = p.top + rng.normal(0, 0.03)
      calls.push({
        t: at,
        name: 'rerank',
        model: m,
        scores: [0, 1, 2, 3, 4].map((k) => Math.max(0, top - k * p.spread * rng.range(0.5, 1.5))),
        overlap: Math.min(1, Math.max(0, p.overlap + rng.normal(0, 0.1))),
        correlation: null,
        answer_score: rng.chance(0.3) ? p.answer + rng.normal(0, 0.1) : null,
      })
    }
  }
  return calls
}

const SWAP = 3.5 * DAY
const PROFILES: Record<string, { top: number; spread: number; overlap: number; answer: number }> = {
  'rerank-v3': { top: 0.9, spread: 0.12, overlap: 0.8, answer: 0.82 },
  'rerank-lite': { top: 0.58, spread: 0.02, overlap: 0.55, answer: 0.78 },
}
const diurnal = (t: number) => {
  const hour = (t / HOUR) % 24
  const day = Math.floor(t / DAY) % 7
  return (hour >= 8 && hour < 20 ? 40 : 8) * (day >= 5 ? 0.5 : 1)
}

describe('detectChanges', () => {
  it('finds one significant swap at its time, with before/after numbers', () => {
    const calls = week(new Rng(7), diurnal, (t) => (t < SWAP ? 'rerank-v3' : 'rerank-lite'), (m) => PROFILES[m])
    for (const bucket of [300_000, 900_000, HOUR]) {
      const changes = detectChanges(calls, bucket, { from: 0, to: 7 * DAY })
      expect(changes).toHaveLength(1)
      const [change] = changes
      expect(change.from_model).toBe('rerank-v3')
      expect(change.to_model).toBe('rerank-lite')
      expect(Math.abs(Date.parse(change.at) - SWAP)).toBeLessThan(bucket)
      expect(change.significant).toBe(true)
      expect(change.score_p50_after!).toBeLessThan(change.score_p50_before!)
      expect(change.overlap_after!).toBeLessThan(change.overlap_before! - 0.15)
      expect(change.answer_score_after!).toBeLessThan(change.answer_score_before!)
      expect(change.evidence.calls_before).toBeGreaterThan(100)
      expect(change.evidence.overlap_p!).toBeLessThan(change.evidence.alpha)
    }
  })

  it('reports a swap to an equivalent model as a change that is not significant', () => {
    const calls = week(new Rng(3), diurnal, (t) => (t < SWAP ? 'rerank-v3' : 'rerank-v3@2'), () => PROFILES['rerank-v3'])
    const changes = detectChanges(calls, HOUR, { from: 0, to: 7 * DAY })
    expect(changes).toHaveLength(1)
    expect(changes[0].significant).toBe(false)
  })

  it('stays silent on quiet weeks: one model, a canary, an A/B split, thin nights, at 5-minute, 15-minute and hourly buckets', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const quiet = week(new Rng(seed), (t) => diurnal(t) * (1 + 0.1 * Math.sin(t / DAY)), () => 'rerank-v3', (m) => PROFILES[m])
      const canary = week(new Rng(seed + 10), diurnal, (_t, rng) => (rng.chance(0.05) ? 'rerank-lite' : 'rerank-v3'), (m) => PROFILES[m])
      const split = week(new Rng(seed + 20), diurnal, (_t, rng) => (rng.chance(0.5) ? 'rerank-lite' : 'rerank-v3'), (m) => PROFILES[m])
      // A thin burst: the other model serves a handful of calls in one quiet hour.
      const burst = week(new Rng(seed + 30), diurnal, (t) => (t >= 5 * DAY + 2 * HOUR && t < 5 * DAY + 3 * HOUR ? 'rerank-lite' : 'rerank-v3'), (m) => PROFILES[m])
      for (const bucket of [300_000, 900_000, HOUR]) {
        for (const calls of [quiet, canary, split, burst]) expect(detectChanges(calls, bucket, { from: 0, to: 7 * DAY })).toEqual([])
      }
    }
  })
})

describe('summaries', () => {
  it('groups per reranker and model, and per bucket for the timeline', () => {
    const calls: RerankCall[] = [
      { t: 0, name: 'rerank', model: 'a', scores: [0.9, 0.5], overlap: 1, correlation: 1, answer_score: 0.8 },
      { t: 10, name: 'rerank', model: 'a', scores: [0.7, 0.1], overlap: 0.5, correlation: null, answer_score: null },
      { t: HOUR + 5, name: 'rerank', model: 'b', scores: [0.3], overlap: 0, correlation: -1, answer_score: 0.4 },
    ]
    const [a, b] = summarizeRerankers(calls)
    expect(a).toMatchObject({ model: 'a', calls: 2, score_p50: 0.6, top_k_overlap: 0.75, rank_correlation: 1, answer_score_mean: 0.8 })
    expect(b).toMatchObject({ model: 'b', calls: 1, score_p10: 0.3 })
    const timeline = rerankTimeline(calls, HOUR)
    expect(timeline.map((p) => [p.t, p.model, p.calls])).toEqual([
      ['1970-01-01T00:00:00.000Z', 'a', 2],
      ['1970-01-01T01:00:00.000Z', 'b', 1],
    ])
  })
})
