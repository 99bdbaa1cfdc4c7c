// Guardrail latency tax, pure: one request (a trace) decomposed into its guardrail stages and its
// model calls, and many requests aggregated into stages and paths (docs/analytics.md, "Guardrail
// latency tax").
//
// - A stage is an innermost guardrail span (kind guardrail, or a span marked as moderation); a
//   guardrail span that holds other guardrail spans (a "guardrails.input" group) is not a stage
//   of its own, so its layers are not counted twice.
// - A model call is a leaf model call (kind llm with no model call beneath it) that does not run
//   inside a guardrail: a classifier's own model call belongs to its guardrail, not to the model
//   time an eval of the prompt would measure.
// - position: `parallel` when the stage overlaps a model call, else `before` or `after` the
//   request's first model call (`before` when there is none).
// - serial time: the stage's time during which no model call of the request was running.
// - paths: `clean` (no refusal, no block), `refused` (a refusal anywhere), `blocked` (a guardrail
//   blocked; a flag alone lets the request go on), `reformulated` (a refusing model call followed by another model call). A
//   request can be on several (a reformulated request is also refused), so shares need not sum to 1.
import { mean, quantileOfSorted } from './quantiles'

export interface RequestSpan {
  span_id: string
  parent_span_id: string
  /** 'guardrail' or 'moderation' for a guardrail span, 'llm' for a model call, 'other' otherwise. */
  role: 'guardrail' | 'moderation' | 'llm' | 'other'
  name: string
  /** Milliseconds since the epoch. */
  start: number
  end: number
  /** A guardrail that blocked the request. */
  blocked: boolean
  /** A guardrail that blocked or flagged (a flag lets the request go on). */
  flagged: boolean
  /** The span reports a refusal (refusal column, or finish reason refusal/content_filter). */
  refusal: boolean
}

export interface RequestSpans {
  trace_id: string
  /** The request's wall time: its earliest span start and latest span end (ms since the epoch). */
  start: number
  end: number
  spans: RequestSpan[]
}

export type StagePosition = 'before' | 'after' | 'parallel'
export type RequestPath = 'clean' | 'refused' | 'blocked' | 'reformulated'
export const PATHS: readonly RequestPath[] = ['clean', 'refused', 'blocked', 'reformulated']

export interface StageCall {
  name: string
  kind: 'guardrail' | 'moderation'
  position: StagePosition
  duration_ms: number
  serial_ms: number
  /** Offset of the call's start from the request's start. */
  offset_ms: number
  /** Blocked or flagged. */
  flagged: boolean
}

export interface RequestDecomposition {
  trace_id: string
  wall_ms: number
  model_ms: number
  model_calls: number
  stages: StageCall[]
  paths: RequestPath[]
}

type Interval = [number, number]

/** The union of intervals as sorted, disjoint intervals. */
export function unionOf(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals.filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0])
  const union: Interval[] = []
  for (const [a, b] of sorted) {
    const last = union[union.length - 1]
    if (last && a <= last[1]) last[1] = Math.max(last[1], b)
    else union.push([a, b])
  }
  return union
}

/** Length of [start, end) not covered by the (disjoint, sorted) intervals. */
export function uncoveredMs(start: number, end: number, covered: readonly Interval[]): number {
  let free = Math.max(0, end - start)
  for (const [a, b] of covered) free -= Math.max(0, Math.min(end, b) - Math.max(start, a))
  return Math.max(0, free)
}

export function decomposeRequest(request: RequestSpans): RequestDecomposition {
  const byId = new Map(request.spans.map((span) => [span.span_id, span]))
  const isGuard = (span: RequestSpan) => span.role === 'guardrail' || span.role === 'moderation'
  const parentsOfGuards = new Set<string>()
  const parentsOfModelCalls = new Set<string>()
  for (const span of request.spans) {
    if (isGuard(span)) parentsOfGuards.add(span.parent_span_id)
    if (span.role === 'llm') parentsOfModelCalls.add(span.parent_span_id)
  }
  const insideGuard = (span: RequestSpan) => {
    const seen = new Set<string>()
    for (let parent = byId.get(span.parent_span_id); parent && !seen.has(parent.span_id); parent = byId.get(parent.parent_span_id)) {
      if (isGuard(parent)) return true
      seen.add(parent.span_id)
    }
    return false
  }
  const modelCalls = request.spans.filter((span) => span.role === 'llm' && !parentsOfModelCalls.has(span.span_id) && !insideGuard(span)).sort((a, b) => a.start - b.start)
  const guards = request.spans.filter((span) => isGuard(span) && !parentsOfGuards.has(span.span_id))
  const modelTime = unionOf(modelCalls.map((call) => [call.start, call.end] as Interval))
  const firstModel = modelCalls[0]?.start

  const stages: StageCall[] = guards.map((guard) => {
    const overlaps = modelCalls.some((call) => guard.start < call.end && call.start < guard.end)
    const position: StagePosition = overlaps ? 'parallel' : firstModel === undefined || guard.end <= firstModel ? 'before' : 'after'
    return {
      name: guard.name,
      kind: guard.role as 'guardrail' | 'moderation',
      position,
      duration_ms: guard.end - guard.start,
      serial_ms: uncoveredMs(guard.start, guard.end, modelTime),
      offset_ms: guard.start - request.start,
      flagged: guard.flagged || guard.blocked,
    }
  })

  const refusingCall = modelCalls.find((call) => call.refusal)
  const reformulated = refusingCall !== undefined && modelCalls.some((call) => call !== refusingCall && call.start >= refusingCall.end)
  const refused = reformulated || request.spans.some((span) => span.refusal && !insideGuard(span))
  const blocked = request.spans.some((span) => isGuard(span) && span.blocked)
  const paths: RequestPath[] = !refused && !blocked ? ['clean'] : []
  if (refused) paths.push('refused')
  if (blocked) paths.push('blocked')
  if (reformulated) paths.push('reformulated')

  return {
    trace_id: request.trace_id,
    wall_ms: request.end - request.start,
    model_ms: modelCalls.reduce((sum, call) => sum + (call.end - call.start), 0),
    model_calls: modelCalls.length,
    stages,
    paths,
  }
}

export interface StageSummary {
  name: string
  kind: 'guardrail' | 'moderation'
  position: StagePosition
  calls: number
  p50_ms: number | null
  p95_ms: number | null
  /** Serial time of the stage over the wall time of the requests it ran in. */
  serial_share: number | null
  /** Share of its calls that blocked or flagged. */
  block_rate: number | null
  /** Median start of the stage after its request's start (orders the waterfall). */
  offset_p50_ms: number | null
}

export interface PathSummary {
  path: RequestPath
  requests: number
  share: number
  p50_ms: number | null
  p95_ms: number | null
  mean_model_calls: number | null
  mean_guardrail_calls: number | null
}

export interface GuardrailSummary {
  requests: { count: number; p50_ms: number | null; p95_ms: number | null; model_p50_ms: number | null; model_p95_ms: number | null }
  stages: StageSummary[]
  paths: PathSummary[]
}

const sortedOf = (values: number[]) => values.sort((a, b) => a - b)

/**
 * Aggregates decomposed requests. `scale` turns counts of a sample into estimates for the whole
 * range (1 / sampled fraction); shares, quantiles and means are the sample's own.
 */
export function summarizeRequests(requests: readonly RequestDecomposition[], scale = 1): GuardrailSummary {
  const walls = sortedOf(requests.map((r) => r.wall_ms))
  const models = sortedOf(requests.filter((r) => r.model_calls > 0).map((r) => r.model_ms))

  const byStage = new Map<string, { calls: StageCall[]; wall: number; positions: Map<StagePosition, number> }>()
  for (const request of requests) {
    const seen = new Set<string>()
    for (const call of request.stages) {
      let stage = byStage.get(call.name)
      if (!stage) byStage.set(call.name, (stage = { calls: [], wall: 0, positions: new Map() }))
      stage.calls.push(call)
      stage.positions.set(call.position, (stage.positions.get(call.position) ?? 0) + 1)
      if (!seen.has(call.name)) {
        seen.add(call.name)
        stage.wall += request.wall_ms
      }
    }
  }
  const stages: StageSummary[] = [...byStage.entries()].map(([name, stage]) => {
    const durations = sortedOf(stage.calls.map((c) => c.duration_ms))
    const serial = stage.calls.reduce((sum, c) => sum + c.serial_ms, 0)
    const position = [...stage.positions.entries()].sort((a, b) => b[1] - a[1] || POSITION_ORDER.indexOf(a[0]) - POSITION_ORDER.indexOf(b[0]))[0][0]
    return {
      name,
      kind: stage.calls.some((c) => c.kind === 'guardrail') ? 'guardrail' : 'moderation',
      position,
      calls: Math.round(stage.calls.length * scale),
      p50_ms: quantileOfSorted(durations, 0.5),
      p95_ms: quantileOfSorted(durations, 0.95),
      serial_share: stage.wall > 0 ? serial / stage.wall : null,
      block_rate: stage.calls.length > 0 ? stage.calls.filter((c) => c.flagged).length / stage.calls.length : null,
      offset_p50_ms: quantileOfSorted(sortedOf(stage.calls.map((c) => c.offset_ms)), 0.5),
    }
  })
  // Waterfall order: before the model, beside it, after it; within each, by typical start.
  stages.sort((a, b) => POSITION_ORDER.indexOf(a.position) - POSITION_ORDER.indexOf(b.position) || (a.offset_p50_ms ?? 0) - (b.offset_p50_ms ?? 0) || a.name.localeCompare(b.name))

  const paths: PathSummary[] = PATHS.map((path) => {
    const members = requests.filter((r) => r.paths.includes(path))
    const times = sortedOf(members.map((r) => r.wall_ms))
    return {
      path,
      requests: Math.round(members.length * scale),
      share: requests.length > 0 ? members.length / requests.length : 0,
      p50_ms: quantileOfSorted(times, 0.5),
      p95_ms: quantileOfSorted(times, 0.95),
      mean_model_calls: mean(members.map((r) => r.model_calls)),
      mean_guardrail_calls: mean(members.map((r) => r.stages.length)),
    }
  })

  return {
    requests: {
      count: Math.round(requests.length * scale),
      p50_ms: quantileOfSorted(walls, 0.5),
      p95_ms: quantileOfSorted(walls, 0.95),
      model_p50_ms: quantileOfSorted(models, 0.5),
      model_p95_ms: quantileOfSorted(models, 0.95),
    },
    stages,
    paths,
  }
}

const POSITION_ORDER: readonly StagePosition[] = ['before', 'parallel', 'after']
