// Tokenizer drift (GET /api/v1/analytics/tokenizer and its page): the application's own count of
// input tokens against the provider's billed count, per serving model and dominant script of the
// input, and the calls where the provider counted more than the local count plus a margin - the
// calls a local pre-flight check would have let through towards a context or rate limit.
import { z } from 'zod'
import { tokenizerBreaches, tokenizerByModelScript } from '@/db/clickhouse/queries/analytics/tokenizer'
import { bucketField, rangeFields, refineBucket, refineRange } from './range-params'

export const DEFAULT_MARGIN = 0.05

export const tokenizerInputSchema = z
  .object({
    ...rangeFields,
    bucket: bucketField,
    margin: z.coerce
      .number({ message: 'must be a number such as 0.05 (5%)' })
      .finite('must be a number such as 0.05 (5%)')
      .min(0, 'must be at least 0')
      .max(10, 'must be at most 10 (1000%)')
      .default(DEFAULT_MARGIN),
  })
  .strict()
  .transform((value, ctx) => {
    const range = refineRange(value, ctx)
    if (!range) return z.NEVER
    return { ...range, bucketSeconds: refineBucket(value.bucket, range, ctx), margin: value.margin }
  })
export type TokenizerInput = z.output<typeof tokenizerInputSchema>

export interface ModelScriptDrift {
  model: string
  script: string
  calls: number
  local_tokens: number
  billed_tokens: number
  /** billed / local, token-weighted. */
  ratio: number | null
  /** 95th percentile of the per-call billed / local ratio. */
  ratio_p95: number | null
  breaches: number
}

export interface TokenizerAnswer {
  margin: number
  by_model_script: ModelScriptDrift[]
  bucket_seconds: number
  breaches_over_time: Array<{ t: string; calls: number; breaches: number }>
}

export interface TokenizerReport extends TokenizerAnswer {
  from: string
  to: string
}

export async function tokenizerReport(projectId: string, input: TokenizerInput): Promise<TokenizerReport> {
  const [rows, buckets] = await Promise.all([tokenizerByModelScript(projectId, input, input.margin), tokenizerBreaches(projectId, input, input.margin)])
  const byT = new Map(buckets.map((row) => [Number(row.t), row]))
  const first = Math.floor(input.from.getTime() / 1000 / input.bucketSeconds)
  const last = Math.floor((input.to.getTime() - 1) / 1000 / input.bucketSeconds)
  const breaches_over_time = Array.from({ length: Math.max(0, last - first + 1) }, (_, i) => {
    const t = (first + i) * input.bucketSeconds
    const row = byT.get(t)
    return { t: new Date(t * 1000).toISOString(), calls: Number(row?.calls ?? 0), breaches: Number(row?.breaches ?? 0) }
  })
  return {
    from: input.from.toISOString(),
    to: input.to.toISOString(),
    margin: input.margin,
    by_model_script: rows
      .map((row) => {
        const local = Number(row.local_tokens)
        const billed = Number(row.billed_tokens)
        return {
          model: row.model,
          script: row.script,
          calls: Number(row.calls),
          local_tokens: local,
          billed_tokens: billed,
          ratio: local > 0 ? billed / local : null,
          ratio_p95: Number.isFinite(Number(row.ratio_p95)) ? Number(row.ratio_p95) : null,
          breaches: Number(row.breaches),
        }
      })
      .sort((a, b) => b.breaches - a.breaches || b.calls - a.calls || a.model.localeCompare(b.model) || a.script.localeCompare(b.script)),
    bucket_seconds: input.bucketSeconds,
    breaches_over_time,
  }
}

export function tokenizerAnswer(report: TokenizerReport): TokenizerAnswer {
  const { from: _from, to: _to, ...answer } = report
  return answer
}
