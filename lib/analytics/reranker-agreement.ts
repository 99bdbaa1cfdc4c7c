// The reranker graded on its own, pure: how far each call agrees with the retriever it reranks
// (top-k overlap, Spearman rank correlation), its score distribution per model and over time,
// and where the serving reranker changed with before/after numbers and a significance test
// (docs/analytics.md, "The silent reranker").
import { meanDifferenceTest, type SampleMoments } from './stats'
import { mean, quantileOfSorted, variance } from './quantiles'

export interface RankedDocument {
  id: string
  score: number | null
}

/** The retriever's ranking: by score (highest first) when every document has one, else as listed. */
export function retrieverRanking(documents: readonly RankedDocument[]): string[] {
  const scored = documents.every((d) => d.score !== null)
  const ordered = scored ? [...documents].map((d, i) => ({ d, i })).sort((a, b) => b.d.score! - a.d.score! || a.i - b.i).map((x) => x.d) : documents
  return ordered.map((d) => d.id)
}

/**
 * Share of the reranker's top k that are also in the retriever's top k; k is the reranker's
 * top_k when given, else the length of its output. Null when either side is empty.
 */
export function topKOverlap(reranked: readonly string[], retrieved: readonly string[], topK?: number): number | null {
  const k = Math.min(topK && topK > 0 ? topK : reranked.length, reranked.length)
  if (k === 0 || retrieved.length === 0) return null
  const retrievedTop = new Set(retrieved.slice(0, k))
  return reranked.slice(0, k).filter((id) => retrievedTop.has(id)).length / k
}

/**
 * Spearman's rank correlation between the reranker's order and the retriever's over the documents
 * both ranked (each ranked 1..n within that shared set, so no ties); null below 3 shared documents.
 */
export function spearman(reranked: readonly string[], retrieved: readonly string[]): number | null {
  const inRetrieved = new Set(retrieved)
  const shared = [...new Set(reranked.filter((id) => inRetrieved.has(id)))]
  const n = shared.length
  if (n < 3) return null
  const sharedSet = new Set(shared)
  const retrieverRank = new Map(retrieved.filter((id, i) => sharedSet.has(id) && retrieved.indexOf(id) === i).map((id, i) => [id, i]))
  let sumSquares = 0
  shared.forEach((id, i) => (sumSquares += (i - retrieverRank.get(id)!) ** 2))
  return 1 - (6 * sumSquares) / (n * (n * n - 1))
}

/** One reranker call, measured. */
export interface RerankCall {
  /** Milliseconds since the epoch. */
  t: number
  name: string
  /** The serving reranker: its model, with `@version` when a version attribute was sent. */
  model: string
  /** The reranker's output scores. */
  scores: number[]
  overlap: number | null
  correlation: number | null
  /** Mean of the trace's scores of the chosen name; null when unscored. */
  answer_score: number | null
}

export interface RerankerSummary {
  name: string
  model: string
  calls: number
  score_p10: number | null
  score_p50: number | null
  score_p90: number | null
  top_k_overlap: number | null
  rank_correlation: number | null
  answer_score_mean: number | null
}

const nonNull = (values: ReadonlyArray<number | null>) => values.filter((v): v is number => v !== null)
const sorted = (values: number[]) => values.sort((a, b) => a - b)

export function summarizeRerankers(calls: readonly RerankCall[], scale = 1): RerankerSummary[] {
  const groups = new Map<string, RerankCall[]>()
  for (const call of calls) {
    const key = `${call.name}\u0000${call.model}`
    let group = groups.get(key)
    if (!group) groups.set(key, (group = []))
    group.push(call)
  }
  return [...groups.values()]
    .map((group) => {
      const scores = sorted(group.flatMap((c) => c.scores))
      return {
        name: group[0].name,
        model: group[0].model,
        calls: Math.round(group.length * scale),
        score_p10: quantileOfSorted(scores, 0.1),
        score_p50: quantileOfSorted(scores, 0.5),
        score_p90: quantileOfSorted(scores, 0.9),
        top_k_overlap: mean(nonNull(group.map((c) => c.overlap))),
        rank_correlation: mean(nonNull(group.map((c) => c.correlation))),
        answer_score_mean: mean(nonNull(group.map((c) => c.answer_score))),
      }
    })
    .sort((a, b) => b.calls - a.calls || a.model.localeCompare(b.model))
}

export interface TimelinePoint {
  t: string
  model: string
  calls: number
  score_p50: number | null
  top_k_overlap: number | null
  answer_score_mean: number | null
}

/** Per bucket (aligned to multiples of its length since the epoch) and serving model. */
export function rerankTimeline(calls: readonly RerankCall[], bucketMs: number, scale = 1): TimelinePoint[] {
  const groups = new Map<string, { t: number; model: string; calls: RerankCall[] }>()
  for (const call of calls) {
    const t = Math.floor(call.t / bucketMs) * bucketMs
    const key = `${t}\u0000${call.model}`
    let group = groups.get(key)
    if (!group) groups.set(key, (group = { t, model: call.model, calls: [] }))
    group.calls.push(call)
  }
  return [...groups.values()]
    .sort((a, b) => a.t - b.t || a.model.localeCompare(b.model))
    .map((g) => ({
      t: new Date(g.t).toISOString(),
      model: g.model,
      calls: Math.round(g.calls.length * scale),
      score_p50: quantileOfSorted(sorted(g.calls.flatMap((c) => c.scores)), 0.5),
      top_k_overlap: mean(nonNull(g.calls.map((c) => c.overlap))),
      answer_score_mean: mean(nonNull(g.calls.map((c) => c.answer_score))),
    }))
}

export interface ChangeRules {
  /** Share of a bucket's calls the serving model must have for the bucket to count as its. */
  dominance: number
  /** Thin buckets merge with the following ones until they hold this many calls. */
  minGroupCalls: number
  /**
   * Calls a model must serve (at `dominance` of all calls since it appeared) before it counts as
   * serving, and calls each side of a change needs for the change to be significant.
   */
  minCalls: number
  /** Family-wise significance level, Bonferroni-corrected over every test made. */
  alpha: number
  /** Smallest shift that matters, in pooled standard deviations. */
  minEffect: number
}

export const CHANGE_RULES: ChangeRules = { dominance: 0.8, minGroupCalls: 10, minCalls: 50, alpha: 0.01, minEffect: 0.2 }

export interface ChangeEvidence {
  calls_before: number
  calls_after: number
  window_ms: number
  /** Welch's test on each call's top score, and on each call's top-k overlap. */
  score_p: number | null
  overlap_p: number | null
  /** The per-test level after the Bonferroni correction. */
  alpha: number
}

export interface RerankerChange {
  at: string
  from_model: string
  to_model: string
  score_p50_before: number | null
  score_p50_after: number | null
  overlap_before: number | null
  overlap_after: number | null
  answer_score_before: number | null
  answer_score_after: number | null
  significant: boolean
  evidence: ChangeEvidence
}

const moments = (values: number[]): SampleMoments => ({ n: values.length, mean: mean(values) ?? 0, variance: variance(values) })
const topScore = (call: RerankCall) => (call.scores.length > 0 ? Math.max(...call.scores) : null)

/**
 * Where the serving reranker changed. Buckets with fewer than `minGroupCalls` calls merge with the
 * following ones; a group belongs to a model that served at least `dominance` of its calls. A
 * model takes over once, from the first group the serving model did not own, it has served at
 * least `dominance` of all calls and `minCalls` calls (canaries, A/B splits and thin bursts never
 * do). The change is at the new model's first call after the old model's last owned group. Before and after are compared over
 * equal windows, bounded by the neighbouring changes and the range; the change is significant
 * when either test passes the corrected level with a shift of at least `minEffect` SDs and each
 * side has `minCalls` calls.
 */
export function detectChanges(calls: readonly RerankCall[], bucketMs: number, range: { from: number; to: number }, rules: Partial<ChangeRules> = {}): RerankerChange[] {
  const opts = { ...CHANGE_RULES, ...rules }
  const ordered = [...calls].sort((a, b) => a.t - b.t)
  const buckets = new Map<number, Map<string, number>>()
  for (const call of ordered) {
    const t = Math.floor(call.t / bucketMs) * bucketMs
    let counts = buckets.get(t)
    if (!counts) buckets.set(t, (counts = new Map()))
    counts.set(call.model, (counts.get(call.model) ?? 0) + 1)
  }
  // Thin buckets merge with the following ones until a group holds minGroupCalls calls.
  const groups: Array<{ t: number; end: number; counts: Map<string, number>; total: number }> = []
  let open: (typeof groups)[number] | undefined
  for (const [t, counts] of [...buckets.entries()].sort((a, b) => a[0] - b[0])) {
    if (!open) open = { t, end: t + bucketMs, counts: new Map(), total: 0 }
    for (const [model, n] of counts) open.counts.set(model, (open.counts.get(model) ?? 0) + n)
    open.total += [...counts.values()].reduce((s, n) => s + n, 0)
    open.end = t + bucketMs
    if (open.total >= opts.minGroupCalls) {
      groups.push(open)
      open = undefined
    }
  }
  if (open) groups.push(open)

  const switches: Array<{ at: number; from: string; to: string }> = []
  let current: string | undefined
  let lastOwnedEnd = range.from
  let candidate: { model: string; since: number; total: number; calls: number } | undefined
  for (const group of groups) {
    const [top, topCalls] = [...group.counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]
    if (current !== undefined && top === current && topCalls >= opts.dominance * group.total) {
      lastOwnedEnd = group.end
      candidate = undefined
      continue
    }
    if (candidate && candidate.model === top) {
      candidate.total += group.total
      candidate.calls += topCalls
    } else if (candidate) {
      candidate.total += group.total
      candidate.calls += group.counts.get(candidate.model) ?? 0
    } else {
      candidate = { model: top, since: lastOwnedEnd, total: group.total, calls: topCalls }
    }
    if (candidate.calls < opts.dominance * candidate.total) {
      candidate = top !== current && topCalls >= opts.dominance * group.total ? { model: top, since: lastOwnedEnd, total: group.total, calls: topCalls } : undefined
    } else if (candidate.total >= opts.minCalls) {
      const since = candidate.since
      const to = candidate.model
      if (current !== undefined) {
        const first = ordered.find((c) => c.t >= since && c.model === to)
        switches.push({ at: first ? first.t : since, from: current, to })
      }
      current = to
      lastOwnedEnd = group.end
      candidate = undefined
    }
  }

  const alpha = opts.alpha / Math.max(1, switches.length * 2)
  return switches.map((change, i) => {
    const previous = i > 0 ? switches[i - 1].at : range.from
    const next = i + 1 < switches.length ? switches[i + 1].at : range.to
    const window = Math.min(change.at - previous, next - change.at)
    const before = ordered.filter((c) => c.t >= change.at - window && c.t < change.at)
    const after = ordered.filter((c) => c.t >= change.at && c.t < change.at + window)
    const test = (of: (c: RerankCall) => number | null) => {
      const a = nonNull(before.map(of))
      const b = nonNull(after.map(of))
      const result = meanDifferenceTest(moments(b), moments(a))
      if (!result) return { p: null, passes: false }
      const sd = Math.sqrt((variance(a) + variance(b)) / 2)
      const effect = sd > 0 ? Math.abs(result.difference) / sd : result.difference !== 0 ? Infinity : 0
      return { p: result.p, passes: result.p < alpha && effect >= opts.minEffect && a.length >= opts.minCalls && b.length >= opts.minCalls }
    }
    const score = test(topScore)
    const overlap = test((c) => c.overlap)
    const median = (side: RerankCall[]) => quantileOfSorted(sorted(side.flatMap((c) => c.scores)), 0.5)
    return {
      at: new Date(change.at).toISOString(),
      from_model: change.from,
      to_model: change.to,
      score_p50_before: median(before),
      score_p50_after: median(after),
      overlap_before: mean(nonNull(before.map((c) => c.overlap))),
      overlap_after: mean(nonNull(after.map((c) => c.overlap))),
      answer_score_before: mean(nonNull(before.map((c) => c.answer_score))),
      answer_score_after: mean(nonNull(after.map((c) => c.answer_score))),
      significant: score.passes || overlap.passes,
      evidence: { calls_before: before.length, calls_after: after.length, window_ms: window, score_p: score.p, overlap_p: overlap.p, alpha },
    }
  })
}
