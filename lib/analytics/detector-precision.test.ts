// Detector precision: seeded quiet weeks (tests/fixtures/quiet-week.ts) raise no cache incident,
// no component status or suspect, no reranker change and no runaway, at 5-minute, 15-minute and
// hourly buckets, seen at many moments of the week with only the data that had arrived by then;
// the same weeks with a planted case find it at its time, with its culprit. The spans are
// aggregated in memory the way each view's queries aggregate them (the cache view's through the
// demo's in-memory view, lib/demo/views-in-memory.ts).
import { describe, expect, it } from 'vitest'
import { cacheIncidentsInMemory } from '@/lib/demo/views-in-memory'
import { findPrice } from '@/lib/pricing/seed-prices'
import { DAY, HOUR, MINUTE, QUIET_FACTS, arrivedBy, quietWeek, type QuietSpan, type QuietWeek } from '@/tests/fixtures/quiet-week'
import type { DetectionOptions } from './cache-incidents'
import { componentHealth, rankSuspects, type ComponentInput, type ComponentKind } from './component-health'
import { toAttempt, type Attempt } from './logical-calls'
import { quantile } from './quantiles'
import { detectChanges, retrieverRanking, spearman, topKOverlap, type RerankCall } from './reranker-agreement'
import { findRunaways } from './retries'
import { inferLogicalCalls } from './retry-chains'

const BUCKETS = [5 * MINUTE, 15 * MINUTE, HOUR]
const at = (span: QuietSpan) => Date.parse(span.start_time)

/** Cache incidents over [from, to), as GET /analytics/cache reports them (the demo's in-memory view of the same queries). */
const cacheIncidents = (spans: readonly QuietSpan[], from: number, to: number, bucketMs: number, options: Partial<DetectionOptions> = {}) => cacheIncidentsInMemory(spans, from, to, bucketMs, options)

/** A span's component, as the components view names it. */
function componentsOf(span: QuietSpan): Array<{ component: string; kind: ComponentKind }> {
  switch (span.kind) {
    case 'llm':
      return [{ component: span.model_requested!, kind: 'model' }, ...(span.prompt_name ? [{ component: `${span.prompt_name}@${span.prompt_version}`, kind: 'prompt' as const }] : [])]
    case 'tool':
      return [{ component: span.tool_name ?? span.name, kind: 'tool' }]
    case 'retriever':
      return [{ component: span.name, kind: 'retriever' }]
    case 'reranker':
      return [{ component: span.name, kind: 'reranker' }]
    default:
      return []
  }
}

/** What the components query gives for a range [from, to) with the window before it as baseline. */
function componentInputs(spans: readonly QuietSpan[], from: number, to: number, bucketMs: number): ComponentInput[] {
  const baselineFrom = from - (to - from)
  const byComponent = new Map<string, { kind: ComponentKind; before: Array<{ ms: number; error: boolean }>; during: Array<{ t: number; ms: number; error: boolean; type: string }> }>()
  for (const span of spans) {
    const t = at(span)
    if (t < baselineFrom || t >= to) continue
    const ms = Date.parse(span.end_time) - t
    const error = span.status === 'error'
    for (const { component, kind } of componentsOf(span)) {
      const entry = byComponent.get(component) ?? { kind, before: [], during: [] }
      if (t < from) entry.before.push({ ms, error })
      else entry.during.push({ t, ms, error, type: span.error_type ?? '' })
      byComponent.set(component, entry)
    }
  }
  const inputs: ComponentInput[] = []
  for (const [component, { kind, before, during }] of byComponent) {
    if (during.length === 0) continue
    const baselineP95 = quantile(before.map((c) => c.ms), 0.95)
    const buckets = new Map<number, { t: number; calls: number; errors: number; slow: number; p95_ms: null }>()
    for (const call of during) {
      const t = Math.floor(call.t / bucketMs) * bucketMs
      const b = buckets.get(t) ?? { t, calls: 0, errors: 0, slow: 0, p95_ms: null }
      b.calls++
      if (call.error) b.errors++
      if (baselineP95 !== null && call.ms > baselineP95) b.slow++
      buckets.set(t, b)
    }
    inputs.push({
      component,
      kind,
      baseline: { calls: before.length, errors: before.filter((c) => c.error).length, p95_ms: baselineP95 },
      buckets: [...buckets.values()].sort((a, b) => a.t - b.t),
      p95_ms: quantile(during.map((c) => c.ms), 0.95),
      top_error: during.find((c) => c.error)?.type ?? '',
    })
  }
  return inputs
}

/** Reranker calls as the rerankers query reads them: scores, and agreement with the sibling retriever. */
function rerankCalls(spans: readonly QuietSpan[]): RerankCall[] {
  const documents = (span: QuietSpan, prefix: string) => {
    const docs: Array<{ id: string; score: number | null }> = []
    for (let k = 0; span.attributes?.[`${prefix}${k}.document.id`] !== undefined; k++) {
      docs.push({ id: String(span.attributes[`${prefix}${k}.document.id`]), score: Number(span.attributes[`${prefix}${k}.document.score`]) })
    }
    return docs
  }
  const retrieverOf = new Map<string, string[]>()
  for (const span of spans) if (span.kind === 'retriever') retrieverOf.set(span.trace_id, retrieverRanking(documents(span, 'retrieval.documents.')))
  return spans
    .filter((span) => span.kind === 'reranker')
    .map((span) => {
      const docs = documents(span, 'reranker.output_documents.')
      const reranked = docs.map((d) => d.id)
      const retrieved = retrieverOf.get(span.trace_id) ?? []
      return {
        t: at(span),
        name: span.name,
        model: String(span.attributes!['reranker.model_name']),
        scores: docs.map((d) => d.score ?? 0),
        overlap: topKOverlap(reranked, retrieved, Number(span.attributes!['reranker.top_k'])),
        correlation: spearman(reranked, retrieved),
        answer_score: null,
      }
    })
}

/** Every model call as an attempt of the retry-chain rule, from the row the retries query reads. */
function attempts(spans: readonly QuietSpan[]): Attempt[] {
  return spans
    .filter((span) => span.kind === 'llm')
    .map((span) =>
      toAttempt(
        {
          trace_id: span.trace_id,
          span_id: span.span_id,
          parent_span_id: span.parent_span_id ?? '',
          name: span.name,
          start_us: at(span) * 1000,
          end_us: Date.parse(span.end_time) * 1000,
          error: span.status === 'error',
          error_type: span.error_type ?? '',
          schema_valid: null,
          retry_attempt: 0,
          retry_of: span.retry_of ?? '',
          model: span.model_requested!,
          session_id: span.session_id,
          user_id: span.user_id,
          input_tokens: span.input_tokens ?? 0,
          output_tokens: span.output_tokens ?? 0,
          cache_read_tokens: span.cache_read_tokens ?? 0,
          cache_write_tokens: 0,
          cost_usd: null,
          schema: '',
        },
        findPrice,
      ),
    )
}

/**
 * Moments to look at the week from, with only the data that had arrived by then: every 9 hours
 * from the second day on (so every hour of the day comes round), the Sunday evening just after the
 * tiny burst, and once everything has arrived.
 */
function moments(week: QuietWeek): number[] {
  const list: number[] = [week.start + QUIET_FACTS.tinyBurst.at + HOUR]
  for (let t = week.start + DAY + 6 * HOUR; t <= week.end; t += 9 * HOUR) list.push(t)
  list.push(week.end + 4 * HOUR)
  return list
}

const describeIncident = (i: ReturnType<typeof cacheIncidents>[number]) =>
  `${new Date(i.start).toISOString()}..${new Date(i.end).toISOString()} ${i.baseline_hit_rate.toFixed(3)} -> ${i.hit_rate.toFixed(3)} suspect ${i.suspect_tenant_id} $${i.extra_cost_usd.toFixed(5)} ${JSON.stringify(i.evidence)}`

// Two call sizes: ~330 input tokens (the week the issue describes, whose daytime 15-minute
// buckets hold ~20k tokens) and ~2,000 (where the absolute floors alone would not keep it quiet).
const WEEKS = [
  { seed: 1, tokensPerCall: 330 },
  { seed: 2, tokensPerCall: 2000 },
  { seed: 3, tokensPerCall: 2000, volume: 0.5 },
]

describe('quiet weeks raise nothing', () => {
  const weeks = WEEKS.map((options) => ({ options, week: quietWeek(options) }))

  it('the cache view: no incident at 5-minute, 15-minute and hourly buckets, whenever it is looked at', () => {
    for (const { options, week } of weeks) {
      for (const now of moments(week)) {
        const spans = arrivedBy(week, now)
        const to = Math.min(now, week.end)
        for (const bucketMs of BUCKETS) {
          const raised = cacheIncidents(spans, week.start, to, bucketMs).map(describeIncident)
          expect(raised, `week ${JSON.stringify(options)}, seen at ${new Date(now).toISOString()}, bucket ${bucketMs / MINUTE} min`).toEqual([])
        }
      }
    }
  }, 300_000)

  it('the cache view: the week holds the Sunday burst and the doubling tenant; without the floors the 15-minute view cries wolf on the burst', () => {
    const { week } = weeks[0]
    const spans = arrivedBy(week, week.end + DAY)
    const burst = spans.filter((s) => s.session_id === `${QUIET_FACTS.tinyBurst.tenant}-import` && s.kind === 'llm' && s.status === 'ok')
    expect(burst).toHaveLength(40)
    expect(burst.every((s) => s.cache_read_tokens === 0)).toBe(true)
    const daily = (day: number) => spans.filter((s) => s.tenant_id === QUIET_FACTS.doubling.tenant && s.kind === 'llm' && Math.floor((at(s) - week.start) / DAY) === day).length
    expect(daily(QUIET_FACTS.doubling.day) / daily(QUIET_FACTS.doubling.day - 1)).toBeGreaterThan(1.7)
    // Per-call hit noise between 55% and 85% (calls not missing on purpose).
    const rates = spans.filter((s) => s.kind === 'llm' && (s.cache_read_tokens ?? 0) > 0).map((s) => s.cache_read_tokens! / s.input_tokens!)
    expect(Math.min(...rates)).toBeGreaterThanOrEqual(0.54)
    expect(Math.max(...rates)).toBeLessThanOrEqual(0.86)
    // Without the floors (calls, tokens, lost-hit cost) the 15-minute view raises the false alarm of
    // the Sunday afternoon: the tiny uncached calls pull the bucket's rate down by a fifth, a drop
    // real enough to pass the significance test, and worth less than a cent.
    const floorless: Partial<DetectionOptions> = { minCalls: 0, minInputTokens: 0, minExtraCostUsd: 0 }
    const sunday = week.start + QUIET_FACTS.tinyBurst.at
    const [falseAlarm, ...others] = cacheIncidents(spans, week.start, week.end, 15 * MINUTE, floorless)
    expect(others.map(describeIncident)).toEqual([])
    expect(falseAlarm).toMatchObject({ start: sunday, end: sunday + 15 * MINUTE, suspect_tenant_id: QUIET_FACTS.tinyBurst.tenant })
    expect(falseAlarm.baseline_hit_rate - falseAlarm.hit_rate).toBeGreaterThan(0.175)
    expect(falseAlarm.evidence.input_tokens).toBeLessThan(20_000)
    expect(falseAlarm.extra_cost_usd).toBeLessThan(0.01)
    expect(cacheIncidents(spans, week.start, week.end, 15 * MINUTE)).toEqual([])
  })

  it('components: no status and no suspect, over the last day, seen many times, at every bucket size', () => {
    for (const { options, week } of weeks.slice(0, 2)) {
      for (const now of moments(week).filter((t) => t >= week.start + 2 * DAY)) {
        const spans = arrivedBy(week, now)
        for (const bucketMs of BUCKETS) {
          const health = componentHealth(componentInputs(spans, now - DAY, now, bucketMs))
          const raised = health.filter((h) => h.status !== 'ok').map((h) => `${h.component} ${h.status} since ${h.since} (${JSON.stringify(h.evidence)})`)
          expect(raised, `week ${JSON.stringify(options)}, seen at ${new Date(now).toISOString()}, bucket ${bucketMs / MINUTE} min`).toEqual([])
          expect(rankSuspects(health, () => '')).toEqual([])
        }
      }
    }
  }, 300_000)

  it('rerankers: a canary on a tenth of the calls for a day is no change', () => {
    for (const { options, week } of weeks) {
      const calls = rerankCalls(arrivedBy(week, week.end + DAY))
      expect(calls.some((c) => c.model === QUIET_FACTS.canary.model)).toBe(true)
      for (const now of moments(week)) {
        const seen = calls.filter((c) => c.t < now)
        for (const bucketMs of BUCKETS) {
          expect(detectChanges(seen, bucketMs, { from: week.start, to: Math.min(now, week.end) }), `week ${JSON.stringify(options)} at ${new Date(now).toISOString()}, bucket ${bucketMs / MINUTE} min`).toEqual([])
        }
      }
    }
  }, 300_000)

  it('retries: hundreds of ordinary retries, many in one week-long session, are no runaway', () => {
    for (const { options, week } of weeks) {
      const calls = inferLogicalCalls(attempts(arrivedBy(week, week.end + DAY)))
      const retried = calls.filter((c) => c.attempts.length > 1)
      if (options.volume === undefined) expect(retried.filter((c) => c.attempts[0].session_id === 'acme-sync').length).toBeGreaterThan(100)
      expect(findRunaways(calls), `week ${JSON.stringify(options)}`).toEqual([])
    }
  })
})

describe('planted cases in the same weeks are found at their time', () => {
  const WEDNESDAY_10 = 2 * DAY + 10 * HOUR

  it('a cache thrash: at its time, with its culprit, at every bucket size and call size', () => {
    for (const options of WEEKS) {
      const week = quietWeek({ ...options, plant: { cacheThrash: { at: WEDNESDAY_10, hours: 2, tenant: 'umbrella' } } })
      const onset = week.start + WEDNESDAY_10
      for (const bucketMs of BUCKETS) {
        const incidents = cacheIncidents(arrivedBy(week, week.end + DAY), week.start, week.end, bucketMs)
        const where = `week ${JSON.stringify(options)}, bucket ${bucketMs / MINUTE} min: ${incidents.map(describeIncident).join('; ')}`
        expect(incidents.length, where).toBe(1)
        const [incident] = incidents
        expect(Math.abs(incident.start - onset), where).toBeLessThanOrEqual(bucketMs)
        expect(Math.abs(incident.end - (onset + 2 * HOUR)), where).toBeLessThanOrEqual(2 * bucketMs)
        expect(incident.suspect_tenant_id, where).toBe('umbrella')
        expect(incident.evidence.p_value).toBeLessThan(incident.evidence.alpha)
      }
    }
  }, 300_000)

  it('a tool outage, a reranker swap and a runaway loop', () => {
    const outageAt = 3 * DAY + 1 * HOUR + 12 * MINUTE
    const swapAt = 3 * DAY + 12 * HOUR
    const loopAt = 1 * DAY + 15 * HOUR
    const week = quietWeek({ seed: 4, plant: { outage: { at: outageAt }, rerankerSwap: { at: swapAt }, runaway: { at: loopAt, attempts: 30 } } })
    const spans = arrivedBy(week, week.end + DAY)
    for (const bucketMs of BUCKETS) {
      const now = week.start + outageAt + 4 * HOUR
      const health = componentHealth(componentInputs(arrivedBy(week, now), now - DAY, now, bucketMs))
      expect(health.filter((h) => h.status !== 'ok').map((h) => [h.component, h.status])).toEqual([['kb.search', 'failing']])
      const kb = health.find((h) => h.component === 'kb.search')!
      expect(Math.abs(Date.parse(kb.since!) - (week.start + outageAt))).toBeLessThanOrEqual(bucketMs)

      const changes = detectChanges(rerankCalls(spans), bucketMs, { from: week.start, to: week.end })
      expect(changes.map((c) => [c.from_model, c.to_model])).toEqual([['rerank-v3', 'rerank-lite']])
      expect(Math.abs(Date.parse(changes[0].at) - (week.start + swapAt))).toBeLessThan(5 * MINUTE)
      expect(changes[0].significant).toBe(true)
    }
    const runaways = findRunaways(inferLogicalCalls(attempts(spans)))
    expect(runaways.map((r) => [r.attempts, r.failed_attempts, r.first_at])).toEqual([[30, 29, new Date(week.start + loopAt).toISOString()]])
  }, 300_000)
})
