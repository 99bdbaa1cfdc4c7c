// The silent-reranker story is in the demo data the way the rerankers view reads it: measured with
// the view's own rules (reranker-agreement.ts), the swap is one significant change at its time,
// agreement with the retriever collapses, and the answers' scores fall after it - over a week that
// puts the weekend after the swap (quieter hours, better scores) as well as one that puts it before.
import { describe, expect, it } from 'vitest'
import { detectChanges, retrieverRanking, spearman, topKOverlap, type RerankCall } from '@/lib/analytics/reranker-agreement'
import { collectDemo } from '../generate'
import { HOUR } from '../schedule'
import { whereTheTimeGoes } from './where-the-time-goes'

const ms = (time: unknown) => Date.parse(String(time))

/** The demo's reranker calls as the view measures them: against the sibling retriever's ten. */
function rerankCalls(end: string, spans: number): { calls: RerankCall[]; swap: number; from: number; to: number } {
  const demo = collectDemo({ seed: 7, spans, end })
  const retrievers = new Map<string, Array<{ id: string; score: number }>>()
  for (const s of demo.spans) if (s.kind === 'retriever' && Array.isArray(s.output)) retrievers.set(`${s.trace_id}/${s.parent_span_id}`, s.output as Array<{ id: string; score: number }>)
  const scores = new Map<string, number[]>()
  for (const score of demo.scores) if (score.name === 'helpfulness' && !score.run_id && score.value != null) scores.set(score.trace_id, [...(scores.get(score.trace_id) ?? []), score.value])
  const calls: RerankCall[] = []
  for (const s of demo.spans) {
    if (s.kind !== 'reranker') continue
    const kept = s.output as Array<{ id: string; relevance_score: number }>
    const retrieved = retrieverRanking(retrievers.get(`${s.trace_id}/${s.parent_span_id}`) ?? [])
    const order = kept.map((d) => d.id)
    const traceScores = scores.get(s.trace_id)
    calls.push({
      t: ms(s.start_time),
      name: s.name,
      model: s.model_requested!,
      scores: kept.map((d) => d.relevance_score),
      overlap: topKOverlap(order, retrieved),
      correlation: spearman(order, retrieved),
      answer_score: traceScores ? traceScores.reduce((a, b) => a + b, 0) / traceScores.length : null,
    })
  }
  return { calls, swap: whereTheTimeGoes(demo.summary.plan).rerankerSwap.at, from: demo.summary.plan.start, to: demo.summary.plan.end }
}

describe('the silent reranker in the demo week', () => {
  for (const end of ['2026-12-01T05:00:00Z', '2026-11-27T05:00:00Z']) {
    it(`is one significant change at the swap, and the answers get worse after it (week ending ${end})`, { timeout: 120_000 }, () => {
      const { calls, swap, from, to } = rerankCalls(end, 40_000)
      const changes = detectChanges(calls, HOUR, { from, to })
      expect(changes).toHaveLength(1)
      const [change] = changes
      expect(change).toMatchObject({ from_model: 'rerank-v3.5', to_model: 'rerank-lite-v1', significant: true })
      expect(Math.abs(ms(change.at) - swap)).toBeLessThan(HOUR)
      expect(change.overlap_before!).toBeGreaterThan(0.85)
      expect(change.overlap_after!).toBeLessThan(0.6)
      expect(change.answer_score_after!).toBeLessThan(change.answer_score_before! - 0.03)
    })
  }
})
