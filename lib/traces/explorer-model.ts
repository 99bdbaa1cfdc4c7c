// What the trace explorer page sends to the browser: the spans in tree order (each with its
// depth, parent and offsets from the trace start, so the client never handles nanoseconds),
// the trace summary, and the aggregated call graph with its cycles. Payloads stay on the server
// until a span is opened.
import type { SpanOutline } from '@/db/clickhouse/queries/traces'
import { callCostOf, type CostSource, type PriceOf } from '@/lib/analytics/costs'
import { analyzeTrace } from '@/lib/graph/find-cycles'
import { nanosToIso } from '@/lib/time/nanos'
import { summarizeTrace, type TraceSummary } from './trace-summary'

export interface ExplorerSpan {
  id: string
  /** Index of the parent in `spans`, or -1 for a root (or a span whose parent never arrived). */
  parent: number
  depth: number
  /** Number of direct children. */
  children: number
  name: string
  kind: string
  status: 'unset' | 'ok' | 'error'
  /** Milliseconds from the trace start. */
  startMs: number
  durationMs: number
  /** Index of the span's node in `graph.nodes`. */
  node: number
  model?: string
  tokens?: number
  /** A model call's cost (reported, else priced) and where it came from. */
  cost?: number
  costSource?: CostSource
  /** One attempt of a retried call: attempt n of m, retried after an error or a failed output schema. */
  attempt?: Attempt
  /** Prompt name and version ("support-triage v13"), and the sampling parameters ("temperature 0.3"). */
  prompt?: string
  params?: string
  /** Input or output was cut at ingest. */
  cut?: boolean
  /** The parent span id, when the parent is not in the trace. */
  missingParent?: string
}

export interface Attempt {
  n: number
  of: number
  /** 'schema': a re-prompt after output that failed its schema; 'retry': any other retry. */
  reason: 'retry' | 'schema'
}

/**
 * Retry chains of a trace: spans linked by retry_of (to the attempt they retry, or to the chain's
 * first attempt) form one chain; each member is attempt n of m in start order. A chain that
 * retries a span whose output failed its schema is a schema re-prompt.
 */
export function retryAttempts(spans: readonly Pick<SpanOutline, 'span_id' | 'start_ns' | 'retry_of' | 'schema_valid'>[]): Map<string, Attempt> {
  const byId = new Map(spans.map((span) => [span.span_id, span]))
  const rootOf = (id: string): string => {
    const seen = new Set<string>()
    let current = id
    for (let next = byId.get(current)?.retry_of; next && byId.has(next) && !seen.has(next); next = byId.get(current)?.retry_of) {
      seen.add(current)
      current = next
    }
    return current
  }
  const chains = new Map<string, string[]>()
  for (const span of spans) {
    if (!span.retry_of || !byId.has(span.retry_of)) continue
    const root = rootOf(span.span_id)
    const chain = chains.get(root) ?? [root]
    chain.push(span.span_id)
    chains.set(root, chain)
  }
  const out = new Map<string, Attempt>()
  for (const members of chains.values()) {
    const unique = [...new Set(members)].sort((a, b) => {
      const d = BigInt(byId.get(a)!.start_ns) - BigInt(byId.get(b)!.start_ns)
      return d < 0n ? -1 : d > 0n ? 1 : 0
    })
    const schema = unique.some((id) => byId.get(id)!.schema_valid === false && unique.some((other) => byId.get(other)!.retry_of === id))
    unique.forEach((id, i) => out.set(id, { n: i + 1, of: unique.length, reason: schema ? 'schema' : 'retry' }))
  }
  return out
}

export interface ExplorerGraph {
  nodes: { id: string; label: string; kind: string; calls: number }[]
  edges: { source: number; target: number; calls: number }[]
  cycles: { nodes: number[]; reentries: number; max_depth: number }[]
}

export interface ExplorerTrace {
  traceId: string
  startIso: string
  durationMs: number
  spans: ExplorerSpan[]
  summary: Omit<TraceSummary, 'start_ns' | 'end_ns'>
  graph: ExplorerGraph
  truncated: boolean
}

export function buildExplorerTrace(traceId: string, outline: readonly SpanOutline[], truncated: boolean, priceOf: PriceOf): ExplorerTrace {
  const { start_ns, end_ns: _end, ...summary } = summarizeTrace(outline, priceOf)
  const attempts = retryAttempts(outline)
  const traceStart = BigInt(start_ns)
  const analysis = analyzeTrace(outline)
  const nodeIndex = new Map(analysis.nodes.map((node, i) => [node.id, i]))

  // Children in start order (the outline is sorted by start time).
  const byId = new Map(outline.map((span) => [span.span_id, span]))
  const children = new Map<string, SpanOutline[]>()
  const roots: SpanOutline[] = []
  for (const span of outline) {
    if (span.parent_span_id && byId.has(span.parent_span_id)) {
      const list = children.get(span.parent_span_id)
      if (list) list.push(span)
      else children.set(span.parent_span_id, [span])
    } else roots.push(span)
  }

  const spans: ExplorerSpan[] = []
  const stack: Array<{ span: SpanOutline; parent: number; depth: number }> = roots.map((span) => ({ span, parent: -1, depth: 0 })).reverse()
  while (stack.length > 0) {
    const { span, parent, depth } = stack.pop()!
    const kids = children.get(span.span_id) ?? []
    const index = spans.length
    const tokens = Number(span.input_tokens) + Number(span.output_tokens)
    const cost = span.kind === 'llm' ? callCostOf({ ...span, model: span.serving_model }, priceOf) : undefined
    const attempt = attempts.get(span.span_id)
    spans.push({
      id: span.span_id,
      parent,
      depth,
      children: kids.length,
      name: span.name,
      kind: span.kind,
      status: span.status,
      startMs: Number(BigInt(span.start_ns) - traceStart) / 1e6,
      durationMs: Number(span.duration_ms),
      node: nodeIndex.get(analysis.nodeOfSpan.get(span.span_id)!)!,
      ...(span.model_resolved || span.model_requested ? { model: span.model_resolved || span.model_requested } : {}),
      ...(tokens > 0 ? { tokens } : {}),
      ...(cost ? { cost: cost.cost_usd, costSource: cost.source } : span.cost_usd !== null && span.cost_usd !== undefined ? { cost: Number(span.cost_usd), costSource: 'reported' as const } : {}),
      ...(attempt ? { attempt } : {}),
      ...(span.prompt_name ? { prompt: `${span.prompt_name}${span.prompt_version ? ` v${span.prompt_version}` : ''}` } : {}),
      ...(span.temperature !== null && span.temperature !== undefined ? { params: `temperature ${Number(span.temperature)}` } : {}),
      ...(Number(span.input_truncated) || Number(span.output_truncated) ? { cut: true } : {}),
      ...(span.parent_span_id && parent === -1 ? { missingParent: span.parent_span_id } : {}),
    })
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ span: kids[i], parent: index, depth: depth + 1 })
  }

  return {
    traceId,
    startIso: nanosToIso(start_ns),
    durationMs: summary.duration_ms,
    spans,
    summary,
    graph: {
      nodes: analysis.nodes.map(({ id, label, kind, calls }) => ({ id, label, kind, calls })),
      edges: analysis.edges.map((edge) => ({ source: nodeIndex.get(edge.source)!, target: nodeIndex.get(edge.target)!, calls: edge.calls })),
      cycles: analysis.cycles.map((cycle) => ({ nodes: cycle.nodes.map((id) => nodeIndex.get(id)!), reentries: cycle.reentries, max_depth: cycle.max_depth })),
    },
    truncated,
  }
}
