import { describe, expect, it } from 'vitest'
import { findPrice } from '@/lib/pricing/seed-prices'
import { detectCacheIncidents, type PromptShiftCell, type UsageCell } from './cache-incidents'

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

/** An hourly week of traffic: busy by day, quiet by night, hit rates ~0.7 with noise. */
function plantedWeek(seed: number, plant?: Plant) {
  const next = random(seed)
  const buckets = 7 * 24
  const cells: UsageCell[] = []
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
      cells.push({ bucket: b, tenant_id: tenant, model: MODELS[tenant], input_tokens: input, cache_read_tokens: Math.round(input * rate) })
      // Ordinary prompt churn: now and then a tenant ships a new prompt version.
      const usual = next() < 0.03 ? 1 : 0
      const planted = thrash && tenant === plant.culprit ? plant.newHashes : 0
      if (usual + planted > 0) shifts.push({ bucket: b, tenant_id: tenant, new_hashes: usual + planted })
    })
  }
  return { buckets, cells, shifts }
}

const priceOf = (model: string) => findPrice(model)
const WEDNESDAY_9AM = 2 * 24 + 9

describe('detectCacheIncidents', () => {
  it('finds a planted thrash at its time and names the tenant whose traffic shifted', () => {
    const plant: Plant = { start: WEDNESDAY_9AM, end: WEDNESDAY_9AM + 2, culprit: 'umbrella', volume: 3, newHashes: 400, victimRate: 0.25 }
    const week = plantedWeek(1, plant)
    const incidents = detectCacheIncidents(week.buckets, week.cells, week.shifts, priceOf)
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
    const [incident] = detectCacheIncidents(week.buckets, week.cells, week.shifts, priceOf)
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
    const incidents = detectCacheIncidents(week.buckets, week.cells, week.shifts, priceOf)
    expect(incidents.map((i) => [i.start_bucket, i.end_bucket, i.suspect_tenant_id])).toEqual([[plant.start, plant.end, 'acme']])
  })

  it('names the tenant whose volume surged even without new prompt hashes', () => {
    const plant: Plant = { start: 5 * 24 + 9, end: 5 * 24 + 9, culprit: 'globex', volume: 6, newHashes: 0, victimRate: 0.3 }
    const week = plantedWeek(4, plant)
    const [incident] = detectCacheIncidents(week.buckets, week.cells, week.shifts, priceOf)
    expect(incident.start_bucket).toBe(plant.start)
    expect(incident.suspect_tenant_id).toBe('globex')
  })

  it('finds nothing in quiet weeks, including their quiet nights', () => {
    for (const seed of [11, 12, 13, 14, 15, 16, 17, 18]) {
      const week = plantedWeek(seed)
      expect(detectCacheIncidents(week.buckets, week.cells, week.shifts, priceOf)).toEqual([])
    }
  })

  it('does not call a drop an incident without a baseline, nor when no one relied on the cache', () => {
    const cells: UsageCell[] = [0, 1, 2].map((bucket) => ({ bucket, tenant_id: 'a', model: 'gpt-4o', input_tokens: 1000, cache_read_tokens: bucket === 2 ? 0 : 900 }))
    expect(detectCacheIncidents(3, cells, [], priceOf)).toEqual([])
    const uncached: UsageCell[] = Array.from({ length: 20 }, (_, bucket) => ({ bucket, tenant_id: 'a', model: 'gpt-4o', input_tokens: 1000, cache_read_tokens: bucket < 19 ? 20 : 0 }))
    expect(detectCacheIncidents(20, uncached, [], priceOf)).toEqual([])
  })

  it('keeps a long incident through a quiet night as one, with its pre-incident baseline', () => {
    const plant: Plant = { start: 3 * 24 + 8, end: 3 * 24 + 8 + 30, culprit: 'hooli', volume: 2, newHashes: 30, victimRate: 0.2 }
    const week = plantedWeek(5, plant)
    const incidents = detectCacheIncidents(week.buckets, week.cells, week.shifts, priceOf)
    expect(incidents).toHaveLength(1)
    expect(incidents[0].end_bucket).toBe(plant.end)
    expect(incidents[0].baseline_hit_rate).toBeGreaterThan(0.65)
  })
})
