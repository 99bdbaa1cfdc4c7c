// What the analytics views find in a demo dataset held in memory, without a server: the same
// aggregation the view's queries make (model calls per bucket, tenant and serving model; new
// system-prompt hashes; call moments), fed to the same pure detectors. Lets a test run the
// demo-based expectations at many pinned "now"s in seconds, where each HTTP run takes minutes.
import { addCall, detectCacheIncidents, type CacheIncident, type CallMoments, type DetectionOptions, type PromptShiftCell, type UsageCell } from '@/lib/analytics/cache-incidents'
import { hashSystemPrompt } from '@/lib/ingest/span-row'
import { findPrice } from '@/lib/pricing/seed-prices'
import type { DemoSpan } from './recorder'

const ms = (time: DemoSpan['start_time']) => (typeof time === 'number' ? time : Date.parse(String(time)))

/** The serving model, as MODEL in db/clickhouse/queries/analytics/model-calls.ts defines it. */
function servingModel(span: DemoSpan): string {
  const requested = span.model_requested ?? ''
  const resolved = span.model_resolved ?? ''
  if (resolved === '') return requested
  const snapshot = /^[-@]?(\d{4}-?\d{2}-?\d{2}|\d{6,8}|latest)$/
  return requested !== '' && resolved.startsWith(requested) && snapshot.test(resolved.slice(requested.length)) ? requested : resolved
}

/** Cache incidents over [from, to) at `bucketMs` buckets aligned to the epoch, as GET /analytics/cache reports them. */
export function cacheIncidentsInMemory(
  spans: readonly DemoSpan[],
  from: number,
  to: number,
  bucketMs: number,
  options: Partial<DetectionOptions> = {},
): Array<CacheIncident & { start: number; end: number }> {
  const first = Math.floor(from / bucketMs)
  const bucketCount = Math.floor((to - 1) / bucketMs) - first + 1
  const cells = new Map<string, UsageCell>()
  const moments = new Map<number, CallMoments>()
  const firstUse = new Map<string, { tenant: string; at: number }>()
  for (const span of spans) {
    if (span.kind !== 'llm') continue
    const at = ms(span.start_time)
    if (at < from || at >= to) continue
    const bucket = Math.floor(at / bucketMs) - first
    const tenant = span.tenant_id ?? ''
    const model = servingModel(span)
    const key = `${bucket}\u0000${tenant}\u0000${model}`
    let cell = cells.get(key)
    if (!cell) cells.set(key, (cell = { bucket, tenant_id: tenant, model, input_tokens: 0, cache_read_tokens: 0, requests: 0 }))
    const input = span.input_tokens ?? 0
    const read = span.cache_read_tokens ?? 0
    cell.input_tokens += input
    cell.cache_read_tokens += read
    cell.requests++
    let m = moments.get(bucket)
    if (!m) moments.set(bucket, (m = { bucket, calls: 0, input_tokens: 0, cache_read_tokens: 0, input_sq: 0, cache_read_sq: 0, input_cache_read: 0 }))
    addCall(m, input, read)
    const hash = span.system_prompt ? hashSystemPrompt(span.system_prompt) : span.system_prompt_hash
    if (hash) {
      const seen = firstUse.get(`${tenant}\u0000${hash}`)
      if (!seen || at < seen.at) firstUse.set(`${tenant}\u0000${hash}`, { tenant, at })
    }
  }
  const shifts = new Map<string, PromptShiftCell>()
  for (const { tenant, at } of firstUse.values()) {
    const bucket = Math.floor(at / bucketMs) - first
    const key = `${bucket}\u0000${tenant}`
    const shift = shifts.get(key) ?? { bucket, tenant_id: tenant, new_hashes: 0 }
    shift.new_hashes++
    shifts.set(key, shift)
  }
  return detectCacheIncidents(bucketCount, [...cells.values()], [...shifts.values()], [...moments.values()], (model) => findPrice(model), options).map((incident) => ({
    ...incident,
    start: (first + incident.start_bucket) * bucketMs,
    end: (first + incident.end_bucket + 1) * bucketMs,
  }))
}

/** Users served by more than one route segment in [from, to), as the routing view counts them. */
export function switchersInMemory(spans: readonly DemoSpan[], from: number, to: number): number {
  const segments = new Map<string, Set<string>>()
  for (const span of spans) {
    if (span.kind !== 'llm' || !span.route_segment || span.eval_run_id || !span.user_id) continue
    const at = ms(span.start_time)
    if (at < from || at >= to) continue
    let served = segments.get(span.user_id)
    if (!served) segments.set(span.user_id, (served = new Set()))
    served.add(span.route_segment)
  }
  let switchers = 0
  for (const served of segments.values()) if (served.size > 1) switchers++
  return switchers
}

/** When a prompt version was first used by a model call in [from, to) (the overview's marker), or undefined. */
export function promptFirstUseInMemory(spans: readonly DemoSpan[], from: number, to: number, name: string, version: string): number | undefined {
  let firstAt: number | undefined
  for (const span of spans) {
    if (span.kind !== 'llm' || span.prompt_name !== name || span.prompt_version !== version) continue
    const at = ms(span.start_time)
    if (at >= from && at < to && (firstAt === undefined || at < firstAt)) firstAt = at
  }
  return firstAt
}
