// The aggregated call graph of a trace: every span becomes a call to a node (the same tool,
// the same agent, the same model, or for other spans the same kind and name), and every
// parent -> child span pair becomes an edge between their nodes. Re-entry - a tool whose
// subtree calls the model that calls the same tool again - becomes a cycle in this graph.

/** The span fields the graph needs (a subset of the stored span). */
export interface CallSpan {
  span_id: string
  parent_span_id: string
  name: string
  kind: string
  tool_name?: string
  agent_name?: string
  model_requested?: string
  model_resolved?: string
}

export interface CallNode {
  id: string
  label: string
  kind: string
  /** How many spans are calls to this node. */
  calls: number
}

export interface CallEdge {
  source: string
  target: string
  /** How many times a span of `source` called a span of `target`. */
  calls: number
}

export interface CallGraph {
  nodes: CallNode[]
  edges: CallEdge[]
  /** Node id of each span, in the order the spans were given. */
  nodeOfSpan: Map<string, string>
}

/** The node a span is a call to: tools by tool name, agents by agent name, models by model. */
export function nodeKey(span: CallSpan): { id: string; label: string; kind: string } {
  const kind = span.kind || 'other'
  let label: string
  switch (kind) {
    case 'tool':
      label = span.tool_name || span.name
      break
    case 'agent':
      label = span.agent_name || span.name
      break
    case 'llm':
      label = span.model_requested || span.model_resolved || span.name
      break
    default:
      label = span.name
  }
  return { id: `${kind}:${label}`, label, kind }
}

export function buildCallGraph(spans: readonly CallSpan[]): CallGraph {
  const nodes = new Map<string, CallNode>()
  const nodeOfSpan = new Map<string, string>()
  for (const span of spans) {
    const key = nodeKey(span)
    const node = nodes.get(key.id)
    if (node) node.calls++
    else nodes.set(key.id, { ...key, calls: 1 })
    nodeOfSpan.set(span.span_id, key.id)
  }
  const edges = new Map<string, CallEdge>()
  for (const span of spans) {
    const source = span.parent_span_id ? nodeOfSpan.get(span.parent_span_id) : undefined
    if (!source) continue
    const target = nodeOfSpan.get(span.span_id)!
    const key = `${source}\u0000${target}`
    const edge = edges.get(key)
    if (edge) edge.calls++
    else edges.set(key, { source, target, calls: 1 })
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()], nodeOfSpan }
}
