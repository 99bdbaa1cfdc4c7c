// The time range and bucket parameters every analytics view takes, as zod schemas shared by the
// JSON endpoints and the pages: `from` and `to` (ISO-8601), or `range` (15m, 24h, 7d, ... relative
// to now, as the pages keep it in the URL); the default is the last 24 hours, as in the time range picker.
import { z } from 'zod'
import { InvalidRangeError, queryTimeParam, resolveRange } from '@/lib/time/range'

export const MAX_RANGE_DAYS = 92
export const DEFAULT_RANGE = '24h'
const DAY_MS = 86_400_000

export const rangeFields = {
  from: queryTimeParam.optional(),
  to: queryTimeParam.optional(),
  range: z.string().max(16).optional(),
}

export interface ResolvedRange {
  from: Date
  to: Date
}

/** Resolves from/to/range, adding zod issues that name the bad parameter. */
export function refineRange(value: { from?: string; to?: string; range?: string }, ctx: z.RefinementCtx, now = new Date()): ResolvedRange | undefined {
  try {
    const range = resolveRange({ from: value.from, to: value.to, range: value.range }, DEFAULT_RANGE, now)
    if (range.to.getTime() - range.from.getTime() > MAX_RANGE_DAYS * DAY_MS) {
      ctx.addIssue({ code: 'custom', path: ['from'], message: `the range may span at most ${MAX_RANGE_DAYS} days` })
      return undefined
    }
    return { from: range.from, to: range.to }
  } catch (error) {
    if (!(error instanceof InvalidRangeError)) throw error
    const path = /^to\b/.test(error.message) ? 'to' : /^range\b/.test(error.message) ? 'range' : 'from'
    ctx.addIssue({ code: 'custom', path: [path], message: error.message.replace(/^(from|to|range) /, '') })
    return undefined
  }
}

/**
 * Bucket widths chosen when the caller names none: round numbers of seconds, and from 15 minutes
 * on multiples of the rollups' 15-minute blocks, so long ranges are read from the rollups.
 */
export const BUCKET_CHOICES = [60, 300, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400] as const
export const MAX_BUCKETS = 2000
export const TARGET_BUCKETS = 200

/** The smallest round bucket that splits the range into at most ~200 buckets. */
export function chooseBucketSeconds(range: ResolvedRange): number {
  const seconds = (range.to.getTime() - range.from.getTime()) / 1000
  return BUCKET_CHOICES.find((bucket) => seconds / bucket <= TARGET_BUCKETS) ?? 86_400
}

export const bucketField = z.coerce
  .number({ message: 'must be a number of seconds' })
  .int('must be a whole number of seconds')
  .min(60, 'must be at least 60 seconds')
  .max(7 * 86_400, 'must be at most 604800 seconds (7 days)')
  .optional()

/** Checks an explicit bucket against the range; returns the bucket to use. */
export function refineBucket(bucket: number | undefined, range: ResolvedRange, ctx: z.RefinementCtx): number {
  if (bucket === undefined) return chooseBucketSeconds(range)
  const count = Math.ceil((range.to.getTime() - range.from.getTime()) / 1000 / bucket)
  if (count > MAX_BUCKETS) {
    const least = Math.ceil((range.to.getTime() - range.from.getTime()) / 1000 / MAX_BUCKETS)
    ctx.addIssue({ code: 'custom', path: ['bucket'], message: `makes ${count} buckets over this range; at most ${MAX_BUCKETS} (use at least ${least} seconds)` })
  }
  return bucket
}
