// The guardrail latency tax (GET /api/v1/analytics/guardrails and its page): per request, wall
// time decomposed into guardrail stages and model calls; stages aggregated across requests; and
// requests by path (clean, refused, blocked, reformulated). Definitions: guardrail-stages.ts.
//
// Requests are decomposed from their spans, so the view reads a deterministic sample of at most
// SAMPLE_REQUESTS traces (by a hash of the trace id): quantiles and shares are the sample's,
// counts are scaled to the whole range.
import { z } from 'zod'
import { SAMPLE_MODULUS, countRequests, sampledRequests } from '@/db/clickhouse/queries/analytics/guardrails'
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
  const total = await countRequests(projectId, input)
  const cut = total <= SAMPLE_REQUESTS ? SAMPLE_MODULUS : Math.max(1, Math.ceil((SAMPLE_MODULUS * SAMPLE_REQUESTS) / total))
  const rows = total === 0 ? [] : await sampledRequests(projectId, input, cut)
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
  // Scale the sample's counts to the range; without sampling the sample is every request.
  const scale = cut >= SAMPLE_MODULUS || requests.length === 0 ? 1 : total / requests.length
  return {
    from: input.from.toISOString(),
    to: input.to.toISOString(),
    sample: { requests: requests.length, fraction: cut / SAMPLE_MODULUS },
    ...summarizeRequests(requests, scale),
  }
}

export function guardrailsAnswer(report: GuardrailsReport): GuardrailsAnswer {
  return {
    requests: report.requests,
    stages: report.stages.map(({ offset_p50_ms: _offset, ...stage }) => stage),
    paths: report.paths,
  }
}
