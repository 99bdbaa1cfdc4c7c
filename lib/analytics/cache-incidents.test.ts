import { describe, expect, it } from 'vitest'
import { findPrice } from '@/lib/pricing/seed-prices'
import { addCall, detectCacheIncidents, type CallMoments, type DetectionOptions, type PromptShiftCell, type UsageCell } from './cache-incidents'

/** Deterministic PRNG so planted weeks are the same on every run. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const TENANTS = ['acme', 'globex', 'initech', 'umbrella', 'hooli']
const MODELS: Record<string, string> = { acme: 'claude-sonnet-4-5', globex: 'claude-sonnet-4-5', initech: 'gpt-4o', umbrella: 'gpt-4o', hooli: 'claude-sonnet-4-5' }

interface Plant {
  /** First and last hour (bucket index) of the thrash. */
  start: number
  end: number
  culprit: string
  /** Multiplier of the culprit's volume during the thrash. */
  volume: number
  /** New prompt hashes the culprit sends per hour during the thrash. */
  newHashes: number
  /** Everyone else's hit rate during the thrash. */
  victimRate: number
}

/** One model call: the unit the evidence rule counts and takes the variance over. */
interface Call {
  bucket: number
  tenant_id: string
  model: string
  input_tokens: number
  cache_read_tokens: number
}

/** Token sums per bucket, tenant and model, and call moments per bucket, as the queries give them. */
function aggregate(calls: readonly Call[]) {
  const cells = new Map<string, UsageCell>()
  const moments = new Map<number, CallMoments>()
  for (const call of calls) {
    const key = `${call.bucket}/${call.tenant_id}/${call.model}`
    const cell = cells.get(key) ?? { bucket: call.bucket, tenant_id: call.tenant_id, model: call.model, input_tokens: 0, cache_read_tokens: 0, requests: 0 }
    cell.input_tokens += call.input_tokens
    cell.cache_read_tokens += call.cache_read_tokens
    cell.requests++
    cells.set(key, cell)
    const m = moments.get(call.bucket) ?? { bucket: call.bucket, calls: 0, input_tokens: 0, cache_read_tokens: 0, input_sq: 0, cache_read_sq: 0, input_cache_read: 0 }
    addCall(m, call.input_tokens, call.cache_read_tokens)
    moments.set(call.bucket, m)
  }
  return { cells: [...cells.values()], moments: [...moments.values()] }
}

/**
 * An hourly week of traffic: busy by day, quiet by night, hit rates ~0.7 with noise between
 * buckets and between calls (a call's own rate varies by +-0.2 around its tenant's).
 */
function plantedWeek(seed: number, plant?: Plant, tokensPerCall = 8000) {
  const next = random(seed)
  const buckets = 7 * 24
  const calls: Call[] = []
  const shifts: PromptShiftCell[] = []
  for (let b = 0; b < buckets; b++) {
    const hour = b % 24
    const daytime = hour >= 8 && hour <= 18 ? 1 : 0.15
    const thrash = plant && b >= plant.start && b <= plant.end
    TENANTS.forEach((tenant, i) => {
      let input = Math.round((200_000 + i * 80_000) * daytime * (0.8 + 0.4 * next()))
      let rate = 0.7 + (next() - 0.5) * 0.08
      if (thrash && tenant === plant.culprit) {
        input *= plant.volume
        rate = 0.02
      } else if (thrash) rate = plant.victimRate + (next() - 0.5) * 0.05
      const count = Math.max(1, Math.round(input / tokensPerCall))
      for (let c = 0; c < count; c++) {
        const size = Math.max(1, Math.round((input / count) * (0.5 + next())))
        const own = Math.min(1, Math.max(0, rate + (next() - 0.5) * 0.4))
        calls.push({ bucket: b, tenant_id: tenant, model: MODELS[tenant], input_tokens: size, cache_read_tokens: Math.round(size * own) })
      }
      // Ordinary prompt churn: now and then a tenant ships a new prompt version.
      const usual = next() < 0.03 ? 1 : 0
      const planted = thrash && tenant === plant.culprit ? plant.newHashes : 0
      if (usual + planted > 0) shifts.push({ bucket: b, tenant_id: tenant, new_hashes: usual + planted })
    })
  }
  return weekOf(buckets, calls, shifts)
}

function weekOf(buckets: number, calls: Call[], shifts: PromptShiftCell[]) {
  return { buckets, calls, shifts, ...aggregate(calls) }
}

type Week = ReturnType<typeof weekOf>
const detect = (week: Week, options: Partial<DetectionOptions> = {}) => detectCacheIncidents(week.buckets, week.cells, week.shifts, week.moments, priceOf, options)

const priceOf = (model: string) => findPrice(model)
const WEDNESDAY_9AM = 2 * 24 + 9

describe('detectCacheIncidents', () => {
  it('finds a planted thrash at its time and names the tenant whose traffic shifted', () => {
    const plant: Plant = { start: WEDNESDAY_9AM, end: WEDNESDAY_9AM + 2, culprit: 'umbrella', volume: 3, newHashes: 400, victimRate: 0.25 }
    const week = plantedWeek(1, plant)
    const incidents = detect(week)
    expect(incidents).toHaveLength(1)
    const [incident] = incidents
    expect(incident.start_bucket).toBe(plant.start)
    expect(incident.end_bucket).toBe(plant.end)
    expect(incident.suspect_tenant_id).toBe('umbrella')
    expect(incident.baseline_hit_rate).toBeGreaterThan(0.65)
    expect(incident.baseline_hit_rate).toBeLessThan(0.75)
    expect(incident.hit_rate).toBeLessThan(0.25)
    expect(incident.suspects[0].new_hashes).toBeGreaterThanOrEqual(800)
    expect(incident.suspects[0].new_hashes).toBeLessThanOrEqual(802)
    expect(incident.suspects[0].share_change).toBeGreaterThan(0.2)
  })

  it('prices the lost hits at each model\'s input minus cache-read price', () => {
    const plant: Plant = { start: WEDNESDAY_9AM, end: WEDNESDAY_9AM, culprit: 'initech', volume: 1, newHashes: 50, victimRate: 0.1 }
    const week = plantedWeek(2, plant)
    const [incident] = detect(week)
    expect(incident.start_bucket).toBe(plant.start)
    // Recompute independently: per model, the baseline rate of the 12 latest judged hours before
    // the onset (nights are too thin to judge: 08:00 that day and 08:00-18:00 the day before)
    // times the input, minus what was read from the cache.
    const baselineHours = [plant.start - 1, ...Array.from({ length: 11 }, (_, i) => 24 + 8 + i)]
    let expected = 0
    for (const model of new Set(Object.values(MODELS))) {
      const inModel = (b: number) => week.cells.filter((c) => c.bucket === b && c.model === model)
      const sum = (cells: UsageCell[], key: 'input_tokens' | 'cache_read_tokens') => cells.reduce((s, c) => s + c[key], 0)
      const before = baselineHours.flatMap(inModel)
      const rate = sum(before, 'cache_read_tokens') / sum(before, 'input_tokens')
      const during = inModel(plant.start)
      const lost = rate * sum(during, 'input_tokens') - sum(during, 'cache_read_tokens')
      const price = findPrice(model)!
      expected += (lost * (price.input_per_mtok - price.cache_read_per_mtok)) / 1e6
    }
    expect(incident.extra_cost_usd).toBeCloseTo(expected, 9)
    expect(incident.extra_cost_usd).toBeGreaterThan(0)
    // Every tenant lost hits; against their own baselines the tenants' costs add up to about the org's.
    expect(Object.keys(incident.tenant_extra_cost_usd).sort()).toEqual([...TENANTS].sort())
    const tenantTotal = Object.values(incident.tenant_extra_cost_usd).reduce((a, b) => a + b, 0)
    expect(tenantTotal / incident.extra_cost_usd).toBeGreaterThan(0.95)
    expect(tenantTotal / incident.extra_cost_usd).toBeLessThan(1.05)
  })

  it('names the tenant with new prompts even when its volume did not change', () => {
    const plant: Plant = { start: 4 * 24 + 10, end: 4 * 24 + 13, culprit: 'acme', volume: 1, newHashes: 120, victimRate: 0.3 }
    const week = plantedWeek(3, plant)
    const incidents = detect(week)
    expect(incidents.map((i) => [i.start_bucket, i.end_bucket, i.suspect_tenant_id])).toEqual([[plant.start, plant.end, 'acme']])
  })

  it('names the tenant whose volume surged even without new prompt hashes', () => {
    const plant: Plant = { start: 5 * 24 + 9, end: 5 * 24 + 9, culprit: 'globex', volume: 6, newHashes: 0, victimRate: 0.3 }
    const week = plantedWeek(4, plant)
    const [incident] = detect(week)
    expect(incident.start_bucket).toBe(plant.start)
    expect(incident.suspect_tenant_id).toBe('globex')
  })

  it('finds nothing in quiet weeks, including their quiet nights', () => {
    for (const seed of [11, 12, 13, 14, 15, 16, 17, 18]) {
      const week = plantedWeek(seed)
      expect(detect(week)).toEqual([])
    }
  })

  it('does not call a drop an incident without a baseline, nor when no one relied on the cache', () => {
    const calls = (bucket: number, read: number) => Array.from({ length: 50 }, () => ({ bucket, tenant_id: 'a', model: 'gpt-4o', input_tokens: 1000, cache_read_tokens: read }))
    expect(detect(weekOf(3, [0, 1, 2].flatMap((bucket) => calls(bucket, bucket === 2 ? 0 : 900)), []))).toEqual([])
    expect(detect(weekOf(20, Array.from({ length: 20 }, (_, bucket) => calls(bucket, bucket < 19 ? 20 : 0)).flat(), []))).toEqual([])
  })

  it('keeps a long incident through a quiet night as one, with its pre-incident baseline', () => {
    const plant: Plant = { start: 3 * 24 + 8, end: 3 * 24 + 8 + 30, culprit: 'hooli', volume: 2, newHashes: 30, victimRate: 0.2 }
    const week = plantedWeek(5, plant)
    const incidents = detect(week)
    expect(incidents).toHaveLength(1)
    expect(incidents[0].end_bucket).toBe(plant.end)
    expect(incidents[0].baseline_hit_rate).toBeGreaterThan(0.65)
  })
})

describe('detectCacheIncidents: evidence before an incident', () => {
  const B = WEDNESDAY_9AM + 1
  /** The week with bucket B's calls replaced. */
  const replaceBucket = (week: Week, calls: Call[]) => weekOf(week.buckets, [...week.calls.filter((c) => c.bucket !== B), ...calls], week.shifts)
  const uncached = (calls: Call[]) => calls.map((c) => ({ ...c, cache_read_tokens: 0 }))

  it('carries the evidence it rests on: calls, tokens, intervals and a corrected p value', () => {
    const plant: Plant = { start: WEDNESDAY_9AM, end: WEDNESDAY_9AM + 2, culprit: 'umbrella', volume: 3, newHashes: 400, victimRate: 0.25 }
    const week = plantedWeek(1, plant)
    const [incident] = detect(week)
    const during = week.calls.filter((c) => c.bucket >= plant.start && c.bucket <= plant.end)
    expect(incident.evidence.calls).toBe(during.length)
    expect(incident.evidence.input_tokens).toBe(during.reduce((sum, c) => sum + c.input_tokens, 0))
    // The baseline: the 12 latest judged hours before the onset (08:00 that day, 08:00-18:00 the day before).
    const baselineHours = new Set([plant.start - 1, ...Array.from({ length: 11 }, (_, i) => 24 + 8 + i)])
    expect(incident.evidence.baseline_calls).toBe(week.calls.filter((c) => baselineHours.has(c.bucket)).length)
    expect(incident.evidence.comparisons).toBeGreaterThan(50)
    expect(incident.evidence.alpha).toBeCloseTo(0.01 / incident.evidence.comparisons, 12)
    expect(incident.evidence.p_value).toBeLessThan(incident.evidence.alpha)
    const { hit_rate_interval: rate, baseline_hit_rate_interval: base } = incident.evidence
    expect(rate.low).toBeLessThan(incident.hit_rate)
    expect(rate.high).toBeGreaterThan(incident.hit_rate)
    expect(base.low).toBeLessThan(incident.baseline_hit_rate)
    expect(base.high).toBeGreaterThan(incident.baseline_hit_rate)
    expect(rate.high).toBeLessThan(base.low)
  })

  it('does not judge a bucket whose calls are few beside its baseline, however low its rate', () => {
    const week = plantedWeek(21)
    const own = week.calls.filter((c) => c.bucket === B)
    const tokens = own.reduce((sum, c) => sum + c.input_tokens, 0)
    // The same tokens, all uncached, in its usual number of calls: an incident.
    expect(detect(replaceBucket(week, uncached(own))).map((i) => i.start_bucket)).toEqual([B])
    // In ten big calls (a twentieth of the usual count): too thin to judge.
    const few = Array.from({ length: 10 }, () => ({ ...own[0], input_tokens: Math.round(tokens / 10), cache_read_tokens: 0 }))
    expect(own.length).toBeGreaterThan(100)
    expect(detect(replaceBucket(week, few))).toEqual([])
  })

  it('asks for a drop that is significant given the call-to-call variance, not only large', () => {
    // Big calls (~45 per busy hour); in bucket B the rate falls from ~0.70 to 0.44.
    const week = plantedWeek(22, undefined, 40_000)
    const own = week.calls.filter((c) => c.bucket === B)
    expect(own.length).toBeGreaterThan(35)
    const hits = Math.round(own.length * 0.44)
    // Every call hits or misses whole: the rate's standard error is ~0.075, the drop ~3 of them,
    // short of the corrected level (p must be under 0.01 over ~100 buckets).
    const allOrNothing = own.map((c, i) => ({ ...c, input_tokens: 40_000, cache_read_tokens: i < hits ? 40_000 : 0 }))
    expect(detect(replaceBucket(week, allOrNothing))).toEqual([])
    const [unproven] = detect(replaceBucket(week, allOrNothing), { alpha: 1 })
    expect(unproven.start_bucket).toBe(B)
    expect(unproven.evidence.p_value).toBeGreaterThan(0.01 / unproven.evidence.comparisons)
    expect(unproven.evidence.p_value).toBeLessThan(0.05)
    // The same drop with every call at the same rate leaves no doubt.
    const even = own.map((c) => ({ ...c, input_tokens: 40_000, cache_read_tokens: Math.round(40_000 * (hits / own.length)) }))
    const [incident] = detect(replaceBucket(week, even))
    expect(incident.start_bucket).toBe(B)
    expect(incident.evidence.p_value).toBeLessThan(incident.evidence.alpha)
  })

  it('asks for enough calls and tokens in absolute terms', () => {
    // Few, very big calls (~12 per busy hour): a clear thrash rests on too few calls.
    const plant: Plant = { start: WEDNESDAY_9AM, end: WEDNESDAY_9AM, culprit: 'initech', volume: 1, newHashes: 50, victimRate: 0.1 }
    const week = plantedWeek(23, plant, 150_000)
    expect(week.calls.filter((c) => c.bucket === plant.start).length).toBeLessThan(30)
    expect(detect(week)).toEqual([])
    expect(detect(week, { minCalls: 5 }).map((i) => i.start_bucket)).toEqual([plant.start])
    expect(detect(week, { minCalls: 5, minInputTokens: 10_000_000 })).toEqual([])
  })

  it('asks for a lost-hit cost above the floor, which each request may set', () => {
    const plant: Plant = { start: WEDNESDAY_9AM, end: WEDNESDAY_9AM + 2, culprit: 'hooli', volume: 2, newHashes: 40, victimRate: 0.3 }
    const week = plantedWeek(24, plant)
    const [incident] = detect(week)
    expect(incident.extra_cost_usd).toBeGreaterThan(0.1)
    expect(detect(week, { minExtraCostUsd: incident.extra_cost_usd * 1.01 })).toEqual([])
    expect(detect(week, { minExtraCostUsd: incident.extra_cost_usd * 0.99 })).toHaveLength(1)
  })
})
