// Queries of the guardrail latency view: about how many requests (traces) the range holds, and
// the guardrail spans, model calls and refusals of a deterministic sample of them (trace-sample.ts),
// with each trace's wall time. Read from raw spans and trace_stats: no rollup.
import { dateToClickhouse } from '@/lib/time/nanos'
import { queryClickhouse } from '../../query'
import { WATERMARK_SQL } from '../rollup-progress'
import { IN_RANGE } from './model-calls'
import { inSample, sampleParams, type TraceSample } from './trace-sample'

/**
 * A span's role in a request: 'guardrail' (kind guardrail, which OpenInference GUARDRAIL spans
 * and guardrail operations map to), 'moderation' (another span whose name, model or operation
 * says moderation, e.g. a call to a moderation endpoint), 'llm' (any other model call) or 'other'.
 */
export const GUARD_ROLE = `multiIf(kind = 'guardrail', 'guardrail',
  kind NOT IN ('agent', 'chain', 'eval') AND (positionCaseInsensitive(name, 'moderation') > 0 OR positionCaseInsensitive(model_requested, 'moderation') > 0
    OR positionCaseInsensitive(model_resolved, 'moderation') > 0 OR attributes['gen_ai.operation.name'] = 'moderation'), 'moderation',
  kind = 'llm', 'llm', 'other')`

const YES = `('true', 'True', 'TRUE', '1')`
/** A guardrail span that blocked the request (our attributes). */
export const GUARD_BLOCKED = `(attributes['guardrail.action'] IN ('block', 'blocked', 'deny', 'denied', 'reject', 'rejected') OR attributes['guardrail.blocked'] IN ${YES})`
/** A guardrail span that blocked or flagged (our attributes, or a `flagged: true` output). */
export const GUARD_FLAGGED = `(${GUARD_BLOCKED} OR attributes['guardrail.action'] IN ('flag', 'flagged') OR attributes['guardrail.flagged'] IN ${YES}
  OR attributes['moderation.flagged'] IN ${YES} OR (startsWith(output, '{') AND JSONExtractBool(output, 'flagged')))`

/** A refusal: the refusal column, or a model's finish reason refusal / content_filter. */
export const REFUSED = `(refusal OR finish_reason IN ('refusal', 'content_filter'))`

const KIND_MASK = (1 << 1) | (1 << 6) // llm, guardrail: enum values of spans.kind as trace_stats bits

export interface GuardrailRange {
  from: Date
  to: Date
}

const params = ({ from, to }: GuardrailRange) => ({ from: dateToClickhouse(from), to: dateToClickhouse(to) })

/**
 * About how many requests the range holds (traces with a model call or a guardrail span in the
 * hours of the range; an approximate distinct count), to choose the sample. Exact counts come
 * from the sample itself when it holds every trace. trace_stats trails ingest by the rollup
 * refresher's lag, so the spans ingested after its watermark are counted from spans as well: a
 * range whose traces have just arrived is not taken for an empty one.
 */
export async function estimateRequests(projectId: string, range: GuardrailRange): Promise<number> {
  const [row] = await queryClickhouse<{ requests: string }>({
    tag: 'analytics.guardrails.estimate',
    projectId,
    query: `SELECT uniq(trace_id) AS requests FROM (
        SELECT trace_id FROM trace_stats
        WHERE project_id = {project_id:String} AND hour >= toStartOfHour({from:DateTime64(3, 'UTC')}) AND hour < {to:DateTime64(3, 'UTC')}
          AND bitAnd(kinds, {mask:UInt16}) != 0
        UNION ALL
        SELECT trace_id FROM spans
        WHERE project_id = {project_id:String} AND ingested_at > ${WATERMARK_SQL} AND kind IN ('llm', 'guardrail')
          AND start_time >= toStartOfHour({from:DateTime64(3, 'UTC')}) AND start_time < {to:DateTime64(3, 'UTC')}
      )`,
    params: { ...params(range), mask: KIND_MASK },
  })
  return Number(row?.requests ?? 0)
}

export interface RequestSpansRow {
  trace_id: string
  start_us: number
  end_us: number
  /** (span id, parent id, role, name, start µs, end µs, blocked, flagged, refused) */
  spans: Array<[string, string, string, string, number, number, number | boolean, number | boolean, number | boolean]>
}

/**
 * The guardrail spans, model calls and refusals of the sampled requests that started in the range
 * (traces with a model call or a guardrail span), with each one's earliest start and latest end.
 */
export function sampledRequests(projectId: string, range: GuardrailRange, sample: TraceSample): Promise<RequestSpansRow[]> {
  return queryClickhouse<RequestSpansRow>({
    tag: 'analytics.guardrails.sample',
    projectId,
    query: `SELECT trace_id, toUnixTimestamp64Micro(min(start_time)) AS start_us, toUnixTimestamp64Micro(max(end_time)) AS end_us,
        groupArrayIf((span_id, parent_span_id, role, toString(name), toUnixTimestamp64Micro(start_time), toUnixTimestamp64Micro(end_time), blocked, flagged, refused),
          role != 'other' OR refused) AS spans
      FROM (
        SELECT trace_id, span_id, parent_span_id, name, start_time, end_time, ${GUARD_ROLE} AS role,
          role IN ('guardrail', 'moderation') AND ${GUARD_BLOCKED} AS blocked, role IN ('guardrail', 'moderation') AND ${GUARD_FLAGGED} AS flagged,
          ${REFUSED} AS refused
        FROM spans
        WHERE ${IN_RANGE} AND ${inSample(sample)}
      )
      GROUP BY trace_id
      HAVING countIf(role != 'other') > 0`,
    params: { ...params(range), ...sampleParams(sample) },
  })
}
