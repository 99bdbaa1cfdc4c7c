// Queries of the tokenizer-drift view: model calls that report a local input-token count, per
// serving model and dominant script of their input text (lib/text/unicode-scripts.ts), against
// the input tokens the provider billed; and the margin breaches per time bucket. Raw spans.
import { dateToClickhouse } from '@/lib/time/nanos'
import { dominantScriptColumnsSql } from '@/lib/text/unicode-scripts'
import { queryClickhouse } from '../../query'
import { MODEL, MODEL_CALLS } from './model-calls'

/** Calls with both counts: a local count above 0 and billed input tokens (a call that failed before usage has none). */
const COUNTED_CALLS = `${MODEL_CALLS} AND local_input_tokens > 0 AND input_tokens > 0`
const BREACH = `input_tokens > local_input_tokens * (1 + {margin:Float64})`

interface Range {
  from: Date
  to: Date
}

export interface ModelScriptRow {
  model: string
  script: string
  calls: string | number
  local_tokens: string | number
  billed_tokens: string | number
  ratio_p95: number
  breaches: string | number
}

export function tokenizerByModelScript(projectId: string, range: Range, margin: number): Promise<ModelScriptRow[]> {
  // The serving model is derived per distinct (requested, resolved) pair, after grouping.
  return queryClickhouse<ModelScriptRow>({
    tag: 'analytics.tokenizer.model-script',
    projectId,
    query: `SELECT ${MODEL} AS model, script, sum(calls) AS calls, sum(local) AS local_tokens, sum(billed) AS billed_tokens,
        quantileTDigestMerge(0.95)(ratio) AS ratio_p95, sum(over) AS breaches
      FROM (
        SELECT model_requested, model_resolved, script,
          count() AS calls, sum(local_input_tokens) AS local, sum(input_tokens) AS billed,
          quantileTDigestState(0.95)(input_tokens / local_input_tokens) AS ratio, countIf(${BREACH}) AS over
        FROM (SELECT model_requested, model_resolved, local_input_tokens, input_tokens, ${dominantScriptColumnsSql('input')} FROM spans WHERE ${COUNTED_CALLS})
        GROUP BY model_requested, model_resolved, script
      )
      GROUP BY model, script
      ORDER BY model, script`,
    params: { from: dateToClickhouse(range.from), to: dateToClickhouse(range.to), margin },
  })
}

export interface BreachBucketRow {
  t: number | string
  calls: string | number
  breaches: string | number
}

export function tokenizerBreaches(projectId: string, range: Range & { bucketSeconds: number }, margin: number): Promise<BreachBucketRow[]> {
  return queryClickhouse<BreachBucketRow>({
    tag: 'analytics.tokenizer.breaches',
    projectId,
    query: `SELECT intDiv(toUnixTimestamp(start_time), {bucket:UInt32}) * {bucket:UInt32} AS t, count() AS calls, countIf(${BREACH}) AS breaches
      FROM spans
      WHERE ${COUNTED_CALLS}
      GROUP BY t
      ORDER BY t`,
    params: { from: dateToClickhouse(range.from), to: dateToClickhouse(range.to), margin, bucket: range.bucketSeconds },
  })
}
