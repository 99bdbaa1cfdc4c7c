// Cache-thrash incident detection, pure: given token sums per time bucket, tenant and model, find
// the intervals where the organisation's token-weighted cache hit rate falls well below its
// trailing baseline; for each, name the tenant whose traffic shifted at the onset and price the
// cache hits that were lost.
//
// Hit rate = cache-read input tokens / input tokens (input includes cached tokens).
//
// A bucket is low when its rate is below the baseline by at least max(minDrop, relativeDrop x
// baseline, noiseFactor x the baseline buckets' robust spread), its volume (input tokens and calls)
// is not negligible beside the baseline's, and the baseline is meaningful. The baseline is the
// token-weighted rate of the preceding normal buckets (neither low nor too thin to judge), so a
// long incident does not lower its own bar and a quiet night's noisy rates neither raise alarms
// nor become the morning's baseline.
//
// Evidence before an incident: low buckets (with the thin ones between them) form a candidate,
// which becomes an incident only when its calls and input tokens reach absolute floors, its drop
// is significant given the call-to-call variance of the hit rate (a one-sided z-test of the
// candidate's rate against the baseline's, each a ratio of sums whose variance comes from the
// calls' spread around it; Bonferroni-corrected over every bucket judged), and its lost hits cost
// at least a floor. The call-level sums come apart (`CallMoments`), only for the buckets the
// candidates need (`cacheIncidentCandidates`), so the usual path reads nothing but rollups.
//
// Suspect: at the onset (the first buckets of the incident) compared with the baseline window,
// each tenant gets evidence from two shifts - its share of input tokens grew, and it started
// sending system-prompt hashes not seen before - each measured as the tenant's part of the
// organisation's total shift. The tenant with the most evidence is named, if any has enough.
import type { ModelPrice } from '@/lib/pricing/seed-prices'
import { median, normalCdf, type Interval } from './stats'

export interface UsageCell {
  /** Index of the time bucket. */
  bucket: number
  tenant_id: string
  model: string
  input_tokens: number
  cache_read_tokens: number
  /** Model calls. */
  requests: number
}

/**
 * Sums over the model calls of one bucket that had input tokens: their count, input and cache-read
 * tokens, and the sums of squares and products the variance of the hit rate is computed from.
 */
export interface CallMoments {
  bucket: number
  calls: number
  input_tokens: number
  cache_read_tokens: number
  /** Sum of input_tokens^2. */
  input_sq: number
  /** Sum of cache_read_tokens^2. */
  cache_read_sq: number
  /** Sum of input_tokens x cache_read_tokens. */
  input_cache_read: number
}

export interface PromptShiftCell {
  bucket: number
  tenant_id: string
  /** System-prompt hashes this tenant used for the first time (in the whole window) in this bucket. */
  new_hashes: number
}

export interface DetectionOptions {
  /** Buckets of trailing baseline. */
  baselineBuckets: number
  /** Non-low buckets with traffic the baseline needs before anything can be called low. */
  minBaselineBuckets: number
  minDrop: number
  relativeDrop: number
  noiseFactor: number
  /** A bucket with less input, or fewer calls, than this fraction of the baseline's median bucket is not judged. */
  minVolumeFraction: number
  /** Least model calls (with input tokens) in an incident's buckets. */
  minCalls: number
  /** Least input tokens in an incident's buckets. */
  minInputTokens: number
  /** Significance level of the drop, divided by the number of buckets judged (Bonferroni). */
  alpha: number
  /** Least estimated cost of the lost hits, USD. */
  minExtraCostUsd: number
  /** A baseline rate below this means the organisation does not rely on the cache. */
  minBaselineRate: number
  mergeGap: number
  /** Buckets at the start of an incident compared against the baseline to find the suspect. */
  onsetBuckets: number
  /** Least evidence (0..1) for naming a suspect. */
  minSuspectEvidence: number
}

export const DEFAULT_DETECTION: DetectionOptions = {
  baselineBuckets: 12,
  minBaselineBuckets: 4,
  minDrop: 0.1,
  relativeDrop: 0.25,
  noiseFactor: 4,
  minVolumeFraction: 0.25,
  minCalls: 30,
  minInputTokens: 20_000,
  alpha: 0.01,
  minExtraCostUsd: 0.1,
  minBaselineRate: 0.05,
  mergeGap: 1,
  onsetBuckets: 2,
  minSuspectEvidence: 0.25,
}

export interface SuspectEvidence {
  tenant_id: string
  /** Share of input tokens at onset minus share in the baseline (-1..1). */
  share_change: number
  /** New system-prompt hashes at onset. */
  new_hashes: number
  /** 0..1: the tenant's part of the organisation's share growth and new hashes. */
  evidence: number
}

/** Why an incident was called one: what it rests on and how unlikely its drop is by chance. */
export interface IncidentEvidence {
  /** Model calls with input tokens, and their input tokens, in the incident's buckets. */
  calls: number
  input_tokens: number
  /** The same in the baseline buckets. */
  baseline_calls: number
  baseline_input_tokens: number
  /** 95% intervals of the two hit rates (normal approximation, from the calls' variance). */
  hit_rate_interval: Interval
  baseline_hit_rate_interval: Interval
  /** One-sided z statistic and p value of the drop. */
  z: number
  p_value: number
  /** The level p_value had to be under: alpha over the number of buckets judged. */
  alpha: number
  /** Buckets compared with their baseline in the whole window (the Bonferroni divisor). */
  comparisons: number
}

/** A run of low buckets that may be an incident, with the baseline buckets it is judged against. */
export interface IncidentCandidate {
  start_bucket: number
  end_bucket: number
  baseline_buckets: number[]
}

export interface CacheIncident {
  /** First and last low bucket (indexes, inclusive). */
  start_bucket: number
  end_bucket: number
  baseline_hit_rate: number
  hit_rate: number
  suspect_tenant_id: string | null
  suspects: SuspectEvidence[]
  lost_cache_read_tokens: number
  extra_cost_usd: number
  /** Lost-hit cost per tenant, against each tenant's own baseline. */
  tenant_extra_cost_usd: Record<string, number>
  evidence: IncidentEvidence
}

export type PriceOf = (model: string) => ModelPrice | undefined

interface Totals {
  input: number
  read: number
}

const add = (map: Map<string, Totals>, key: string, input: number, read: number) => {
  const totals = map.get(key) ?? { input: 0, read: 0 }
  totals.input += input
  totals.read += read
  map.set(key, totals)
}

/** Saving per token had a lost hit been a hit, in USD. */
export function lostHitPricePerToken(price: ModelPrice | undefined): number {
  if (!price) return 0
  return Math.max(0, price.input_per_mtok - price.cache_read_per_mtok) / 1_000_000
}

interface Judged {
  opts: DetectionOptions
  input: number[]
  read: number[]
  state: BucketState[]
  baselineAt: Array<number | undefined>
  /** Buckets compared with their baseline. */
  comparisons: number
  candidates: IncidentCandidate[]
}

function judgeBuckets(bucketCount: number, cells: readonly UsageCell[], options: Partial<DetectionOptions>): Judged {
  const opts = { ...DEFAULT_DETECTION, ...options }
  const input = new Array<number>(bucketCount).fill(0)
  const read = new Array<number>(bucketCount).fill(0)
  const requests = new Array<number>(bucketCount).fill(0)
  for (const cell of cells) {
    input[cell.bucket] += cell.input_tokens
    read[cell.bucket] += cell.cache_read_tokens
    requests[cell.bucket] += cell.requests
  }

  // Each bucket is 'empty' (no input), 'thin' (too little volume to judge; never part of a
  // baseline), 'normal' or 'low'. Buckets before there is enough baseline count as normal.
  const state = new Array<BucketState>(bucketCount).fill('empty')
  const baselineAt = new Array<number | undefined>(bucketCount).fill(undefined)
  let comparisons = 0
  for (let b = 0; b < bucketCount; b++) {
    if (input[b] === 0) continue
    const window = baselineWindow(b, opts.baselineBuckets, state)
    if (window.length < opts.minBaselineBuckets) {
      state[b] = 'normal'
      continue
    }
    let windowInput = 0
    let windowRead = 0
    for (const w of window) {
      windowInput += input[w]
      windowRead += read[w]
    }
    const baseline = windowRead / windowInput
    baselineAt[b] = baseline
    const thin = input[b] < opts.minVolumeFraction * median(window.map((w) => input[w])) || requests[b] < opts.minVolumeFraction * median(window.map((w) => requests[w]))
    if (thin) {
      state[b] = 'thin'
      continue
    }
    state[b] = 'normal'
    if (baseline < opts.minBaselineRate) continue
    comparisons++
    const rates = window.map((w) => read[w] / input[w])
    const center = median(rates)
    const spread = 1.4826 * median(rates.map((rate) => Math.abs(rate - center)))
    const threshold = Math.max(opts.minDrop, opts.relativeDrop * baseline, opts.noiseFactor * spread)
    if (baseline - read[b] / input[b] >= threshold) state[b] = 'low'
  }

  // Low buckets separated by at most mergeGap normal buckets (thin and empty ones do not count,
  // so an incident that runs through a quiet night stays one incident) form one candidate.
  const candidates: IncidentCandidate[] = []
  for (let b = 0; b < bucketCount; b++) {
    if (state[b] !== 'low') continue
    let end = b
    let normalsSince = 0
    for (let next = b + 1; next < bucketCount; next++) {
      if (state[next] === 'low') {
        end = next
        normalsSince = 0
      } else if (state[next] === 'normal' && ++normalsSince > opts.mergeGap) break
    }
    candidates.push({ start_bucket: b, end_bucket: end, baseline_buckets: baselineWindow(b, opts.baselineBuckets, state) })
    b = end
  }
  return { opts, input, read, state, baselineAt, comparisons, candidates }
}

/**
 * The runs of low buckets that may be incidents, before any evidence is asked for: the buckets
 * whose call moments `detectCacheIncidents` needs are each candidate's own and its baseline's.
 */
export function cacheIncidentCandidates(bucketCount: number, cells: readonly UsageCell[], options: Partial<DetectionOptions> = {}): IncidentCandidate[] {
  return judgeBuckets(bucketCount, cells, options).candidates
}

/** Every bucket the candidates are judged on (theirs and their baselines'), ascending. */
export function bucketsNeedingMoments(candidates: readonly IncidentCandidate[]): number[] {
  const buckets = new Set<number>()
  for (const candidate of candidates) {
    for (let b = candidate.start_bucket; b <= candidate.end_bucket; b++) buckets.add(b)
    for (const b of candidate.baseline_buckets) buckets.add(b)
  }
  return [...buckets].sort((a, b) => a - b)
}

/** Call moments of a set of model calls, for callers that hold the calls themselves. */
export function momentsOfCalls(bucket: number, calls: Iterable<{ input_tokens: number; cache_read_tokens: number }>): CallMoments {
  const moments: CallMoments = { bucket, calls: 0, input_tokens: 0, cache_read_tokens: 0, input_sq: 0, cache_read_sq: 0, input_cache_read: 0 }
  for (const call of calls) addCall(moments, call.input_tokens, call.cache_read_tokens)
  return moments
}

export function addCall(moments: CallMoments, input: number, cacheRead: number): void {
  if (input <= 0) return
  moments.calls++
  moments.input_tokens += input
  moments.cache_read_tokens += cacheRead
  moments.input_sq += input * input
  moments.cache_read_sq += cacheRead * cacheRead
  moments.input_cache_read += input * cacheRead
}

export function detectCacheIncidents(
  bucketCount: number,
  cells: readonly UsageCell[],
  promptShifts: readonly PromptShiftCell[],
  moments: readonly CallMoments[],
  priceOf: PriceOf,
  options: Partial<DetectionOptions> = {},
): CacheIncident[] {
  const judged = judgeBuckets(bucketCount, cells, options)
  const { opts } = judged
  const momentsByBucket = new Map(moments.map((m) => [m.bucket, m]))
  const incidents: CacheIncident[] = []
  for (const candidate of judged.candidates) {
    const evidence = weighEvidence(candidate, momentsByBucket, judged.comparisons, opts)
    if (evidence.calls < opts.minCalls || evidence.input_tokens < opts.minInputTokens) continue
    if (!(evidence.p_value < evidence.alpha)) continue
    const incident = describeIncident(candidate, judged, cells, promptShifts, priceOf, evidence)
    if (incident.extra_cost_usd < opts.minExtraCostUsd) continue
    incidents.push(incident)
  }
  return incidents
}

/** Pooled moments of some buckets: the token-weighted rate and its variance from the calls' spread. */
function pooledRate(buckets: Iterable<number>, momentsByBucket: ReadonlyMap<number, CallMoments>) {
  let calls = 0
  let x = 0
  let r = 0
  let xx = 0
  let rr = 0
  let rx = 0
  for (const b of buckets) {
    const m = momentsByBucket.get(b)
    if (!m) continue
    calls += m.calls
    x += m.input_tokens
    r += m.cache_read_tokens
    xx += m.input_sq
    rr += m.cache_read_sq
    rx += m.input_cache_read
  }
  const rate = x > 0 ? r / x : 0
  // Ratio estimator: Var(R/X) ~ n/(n-1) * sum((r_i - rate x_i)^2) / X^2 (linearisation).
  const residual = Math.max(0, rr - 2 * rate * rx + rate * rate * xx)
  const variance = calls > 1 && x > 0 ? ((calls / (calls - 1)) * residual) / (x * x) : Number.POSITIVE_INFINITY
  return { calls, input: x, rate, variance }
}

const Z95 = 1.959964

function interval(rate: number, variance: number): Interval {
  const half = Number.isFinite(variance) ? Z95 * Math.sqrt(variance) : 1
  return { low: Math.max(0, rate - half), high: Math.min(1, rate + half) }
}

function weighEvidence(candidate: IncidentCandidate, momentsByBucket: ReadonlyMap<number, CallMoments>, comparisons: number, opts: DetectionOptions): IncidentEvidence {
  const own: number[] = []
  for (let b = candidate.start_bucket; b <= candidate.end_bucket; b++) own.push(b)
  const during = pooledRate(own, momentsByBucket)
  const before = pooledRate(candidate.baseline_buckets, momentsByBucket)
  const se = Math.sqrt(during.variance + before.variance)
  const drop = before.rate - during.rate
  const z = !Number.isFinite(se) ? 0 : se > 0 ? drop / se : drop > 0 ? Number.POSITIVE_INFINITY : 0
  return {
    calls: during.calls,
    input_tokens: during.input,
    baseline_calls: before.calls,
    baseline_input_tokens: before.input,
    hit_rate_interval: interval(during.rate, during.variance),
    baseline_hit_rate_interval: interval(before.rate, before.variance),
    z,
    p_value: 1 - normalCdf(z),
    alpha: opts.alpha / Math.max(1, comparisons),
    comparisons,
  }
}

type BucketState = 'empty' | 'thin' | 'normal' | 'low'

/** Baseline of bucket b: the latest `size` normal buckets before it, looking back at most 4 x size. */
function baselineWindow(b: number, size: number, state: readonly BucketState[]): number[] {
  const window: number[] = []
  for (let w = b - 1; w >= 0 && w >= b - 4 * size && window.length < size; w--) if (state[w] === 'normal') window.push(w)
  return window
}

function describeIncident(
  candidate: IncidentCandidate,
  { input, read, baselineAt, opts }: Judged,
  cells: readonly UsageCell[],
  promptShifts: readonly PromptShiftCell[],
  priceOf: PriceOf,
  evidence: IncidentEvidence,
): CacheIncident {
  const { start_bucket: start, end_bucket: end } = candidate
  const baseline = baselineAt[start]!
  let incidentInput = 0
  let incidentRead = 0
  for (let b = start; b <= end; b++) {
    incidentInput += input[b]
    incidentRead += read[b]
  }
  const window = new Set(candidate.baseline_buckets)
  const onsetEnd = Math.min(end, start + opts.onsetBuckets - 1)

  // Baselines per model (for the organisation's lost hits) and per tenant and model (for each
  // tenant's own lost hits); a model or tenant absent from the baseline falls back to the org's.
  const baselineByModel = new Map<string, Totals>()
  const baselineByTenantModel = new Map<string, Totals>()
  const incidentByModel = new Map<string, Totals>()
  const incidentByTenantModel = new Map<string, Totals>()
  const baselineByTenant = new Map<string, number>()
  const onsetByTenant = new Map<string, number>()
  let baselineInput = 0
  let onsetInput = 0
  for (const cell of cells) {
    const key = `${cell.tenant_id}\u0000${cell.model}`
    if (window.has(cell.bucket)) {
      add(baselineByModel, cell.model, cell.input_tokens, cell.cache_read_tokens)
      add(baselineByTenantModel, key, cell.input_tokens, cell.cache_read_tokens)
      baselineByTenant.set(cell.tenant_id, (baselineByTenant.get(cell.tenant_id) ?? 0) + cell.input_tokens)
      baselineInput += cell.input_tokens
    } else if (cell.bucket >= start && cell.bucket <= end) {
      add(incidentByModel, cell.model, cell.input_tokens, cell.cache_read_tokens)
      add(incidentByTenantModel, key, cell.input_tokens, cell.cache_read_tokens)
      if (cell.bucket <= onsetEnd) {
        onsetByTenant.set(cell.tenant_id, (onsetByTenant.get(cell.tenant_id) ?? 0) + cell.input_tokens)
        onsetInput += cell.input_tokens
      }
    }
  }

  let lostTokens = 0
  let extraCost = 0
  for (const [model, totals] of incidentByModel) {
    const before = baselineByModel.get(model)
    const rate = before && before.input > 0 ? before.read / before.input : baseline
    const lost = Math.max(0, rate * totals.input - totals.read)
    lostTokens += lost
    extraCost += lost * lostHitPricePerToken(priceOf(model))
  }
  const tenantExtra: Record<string, number> = {}
  for (const [key, totals] of incidentByTenantModel) {
    const [tenant, model] = key.split('\u0000')
    const before = baselineByTenantModel.get(key)
    const rate = before && before.input > 0 ? before.read / before.input : baseline
    const lost = Math.max(0, rate * totals.input - totals.read)
    tenantExtra[tenant] = (tenantExtra[tenant] ?? 0) + lost * lostHitPricePerToken(priceOf(model))
  }

  const suspects = rankSuspects(window, start, onsetEnd, baselineByTenant, baselineInput, onsetByTenant, onsetInput, promptShifts)
  const top = suspects[0]
  return {
    start_bucket: start,
    end_bucket: end,
    baseline_hit_rate: baseline,
    hit_rate: incidentInput > 0 ? incidentRead / incidentInput : 0,
    suspect_tenant_id: top && top.evidence >= opts.minSuspectEvidence ? top.tenant_id : null,
    suspects,
    lost_cache_read_tokens: lostTokens,
    extra_cost_usd: extraCost,
    tenant_extra_cost_usd: tenantExtra,
    evidence,
  }
}

function rankSuspects(
  window: ReadonlySet<number>,
  onsetStart: number,
  onsetEnd: number,
  baselineByTenant: ReadonlyMap<string, number>,
  baselineInput: number,
  onsetByTenant: ReadonlyMap<string, number>,
  onsetInput: number,
  promptShifts: readonly PromptShiftCell[],
): SuspectEvidence[] {
  // New hashes at onset count only beyond the tenant's usual rate of new prompts per bucket.
  const onsetLength = onsetEnd - onsetStart + 1
  const baselineNew = new Map<string, number>()
  const onsetNew = new Map<string, number>()
  for (const shift of promptShifts) {
    if (window.has(shift.bucket)) baselineNew.set(shift.tenant_id, (baselineNew.get(shift.tenant_id) ?? 0) + shift.new_hashes)
    else if (shift.bucket >= onsetStart && shift.bucket <= onsetEnd) onsetNew.set(shift.tenant_id, (onsetNew.get(shift.tenant_id) ?? 0) + shift.new_hashes)
  }
  const tenants = new Set([...baselineByTenant.keys(), ...onsetByTenant.keys(), ...onsetNew.keys()])
  const rows = [...tenants].map((tenant) => {
    const shareBefore = baselineInput > 0 ? (baselineByTenant.get(tenant) ?? 0) / baselineInput : 0
    const shareOnset = onsetInput > 0 ? (onsetByTenant.get(tenant) ?? 0) / onsetInput : 0
    const usualNew = window.size > 0 ? ((baselineNew.get(tenant) ?? 0) / window.size) * onsetLength : 0
    const newHashes = onsetNew.get(tenant) ?? 0
    return { tenant, shareChange: shareOnset - shareBefore, newHashes, excessNew: Math.max(0, newHashes - 2 * usualNew - 1) }
  })
  const totalGrowth = rows.reduce((sum, row) => sum + Math.max(0, row.shareChange), 0)
  const totalExcessNew = rows.reduce((sum, row) => sum + row.excessNew, 0)
  // A share growth of under 2 points is ordinary noise between buckets, not a shift.
  const growthWeight = totalGrowth >= 0.02 ? 1 : 0
  const newWeight = totalExcessNew > 0 ? 1 : 0
  const weights = growthWeight + newWeight
  return rows
    .map((row) => ({
      tenant_id: row.tenant,
      share_change: row.shareChange,
      new_hashes: row.newHashes,
      evidence:
        weights === 0
          ? 0
          : ((growthWeight * Math.max(0, row.shareChange)) / (totalGrowth || 1) + (newWeight * row.excessNew) / (totalExcessNew || 1)) / weights,
    }))
    .sort((a, b) => b.evidence - a.evidence || b.share_change - a.share_change || a.tenant_id.localeCompare(b.tenant_id))
}
