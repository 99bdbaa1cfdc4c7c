// The silent reranker (GET /api/v1/analytics/rerankers and its page): each reranker graded on its
// own - score distribution, agreement with the retriever it reranks, the answers' scores - over
// time, with the points where the serving reranker changed. Definitions: reranker-agreement.ts.
//
// Agreement needs each call's documents, so metrics come from a deterministic sample of about
// SAMPLE_CALLS reranker calls (trace-sample.ts) when the range holds more; call counts are always
// exact.
import { z } from 'zod'
import { countRerankCalls, rerankCounts, sampledRerankCalls } from '@/db/clickhouse/queries/analytics/rerankers'
import { traceSample } from '@/db/clickhouse/queries/analytics/trace-sample'
import { bucketField, rangeFields, refineBucket, refineRange } from './range-params'
import { detectChanges, rerankTimeline, retrieverRanking, spearman, summarizeRerankers, topKOverlap, type RerankCall, type RerankerChange, type RerankerSummary, type TimelinePoint } from './reranker-agreement'

export const SAMPLE_CALLS = 20_000

export const rerankersInputSchema = z
  .object({ ...rangeFields, bucket: bucketField, score_name: z.string().min(1).max(256).optional() })
  .strict()
  .transform((value, ctx) => {
    const range = refineRange(value, ctx)
    if (!range) return z.NEVER
    return { ...range, bucketSeconds: refineBucket(value.bucket, range, ctx), scoreName: value.score_name }
  })
export type RerankersInput = z.output<typeof rerankersInputSchema>

/** The JSON answer of GET /api/v1/analytics/rerankers. */
export interface RerankersAnswer {
  rerankers: RerankerSummary[]
  timeline: TimelinePoint[]
  changes: RerankerChange[]
}

export interface RerankersReport extends RerankersAnswer {
  from: string
  to: string
  bucket_seconds: number
  /** Reranker calls measured, and the share of the range's calls they are. */
  sample: { calls: number; fraction: number }
}

const finite = (values: ReadonlyArray<number | string | null>) => values.map((v) => (v === null ? Number.NaN : Number(v)))

export async function rerankersReport(projectId: string, input: RerankersInput): Promise<RerankersReport> {
  const range = { from: input.from, to: input.to, bucketSeconds: input.bucketSeconds }
  const total = await countRerankCalls(projectId, range)
  const sample = traceSample(total, SAMPLE_CALLS)
  const [rows, counts] = await Promise.all([
    total === 0 ? [] : sampledRerankCalls(projectId, range, sample, input.scoreName),
    sample.cut !== null ? rerankCounts(projectId, range) : undefined,
  ])
  const calls: RerankCall[] = rows.map((row) => {
    const [ids, rawScores] = row.reranked
    const scores = finite(rawScores)
    // The retriever that ran last before the reranker, under the same parent; without one, the
    // documents the reranker says it was given (OpenInference reranker.input_documents).
    const retriever = row.retrievers[row.retrievers.length - 1]
    const [retrievedIds, rawRetrievedScores] = retriever ? [retriever[1], retriever[2]] : (row.given ?? [[], []])
    const retrievedScores = finite(rawRetrievedScores)
    const retrieved = retrieverRanking(retrievedIds.map((id, i) => ({ id, score: Number.isFinite(retrievedScores[i]) ? retrievedScores[i] : null })))
    // The reranker's order: by its scores when it reports them all, else as returned.
    const order = scores.length === ids.length && scores.every(Number.isFinite) ? ids.map((id, i) => ({ id, s: scores[i], i })).sort((a, b) => b.s - a.s || a.i - b.i).map((x) => x.id) : ids
    return {
      t: Number(row.t),
      name: row.name,
      model: row.model,
      scores: scores.filter(Number.isFinite),
      overlap: retrieved.length > 0 ? topKOverlap(order, retrieved, Number(row.top_k) || undefined) : null,
      correlation: retrieved.length > 0 ? spearman(order, retrieved) : null,
      answer_score: row.answer_score === null || row.answer_score === undefined ? null : Number(row.answer_score),
    }
  })
  const bucketMs = input.bucketSeconds * 1000
  const fraction = sample.fraction
  const rerankers = summarizeRerankers(calls)
  const timeline = rerankTimeline(calls, bucketMs)
  if (counts) {
    // Exact counts in place of the sample's.
    const byKey = new Map<string, number>()
    const perBucket = new Map<string, number>()
    for (const row of counts) {
      byKey.set(`${row.name}\u0000${row.model}`, (byKey.get(`${row.name}\u0000${row.model}`) ?? 0) + Number(row.calls))
      const key = `${new Date(row.t * 1000).toISOString()}\u0000${row.model}`
      perBucket.set(key, (perBucket.get(key) ?? 0) + Number(row.calls))
    }
    for (const r of rerankers) r.calls = byKey.get(`${r.name}\u0000${r.model}`) ?? Math.round(r.calls / fraction)
    for (const p of timeline) p.calls = perBucket.get(`${p.t}\u0000${p.model}`) ?? Math.round(p.calls / fraction)
  }
  return {
    from: input.from.toISOString(),
    to: input.to.toISOString(),
    bucket_seconds: input.bucketSeconds,
    sample: { calls: calls.length, fraction },
    rerankers,
    timeline,
    changes: detectChanges(calls, bucketMs, { from: input.from.getTime(), to: input.to.getTime() }),
  }
}

export function rerankersAnswer(report: RerankersReport): RerankersAnswer {
  return { rerankers: report.rerankers, timeline: report.timeline, changes: report.changes }
}
