// A project's sampling policy (GET/PUT /api/v1/projects/{id}/sampling) and the one rule that
// judges a trace by it. Whole traces are kept or dropped: the decider (sampling-decider.ts)
// applies judgeTrace to everything a trace sent within the sampling window.
import { createHash } from 'node:crypto'
import { z } from 'zod'
import type { SamplingPolicySetting } from '@/db/postgres/schema'

export type SamplingPolicy = SamplingPolicySetting

export const DEFAULT_POLICY: SamplingPolicy = { rate: 1, keep_errors: true, keep_slower_than_ms: null, keep_tenants: [] }

export const samplingPutSchema = z
  .object(
    {
      rate: z.number({ message: 'rate must be a number from 0 to 1' }).min(0, 'rate must be at least 0').max(1, 'rate must be at most 1'),
      keep_errors: z.boolean({ message: 'keep_errors must be true or false' }).default(true),
      keep_slower_than_ms: z.number({ message: 'keep_slower_than_ms must be a number of milliseconds or null' }).positive('keep_slower_than_ms must be > 0').max(86_400_000).nullable().default(null),
      keep_tenants: z.array(z.string().min(1).max(256), { message: 'keep_tenants must be a list of tenant ids' }).max(1000).default([]),
    },
    { message: 'body must be a JSON object {"rate": 0..1, "keep_errors", "keep_slower_than_ms", "keep_tenants"}' },
  )
  .strict()

/** Sampling is on when some ordinary traces are dropped: spans then wait in held_spans until judged. */
export function samplingOn(policy: SamplingPolicy | undefined): policy is SamplingPolicy {
  return policy !== undefined && policy.rate < 1
}

/** The trace's place in [0, 1): the same for a trace id on every replica and every request. */
export function traceDraw(traceId: string): number {
  return createHash('sha256').update(traceId).digest().readUInt32BE(0) / 2 ** 32
}

export interface HeldTrace {
  trace_id: string
  errors: number
  duration_ms: number
  tenants: string[]
}

export type KeepReason = 'error' | 'slow' | 'tenant' | 'rate' | 'policy_off'

export interface Judgement {
  kept: boolean
  reason: KeepReason | 'dropped'
  /** 1 / P(kept): 1 when a policy rule kept it, 1/rate when the rate did. */
  sample_weight: number
}

/** Why a policy keeps a trace whatever the rate, or undefined. */
export function policyReason(policy: SamplingPolicy, trace: HeldTrace): KeepReason | undefined {
  if (policy.keep_errors && trace.errors > 0) return 'error'
  if (policy.keep_slower_than_ms !== null && trace.duration_ms > policy.keep_slower_than_ms) return 'slow'
  if (policy.keep_tenants.length > 0 && trace.tenants.some((t) => policy.keep_tenants.includes(t))) return 'tenant'
  return undefined
}

/**
 * Judges a trace. A trace judged before (late spans) keeps its judgement, except that a late
 * error is still kept when keep_errors holds (an error is never dropped; the trace's earlier
 * spans were dropped with it, so it is partial - docs/storage.md).
 */
export function judgeTrace(policy: SamplingPolicy | undefined, trace: HeldTrace, earlier?: Judgement): Judgement {
  if (!samplingOn(policy)) return earlier?.kept ? earlier : { kept: true, reason: 'policy_off', sample_weight: 1 }
  const reason = policyReason(policy, trace)
  if (earlier?.kept) return earlier
  if (reason) return { kept: true, reason, sample_weight: 1 }
  if (earlier) return earlier
  if (policy.rate > 0 && traceDraw(trace.trace_id) < policy.rate) return { kept: true, reason: 'rate', sample_weight: 1 / policy.rate }
  return { kept: false, reason: 'dropped', sample_weight: 0 }
}

/**
 * Sets the weight of the ordinary traces the rate kept among fresh `judgements` of one pass: the
 * ordinary traces judged (kept or dropped) over those kept - 1/rate on average, and it makes the
 * weighted count of ordinary traces exact rather than off by the luck of the draw (a ratio
 * estimator). Ordinary traces of a pass that kept none are carried, in `uncounted`, into the
 * project's next pass.
 */
export function reweighByPass(uncounted: Map<string, number>, projectId: string, judgements: Judgement[]): void {
  const ordinary = judgements.filter((j) => j.reason === 'rate' || j.reason === 'dropped')
  const kept = ordinary.filter((j) => j.kept)
  const seen = ordinary.length + (uncounted.get(projectId) ?? 0)
  if (kept.length === 0) {
    if (seen > 0) uncounted.set(projectId, seen)
    return
  }
  uncounted.delete(projectId)
  for (const j of kept) j.sample_weight = seen / kept.length
}
