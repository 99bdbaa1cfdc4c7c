// GET /api/v1/traces/{trace_id}: every span, the trace summary, and the aggregated call graph
// with its cycles.
import { currentPrices } from '@/lib/analytics/costs'
import { analyzeTrace, type TraceGraph } from '@/lib/graph/find-cycles'
import { nanosToIso } from '@/lib/time/nanos'
import { traceRecorder } from '@/lib/recorder/completeness'
import { readTraceSpans } from './merged-spans'
import { spanToApi } from './span-api'
import { summarizeTrace, type TraceSummary } from './trace-summary'

export function graphToApi(graph: TraceGraph) {
  return {
    nodes: graph.nodes.map(({ id, label, kind, calls }) => ({ id, label, kind, calls })),
    edges: graph.edges.map(({ source, target, calls }) => ({ source, target, calls })),
    cycles: graph.cycles.map(({ nodes, reentries, max_depth }) => ({ nodes, reentries, max_depth })),
  }
}

export function summaryToApi({ start_ns, end_ns, ...rest }: TraceSummary) {
  return { start_time: nanosToIso(start_ns), end_time: nanosToIso(end_ns), ...rest }
}

export async function readTraceDetail(projectId: string, traceId: string) {
  const [{ spans, truncated }, priceOf, recorder] = await Promise.all([readTraceSpans(projectId, traceId), currentPrices(), traceRecorder(projectId, traceId)])
  if (spans.length === 0) return undefined
  return {
    trace_id: traceId,
    summary: summaryToApi(summarizeTrace(spans, priceOf)),
    // The serving model is only for pricing; spans keep their API shape.
    spans: spans.map(({ serving_model: _, ...span }) => spanToApi(span)),
    truncated,
    graph: graphToApi(analyzeTrace(spans)),
    /** Which facts an incident review needs the trace's model and tool calls recorded (lib/recorder/completeness.ts). */
    recorder: { score: recorder.score, missing: recorder.missing },
  }
}
