// The cache-thrash view (GET /api/v1/analytics/cache and its page): token-weighted prompt-cache
// hit rate per tenant and for the organisation over time buckets, with the incidents where the
// organisation's rate fell well below its trailing baseline, each naming a suspect tenant and
// the cost of the lost hits, with the evidence it rests on.
import { z } from 'zod'
import { cacheCallMoments, cacheUsage, promptShifts } from '@/db/clickhouse/queries/analytics/cache'
import {
  DEFAULT_DETECTION,
  bucketsNeedingMoments,
  cacheIncidentCandidates,
  detectCacheIncidents,
  type CacheIncident,
  type CallMoments,
  type IncidentEvidence,
  type PromptShiftCell,
  type UsageCell,
} from './cache-incidents'
import { costOf, currentPrices, type PriceOf } from './costs'
import { bucketField, rangeFields, refineBucket, refineRange } from './range-params'
import { ratio } from './stats'

const minExtraCostField = z.coerce
  .number({ message: 'must be a number of USD' })
  .min(0, 'must be at least 0')
  .max(1_000_000, 'must be at most 1000000')
  .optional()

export const cacheInputSchema = z
  .object({ ...rangeFields, bucket: bucketField, min_extra_cost_usd: minExtraCostField })
  .strict()
  .transform((value, ctx) => {
    const range = refineRange(value, ctx)
    if (!range) return z.NEVER
    return { ...range, bucketSeconds: refineBucket(value.bucket, range, ctx), minExtraCostUsd: value.min_extra_cost_usd ?? DEFAULT_DETECTION.minExtraCostUsd }
  })
export type CacheInput = z.output<typeof cacheInputSchema>

export interface CachePoint {
  t: string
  hit_rate: number | null
  input_tokens: number
  cache_read_tokens: number
  requests: number
  cost_usd: number
}

export interface CacheIncidentApi {
  start: string
  end: string
  baseline_hit_rate: number
  hit_rate: number
  suspect_tenant_id: string | null
  extra_cost_usd: number
  evidence: IncidentEvidence
}

/** The JSON answer of GET /api/v1/analytics/cache. */
export interface CacheAnswer {
  bucket_seconds: number
  /** The lost-hit cost an incident had to reach (the request's `min_extra_cost_usd` or the default). */
  min_extra_cost_usd: number
  overall: CachePoint[]
  tenants: Array<{ tenant_id: string; points: CachePoint[] }>
  incidents: CacheIncidentApi[]
}

export interface TenantImpact {
  tenant_id: string
  requests: number
  input_tokens: number
  cache_read_tokens: number
  hit_rate: number | null
  cost_usd: number
  /** What this tenant's lost hits cost during incidents, against its own baseline. */
  lost_hit_cost_usd: number
  /** Incidents in which this tenant is the suspect. */
  suspect_in: number
}

/** What the page shows beyond the JSON answer. */
export interface CacheReport extends CacheAnswer {
  from: string
  to: string
  tenant_impact: TenantImpact[]
  incident_details: Array<CacheIncidentApi & { lost_cache_read_tokens: number; suspects: CacheIncident['suspects'] }>
}

/** Baseline buckets read before `from`, so incidents early in the range have a baseline too. */
const LOOKBACK_BUCKETS = DEFAULT_DETECTION.baselineBuckets

export async function cacheThrashReport(projectId: string, input: CacheInput, priceOf?: PriceOf): Promise<CacheReport> {
  const bucketMs = input.bucketSeconds * 1000
  const firstReported = Math.floor(input.from.getTime() / bucketMs)
  const firstRead = firstReported - LOOKBACK_BUCKETS
  const lastBucket = Math.floor((input.to.getTime() - 1) / bucketMs)
  // The baseline before `from` is read apart, so points count only what happened in the range
  // (the first bucket may start before `from`).
  const lookback = { from: new Date(firstRead * bucketMs), to: input.from, bucketSeconds: input.bucketSeconds }
  const [usage, lookbackUsage, shifts, prices] = await Promise.all([
    cacheUsage(projectId, { from: input.from, to: input.to, bucketSeconds: input.bucketSeconds }),
    cacheUsage(projectId, lookback),
    promptShifts(projectId, { from: lookback.from, to: input.to, bucketSeconds: input.bucketSeconds }),
    priceOf ?? currentPrices(),
  ])

  const bucketCount = lastBucket - firstRead + 1
  const indexOf = (t: number) => Math.floor((Number(t) * 1000) / bucketMs) - firstRead
  const cells: UsageCell[] = []
  const overall = Array.from({ length: bucketCount }, () => emptyTotals())
  const byTenant = new Map<string, Map<number, Totals>>()
  for (const [rows, inRange] of [
    [lookbackUsage, false],
    [usage, true],
  ] as const) {
    for (const row of rows) {
      const bucket = indexOf(row.t)
      if (bucket < 0 || bucket >= bucketCount) continue
      const totals: Totals = {
        requests: Number(row.requests),
        input_tokens: Number(row.input_sum),
        cache_read_tokens: Number(row.cache_read_sum),
        cost_usd: costOf(row.model, row, prices),
      }
      cells.push({ bucket, tenant_id: row.tenant_id, model: row.model, input_tokens: totals.input_tokens, cache_read_tokens: totals.cache_read_tokens, requests: totals.requests })
      if (!inRange) continue
      mergeTotals(overall[bucket], totals)
      let tenant = byTenant.get(row.tenant_id)
      if (!tenant) byTenant.set(row.tenant_id, (tenant = new Map()))
      if (!tenant.has(bucket)) tenant.set(bucket, emptyTotals())
      mergeTotals(tenant.get(bucket)!, totals)
    }
  }
  const shiftCells: PromptShiftCell[] = shifts
    .map((row) => ({ bucket: indexOf(row.t), tenant_id: row.tenant_id, new_hashes: Number(row.new_hashes) }))
    .filter((cell) => cell.bucket >= 0 && cell.bucket < bucketCount)

  // Evidence: call-level sums from spans, only for the buckets candidate incidents are judged on
  // (none on a quiet range). Candidates that started in the lookback are outside the range asked about.
  const options = { minExtraCostUsd: input.minExtraCostUsd }
  const candidates = cacheIncidentCandidates(bucketCount, cells, options).filter((candidate) => candidate.start_bucket >= LOOKBACK_BUCKETS)
  const needed = bucketsNeedingMoments(candidates)
  const momentRows = needed.length
    ? await cacheCallMoments(projectId, {
        from: new Date((firstRead + needed[0]) * bucketMs),
        to: new Date(Math.min((firstRead + needed[needed.length - 1] + 1) * bucketMs, input.to.getTime())),
        bucketSeconds: input.bucketSeconds,
        buckets: needed.map((bucket) => (firstRead + bucket) * input.bucketSeconds),
      })
    : []
  const moments: CallMoments[] = momentRows.map((row) => ({
    bucket: indexOf(row.t),
    calls: Number(row.calls),
    input_tokens: Number(row.input_sum),
    cache_read_tokens: Number(row.cache_read_sum),
    input_sq: Number(row.input_sq),
    cache_read_sq: Number(row.cache_read_sq),
    input_cache_read: Number(row.input_cache_read),
  }))
  const incidents = detectCacheIncidents(bucketCount, cells, shiftCells, moments, prices, options).filter((incident) => incident.start_bucket >= LOOKBACK_BUCKETS)
  const iso = (bucket: number) => new Date((firstRead + bucket) * bucketMs).toISOString()
  const incidentApi = (incident: CacheIncident): CacheIncidentApi => ({
    start: iso(incident.start_bucket),
    end: iso(incident.end_bucket + 1),
    baseline_hit_rate: incident.baseline_hit_rate,
    hit_rate: incident.hit_rate,
    suspect_tenant_id: incident.suspect_tenant_id,
    extra_cost_usd: incident.extra_cost_usd,
    evidence: incident.evidence,
  })

  const reported = (bucket: number) => bucket >= LOOKBACK_BUCKETS
  const tenantImpact: TenantImpact[] = [...byTenant.entries()].map(([tenant, buckets]) => {
    const total = emptyTotals()
    for (const [bucket, totals] of buckets) if (reported(bucket)) mergeTotals(total, totals)
    return {
      tenant_id: tenant,
      requests: total.requests,
      input_tokens: total.input_tokens,
      cache_read_tokens: total.cache_read_tokens,
      hit_rate: ratio(total.cache_read_tokens, total.input_tokens),
      cost_usd: total.cost_usd,
      lost_hit_cost_usd: incidents.reduce((sum, incident) => sum + (incident.tenant_extra_cost_usd[tenant] ?? 0), 0),
      suspect_in: incidents.filter((incident) => incident.suspect_tenant_id === tenant).length,
    }
  })
  tenantImpact.sort((a, b) => b.lost_hit_cost_usd - a.lost_hit_cost_usd || b.suspect_in - a.suspect_in || b.input_tokens - a.input_tokens || a.tenant_id.localeCompare(b.tenant_id))
  const tenantImpactReported = tenantImpact.filter((tenant) => tenant.requests > 0)

  return {
    from: input.from.toISOString(),
    to: input.to.toISOString(),
    bucket_seconds: input.bucketSeconds,
    min_extra_cost_usd: input.minExtraCostUsd,
    overall: overall.flatMap((totals, bucket) => (reported(bucket) ? [toPoint(iso(bucket), totals)] : [])),
    tenants: tenantImpactReported.map(({ tenant_id }) => ({
      tenant_id,
      points: [...byTenant.get(tenant_id)!.entries()]
        .filter(([bucket]) => reported(bucket))
        .sort((a, b) => a[0] - b[0])
        .map(([bucket, totals]) => toPoint(iso(bucket), totals)),
    })),
    incidents: incidents.map(incidentApi),
    tenant_impact: tenantImpactReported,
    incident_details: incidents.map((incident) => ({ ...incidentApi(incident), lost_cache_read_tokens: incident.lost_cache_read_tokens, suspects: incident.suspects.slice(0, 5) })),
  }
}

/** The endpoint's answer: exactly the documented fields. */
export function cacheAnswer(report: CacheReport): CacheAnswer {
  return { bucket_seconds: report.bucket_seconds, min_extra_cost_usd: report.min_extra_cost_usd, overall: report.overall, tenants: report.tenants, incidents: report.incidents }
}

interface Totals {
  requests: number
  input_tokens: number
  cache_read_tokens: number
  cost_usd: number
}

const emptyTotals = (): Totals => ({ requests: 0, input_tokens: 0, cache_read_tokens: 0, cost_usd: 0 })

function mergeTotals(into: Totals, from: Totals): void {
  into.requests += from.requests
  into.input_tokens += from.input_tokens
  into.cache_read_tokens += from.cache_read_tokens
  into.cost_usd += from.cost_usd
}

function toPoint(t: string, totals: Totals): CachePoint {
  return {
    t,
    hit_rate: ratio(totals.cache_read_tokens, totals.input_tokens),
    input_tokens: totals.input_tokens,
    cache_read_tokens: totals.cache_read_tokens,
    requests: totals.requests,
    cost_usd: totals.cost_usd,
  }
}
