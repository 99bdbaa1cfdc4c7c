// Logical calls of a time range, as the retries and structured-output views read them: the
// attempts of traces with a failed or retry-marked model call, priced and chained
// (retry-chains.ts), and the per-model sums of every other model call (one attempt each).
import { candidateAttempts, singleAttemptCalls, type AttemptRow, type SingleCallsRow } from '@/db/clickhouse/queries/analytics/logical-calls'
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

function toSingles(row: SingleCallsRow, priceOf: PriceOf): SingleCalls {
  return {
    model: row.model,
    schema: row.schema,
    structured: row.structured === true || row.structured === 1,
    calls: Number(row.calls),
    tokens: Number(row.tokens),
    cost_usd: costOf(row.model, row, priceOf),
  }
}

export async function loadLogicalCalls(projectId: string, range: { from: Date; to: Date }, priceOf: PriceOf): Promise<LogicalCalls> {
  const [attempts, singles] = await Promise.all([candidateAttempts(projectId, range), singleAttemptCalls(projectId, range)])
  return {
    chained: inferLogicalCalls(attempts.map((row) => toAttempt(row, priceOf))),
    singles: singles.map((row) => toSingles(row, priceOf)),
  }
}
