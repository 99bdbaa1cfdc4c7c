// The guardrail latency tax (GET /api/v1/analytics/guardrails and its page): per request, wall
// time decomposed into guardrail stages and model calls; stages aggregated across requests; and
// requests by path (clean, refused, blocked, reformulated). Definitions: guardrail-stages.ts.
//
// Requests are decomposed from their spans, so when the range holds more than SAMPLE_REQUESTS
// the view reads a deterministic sample of about that many traces (trace-sample.ts): quantiles
// and shares are the sample's, counts are scaled to the whole range.
import { z } from 'zod'
import { estimateRequests, sampledRequests } from '@/db/clickhouse/queries/analytics/guardrails'
import { traceSample } from '@/db/clickhouse/queries/analytics/trace-sample'
import { decomposeRequest, summarizeRequests, type GuardrailSummary, type PathSummary, type RequestSpan, type StageSummary } from './guardrail-stages'
import { rangeFields, refineRange } from './range-params'

export const SAMPLE_REQUESTS = 20_000

export const guardrailsInputSchema = z
  .object({ ...rangeFields })
  .strict()
  .transform((value, ctx) => refineRange(value, ctx) ?? z.NEVER)
export type GuardrailsInput = z.output<typeof guardrailsInputSchema>

type StageApi = Omit<StageSummary, 'offset_p50_ms'>

/** The JSON answer of GET /api/v1/analytics/guardrails. */
export interface GuardrailsAnswer {
  requests: GuardrailSummary['requests']
  stages: StageApi[]
  paths: PathSummary[]
}

export interface GuardrailsReport extends GuardrailSummary {
  from: string
  to: string
  /** Requests decomposed, and the share of the range's requests they are. */
  sample: { requests: number; fraction: number }
}

const micros = (value: number | string) => Number(value) / 1000

export async function guardrailsReport(projectId: string, input: GuardrailsInput): Promise<GuardrailsReport> {
  const estimate = await estimateRequests(projectId, input)
  const sample = traceSample(estimate, SAMPLE_REQUESTS)
  const rows = estimate === 0 ? [] : await sampledRequests(projectId, input, sample)
  const requests = rows.map((row) =>
    decomposeRequest({
      trace_id: row.trace_id,
      start: micros(row.start_us),
      end: micros(row.end_us),
      spans: row.spans.map(
        ([span_id, parent_span_id, role, name, start, end, blocked, flagged, refused]): RequestSpan => ({
          span_id,
          parent_span_id,
          role: role as RequestSpan['role'],
          name,
          start: micros(start),
          end: micros(end),
          blocked: Boolean(blocked),
          flagged: Boolean(flagged),
          refusal: Boolean(refused),
        }),
      ),
    }),
  )
  return {
    from: input.from.toISOString(),
    to: input.to.toISOString(),
    sample: { requests: requests.length, fraction: sample.fraction },
    // Counts of a sample are scaled to the range (1 / fraction); without sampling they are exact.
    ...summarizeRequests(requests, 1 / sample.fraction),
  }
}

export function guardrailsAnswer(report: GuardrailsReport): GuardrailsAnswer {
  return {
    requests: report.requests,
    stages: report.stages.map(({ offset_p50_ms: _offset, ...stage }) => stage),
    paths: report.paths,
  }
}
