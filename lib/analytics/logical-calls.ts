// Logical calls of a time range, as the retries and structured-output views read them: the
// attempts of traces with a failed or retry-marked model call, priced and chained
// (retry-chains.ts), and the per-model sums of every other model call (one attempt each).
import { candidateAttempts, modelCallSums, type AttemptRow, type ModelCallSumsRow } from '@/db/clickhouse/queries/analytics/logical-calls'
import { costOf, type PriceOf } from './costs'
import { inferLogicalCalls, type AttemptLink, type LogicalCall } from './retry-chains'

export interface Attempt extends AttemptLink {
  model: string
  session_id: string
  user_id: string
  /** Why the attempt failed: its error type (`error` when it names none), `schema_invalid`, or '' when it did not. */
  failure: string
  schema_valid: boolean | null
  schema: string
  /** Input plus output tokens. */
  tokens: number
  cost_usd: number
}

export interface SingleCalls {
  model: string
  schema: string
  structured: boolean
  calls: number
  tokens: number
  cost_usd: number
}

export interface LogicalCalls {
  /** Logical calls of the candidate traces (any number of attempts). */
  chained: LogicalCall<Attempt>[]
  /** Everything else: single-attempt calls, summed per model and schema. */
  singles: SingleCalls[]
}

/** Why an attempt failed, as the views name it: its error type (`error` when it names none), `schema_invalid`, or '' when it did not fail. */
export function failureOf(row: Pick<AttemptRow, 'error' | 'error_type' | 'schema_valid'>): string {
  if (row.error === true || row.error === 1) return row.error_type || 'error'
  return row.schema_valid === false ? 'schema_invalid' : ''
}

/** One attempt, priced by the one cost rule (reported cost, else the price table). */
export function toAttempt(row: AttemptRow, priceOf: PriceOf): Attempt {
  const reported = row.cost_usd !== null && row.cost_usd !== undefined
  const failure = failureOf(row)
  return {
    trace_id: row.trace_id,
    span_id: row.span_id,
    parent_span_id: row.parent_span_id,
    name: row.name,
    start_us: Number(row.start_us),
    end_us: Number(row.end_us),
    failed: failure !== '',
    retry_attempt: Number(row.retry_attempt),
    retry_of: row.retry_of,
    model: row.model,
    session_id: row.session_id,
    user_id: row.user_id,
    failure,
    schema_valid: row.schema_valid,
    schema: row.schema,
    tokens: Number(row.input_tokens) + Number(row.output_tokens),
    cost_usd: costOf(
      row.model,
      {
        reported_cost_usd: reported ? row.cost_usd : null,
        unpriced_input_tokens: reported ? 0 : row.input_tokens,
        unpriced_output_tokens: reported ? 0 : row.output_tokens,
        unpriced_cache_read_tokens: reported ? 0 : row.cache_read_tokens,
        unpriced_cache_write_tokens: reported ? 0 : row.cache_write_tokens,
      },
      priceOf,
    ),
  }
}

function toSingles(row: ModelCallSumsRow, priceOf: PriceOf): SingleCalls {
  return {
    model: row.model,
    schema: row.schema,
    structured: row.structured === true || row.structured === 1,
    calls: Number(row.calls),
    tokens: Number(row.tokens),
    cost_usd: costOf(row.model, row, priceOf),
  }
}

const sumsKey = (model: string, structured: boolean, schema: string) => `${model}\u0000${structured ? 1 : 0}\u0000${schema}`

/** The sums of all model calls minus the candidate attempts: the single-attempt calls. Pure. */
export function singlesOf(all: readonly ModelCallSumsRow[], candidates: readonly AttemptRow[]): ModelCallSumsRow[] {
  const groups = new Map<string, { calls: number; tokens: number; reported: number; input: number; output: number; cacheRead: number; cacheWrite: number; row: ModelCallSumsRow }>()
  for (const row of all) {
    const structured = row.structured === true || row.structured === 1
    groups.set(sumsKey(row.model, structured, row.schema), {
      calls: Number(row.calls),
      tokens: Number(row.tokens),
      reported: Number(row.reported_cost_usd ?? 0),
      input: Number(row.unpriced_input_tokens),
      output: Number(row.unpriced_output_tokens),
      cacheRead: Number(row.unpriced_cache_read_tokens),
      cacheWrite: Number(row.unpriced_cache_write_tokens),
      row,
    })
  }
  for (const attempt of candidates) {
    const group = groups.get(sumsKey(attempt.model, attempt.schema_valid !== null, attempt.schema))
    if (!group) continue
    group.calls--
    group.tokens -= Number(attempt.input_tokens) + Number(attempt.output_tokens)
    if (attempt.cost_usd !== null && attempt.cost_usd !== undefined) group.reported -= attempt.cost_usd
    else {
      group.input -= Number(attempt.input_tokens)
      group.output -= Number(attempt.output_tokens)
      group.cacheRead -= Number(attempt.cache_read_tokens)
      group.cacheWrite -= Number(attempt.cache_write_tokens)
    }
  }
  return [...groups.values()]
    .filter((group) => group.calls > 0)
    .map((group) => ({
      ...group.row,
      calls: group.calls,
      tokens: group.tokens,
      reported_cost_usd: group.reported,
      unpriced_input_tokens: group.input,
      unpriced_output_tokens: group.output,
      unpriced_cache_read_tokens: group.cacheRead,
      unpriced_cache_write_tokens: group.cacheWrite,
    }))
}

export async function loadLogicalCalls(projectId: string, range: { from: Date; to: Date }, priceOf: PriceOf): Promise<LogicalCalls> {
  const [attempts, all] = await Promise.all([candidateAttempts(projectId, range), modelCallSums(projectId, range)])
  return {
    chained: inferLogicalCalls(attempts.map((row) => toAttempt(row, priceOf))),
    singles: singlesOf(all, attempts).map((row) => toSingles(row, priceOf)),
  }
}
