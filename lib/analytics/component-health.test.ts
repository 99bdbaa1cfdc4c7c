import { describe, expect, it } from 'vitest'
import { Rng } from '@/lib/demo/prng'
import { poisson } from '@/tests/fixtures/quiet-week'
import { componentHealth, rankSuspects, suspectReason, verdict, type ComponentInput, type ComponentKind } from './component-health'
import { quantile } from './quantiles'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

interface Call {
  t: number
  ms: number
  error: boolean
}

interface Spec {
  component: string
  kind: ComponentKind
  /** Calls per hour at the daytime peak. */
  perHour: number
  medianMs: number
  errorRate: number
}

const COMPONENTS: Spec[] = [
  { component: 'gpt-4.1', kind: 'model', perHour: 900, medianMs: 1400, errorRate: 0.004 },
  { component: 'gpt-4.1-nano', kind: 'model', perHour: 1800, medianMs: 180, errorRate: 0.002 },
  { component: 'kb.search', kind: 'tool', perHour: 600, medianMs: 90, errorRate: 0.003 },
  { component: 'track_shipment', kind: 'tool', perHour: 200, medianMs: 420, errorRate: 0.008 },
  { component: 'kb-retriever', kind: 'retriever', perHour: 600, medianMs: 45, errorRate: 0.001 },
  { component: 'rerank', kind: 'reranker', perHour: 600, medianMs: 140, errorRate: 0.002 },
  { component: 'guard prompt-injection', kind: 'guardrail', perHour: 900, medianMs: 200, errorRate: 0.001 },
  { component: 'support@v7', kind: 'prompt', perHour: 900, medianMs: 1400, errorRate: 0.004 },
]

/** Nights at a fifth of the day, weekends at 60%, a little day-to-day drift. */
function volume(t: number, offsetHours = 0): number {
  const hour = ((t / HOUR + offsetHours) % 24 + 24) % 24
  const day = Math.floor(t / DAY) % 7
  const diurnal = 0.2 + 0.8 * Math.max(0, Math.sin(((hour - 6) / 16) * Math.PI))
  return diurnal * (day >= 5 ? 0.6 : 1)
}

/** The providers are slower and shed more load at the peak. */
const peakFactor = (t: number) => volume(t)

/**
 * A quiet week: diurnal volume, weekends, noise, overload errors at the peak, one component
 * doubling its traffic for a day, a thin burst of 40 calls with a few errors on a Sunday
 * afternoon, and a new component appearing mid-week. Nothing in it is an incident.
 */
function quietWeek(seed: number): Map<string, { spec: Spec; calls: Call[] }> {
  const rng = new Rng(seed)
  const result = new Map<string, { spec: Spec; calls: Call[] }>()
  const specs = [...COMPONENTS, { component: 'lookup_order', kind: 'tool' as const, perHour: 100, medianMs: 90, errorRate: 0.005 }]
  for (const spec of specs) {
    const calls: Call[] = []
    for (let minute = 0; minute < 7 * 24 * 60; minute++) {
      const t = minute * MINUTE
      if (spec.component === 'lookup_order' && t < 3.5 * DAY) continue
      const growth = spec.component === 'kb.search' && t >= 2 * DAY && t < 3 * DAY ? 2 : 1
      const expected = (spec.perHour / 60) * volume(t, seed % 3) * growth
      const n = poisson(rng, expected)
      for (let i = 0; i < n; i++) {
        const load = peakFactor(t)
        const error = rng.chance(spec.errorRate * (1 + 2 * load))
        calls.push({ t: t + rng.next() * MINUTE, ms: rng.logNormal(spec.medianMs * (1 + 0.3 * load), 0.4), error })
      }
    }
    result.set(spec.component, { spec, calls })
  }
  // A thin burst: 40 calls in one hour on Sunday afternoon, 4 of them failing.
  const burst = { spec: { component: 'import_roster', kind: 'tool' as const, perHour: 40, medianMs: 900, errorRate: 0.1 }, calls: [] as Call[] }
  for (let i = 0; i < 40; i++) burst.calls.push({ t: 6 * DAY + 15 * HOUR + i * 90_000, ms: rng.logNormal(900, 0.4), error: i % 10 === 3 })
  result.set('import_roster', burst)
  return result
}

/** What the query module would return: baseline totals and buckets of the range, per component. */
function inputsFor(week: Map<string, { spec: Spec; calls: Call[] }>, from: number, to: number, bucketMs: number): ComponentInput[] {
  const baselineFrom = from - (to - from)
  const inputs: ComponentInput[] = []
  for (const { spec, calls } of week.values()) {
    const baseline = calls.filter((c) => c.t >= baselineFrom && c.t < from)
    const current = calls.filter((c) => c.t >= from && c.t < to)
    if (current.length === 0) continue
    const baselineP95 = quantile(baseline.map((c) => c.ms), 0.95)
    const buckets = new Map<number, { t: number; calls: number; errors: number; slow: number }>()
    for (const call of current) {
      const t = Math.floor(call.t / bucketMs) * bucketMs
      const b = buckets.get(t) ?? { t, calls: 0, errors: 0, slow: 0 }
      b.calls++
      if (call.error) b.errors++
      if (baselineP95 !== null && call.ms > baselineP95) b.slow++
      buckets.set(t, b)
    }
    inputs.push({
      component: spec.component,
      kind: spec.kind,
      baseline: { calls: baseline.length, errors: baseline.filter((c) => c.error).length, p95_ms: baselineP95 },
      buckets: [...buckets.values()].sort((a, b) => a.t - b.t).map((b) => ({ ...b, p95_ms: null })),
      p95_ms: quantile(current.map((c) => c.ms), 0.95),
      top_error: current.some((c) => c.error) ? '429' : '',
    })
  }
  return inputs
}

const BUCKETS = [5 * MINUTE, 15 * MINUTE, HOUR]

describe('componentHealth on quiet weeks', () => {
  it('raises no status and no suspect at 5-minute, 15-minute and hourly buckets', () => {
    for (const seed of [1, 2]) {
      const week = quietWeek(seed)
      for (const bucketMs of BUCKETS) {
        // Every day after the first as the range (the day before as baseline), and the last 6 hours.
        const ranges: Array<[number, number]> = [[6 * DAY + 18 * HOUR, 7 * DAY]]
        for (let day = 1; day < 7; day++) ranges.push([day * DAY, (day + 1) * DAY])
        for (const [from, to] of ranges) {
          const health = componentHealth(inputsFor(week, from, to, bucketMs))
          const raised = health.filter((h) => h.status !== 'ok').map((h) => `${h.component} ${h.status} since ${h.since} (${JSON.stringify(h.evidence)})`)
          expect(raised, `seed ${seed}, bucket ${bucketMs / MINUTE} min, ${from / HOUR}h..${to / HOUR}h`).toEqual([])
          expect(rankSuspects(health, () => '')).toEqual([])
        }
      }
    }
  }, 120_000)
})

describe('componentHealth with a planted outage', () => {
  /** kb.search times out on 96% of its calls from day 6, 01:12 on; everything else as usual. */
  function outageWeek(seed: number, onset: number) {
    const week = quietWeek(seed)
    const rng = new Rng(seed + 100)
    for (const call of week.get('kb.search')!.calls) {
      if (call.t >= onset && rng.chance(0.96)) {
        call.error = true
        call.ms = 10_000
      }
    }
    return week
  }

  it('names the failing tool first, since the onset bucket, while every model stays ok', () => {
    const onset = 6 * DAY + 1 * HOUR + 12 * MINUTE
    const week = outageWeek(4, onset)
    for (const bucketMs of BUCKETS) {
      const inputs = inputsFor(week, onset - 20 * HOUR, onset + 4 * HOUR, bucketMs)
      inputs.find((i) => i.component === 'kb.search')!.top_error = 'timeout'
      const health = componentHealth(inputs)
      const kb = health.find((h) => h.component === 'kb.search')!
      expect(kb.status).toBe('failing')
      expect(Math.abs(Date.parse(kb.since!) - onset)).toBeLessThanOrEqual(bucketMs)
      for (const h of health.filter((h) => h.kind === 'model')) expect(h.status).toBe('ok')
      const suspects = rankSuspects(health, (h) => `/traces?q=${h.component}`)
      expect(suspects[0]).toMatchObject({ component: 'kb.search', kind: 'tool', evidence_url: '/traces?q=kb.search' })
      expect(suspects[0].reason).toMatch(/^kb\.search: 9\d% timeouts since \d\d:\d\d, was 0\.\d%$/)
      expect(suspects[0].evidence.p).toBeLessThan(suspects[0].evidence.alpha)
      expect(verdict(health, suspects)).toMatch(/^kb\.search \(tool\) is failing since \d\d:\d\d/)
    }
  }, 60_000)

  it('marks a component whose latency jumped as degraded, not failing', () => {
    const week = quietWeek(5)
    const onset = 5 * DAY + 10 * HOUR
    for (const call of week.get('kb-retriever')!.calls) if (call.t >= onset) call.ms *= 4
    const health = componentHealth(inputsFor(week, 5 * DAY, 6 * DAY, 15 * MINUTE))
    const retriever = health.find((h) => h.component === 'kb-retriever')!
    expect(retriever.status).toBe('degraded')
    expect(Math.abs(Date.parse(retriever.since!) - onset)).toBeLessThanOrEqual(15 * MINUTE)
    expect(suspectReason(retriever)).toMatch(/^kb-retriever: \d+% of calls slower than its usual p95 \(\d+ ms\) since 10:00, was 5%$/)
    expect(health.filter((h) => h.status !== 'ok').map((h) => h.component)).toEqual(['kb-retriever'])
  }, 60_000)

  it('does not call a component degraded when everything is slower (a busy Monday after a quiet Sunday)', () => {
    const week = quietWeek(7)
    const busy = 5 * DAY + 9 * HOUR
    for (const { calls } of week.values()) for (const call of calls) if (call.t >= busy) call.ms *= 2.5
    const health = componentHealth(inputsFor(week, 5 * DAY, 6 * DAY, 15 * MINUTE))
    expect(health.filter((h) => h.status !== 'ok').map((h) => h.component)).toEqual([])
    // One component far slower than the rest still stands out.
    for (const call of week.get('rerank')!.calls) if (call.t >= busy) call.ms *= 6
    const [rerank] = componentHealth(inputsFor(week, 5 * DAY, 6 * DAY, 15 * MINUTE)).filter((h) => h.status !== 'ok')
    expect(rerank).toMatchObject({ component: 'rerank', status: 'degraded' })
    expect(suspectReason(rerank)).toMatch(/for the typical component$/)
  }, 60_000)

  it('says what is true now: an outage that ended hours ago is not a status', () => {
    const week = quietWeek(6)
    const start = 5 * DAY + 14 * HOUR
    for (const call of week.get('gpt-4.1')!.calls) if (call.t >= start && call.t < start + 45 * MINUTE) call.error = true
    for (const bucketMs of BUCKETS) {
      const ended = componentHealth(inputsFor(week, 5 * DAY, 6 * DAY, bucketMs))
      expect(ended.filter((h) => h.status !== 'ok').map((h) => h.component)).toEqual([])
      // Seen while it lasts, it is.
      const during = componentHealth(inputsFor(week, start + 40 * MINUTE - DAY, start + 40 * MINUTE, bucketMs))
      expect(during.find((h) => h.component === 'gpt-4.1')!.status).toBe('failing')
    }
  }, 60_000)

  it('needs the minimum evidence: a handful of failures is not an outage', () => {
    const input: ComponentInput = {
      component: 'get_invoice',
      kind: 'tool',
      baseline: { calls: 500, errors: 1, p95_ms: 100 },
      buckets: [
        { t: 0, calls: 50, errors: 0, slow: 2, p95_ms: 90 },
        { t: HOUR, calls: 4, errors: 4, slow: 0, p95_ms: 90 },
      ],
      p95_ms: 95,
      top_error: 'server_error',
    }
    expect(componentHealth([input])[0].status).toBe('ok')
    input.buckets.push({ t: 2 * HOUR, calls: 30, errors: 25, slow: 0, p95_ms: 90 })
    const [h] = componentHealth([input])
    expect(h).toMatchObject({ status: 'failing', since: new Date(HOUR).toISOString() })
    expect(verdict([h], rankSuspects([h], () => ''))).toBe('get_invoice (tool) is failing since 01:00.')
    expect(verdict([], [])).toBe('No component calls in this time range.')
  })
})
