// Cycles of a trace's aggregated call graph, with what each cycle cost in the run itself.
//
// A cycle is a strongly connected component with more than one node, or one node that calls
// itself. For each cycle, walking the span tree from its roots: the first span on a path whose
// node is on the cycle is where that path entered the cycle; every later span on the same path
// that is a call to that entry node again is a re-entry. The depth on a path is 1 + the
// re-entries on it; max_depth is the deepest nesting any path reached.
import { buildCallGraph, type CallGraph, type CallSpan } from './call-graph'
import { stronglyConnectedComponents } from './strongly-connected'

export interface Cycle {
  /** Node ids on the cycle, sorted. */
  nodes: string[]
  reentries: number
  max_depth: number
}

export interface TraceGraph extends CallGraph {
  cycles: Cycle[]
}

export function findCycleComponents(graph: Pick<CallGraph, 'nodes' | 'edges'>): string[][] {
  const successors = new Map<string, string[]>()
  const selfLoops = new Set<string>()
  for (const edge of graph.edges) {
    if (edge.source === edge.target) selfLoops.add(edge.source)
    const out = successors.get(edge.source)
    if (out) out.push(edge.target)
    else successors.set(edge.source, [edge.target])
  }
  const ids = graph.nodes.map((node) => node.id)
  return stronglyConnectedComponents(ids, successors)
    .filter((component) => component.length > 1 || selfLoops.has(component[0]))
    .map((component) => component.sort())
}

/** Counts re-entries and the deepest nesting of each cycle over the span tree. */
export function measureCycles(spans: readonly CallSpan[], nodeOfSpan: ReadonlyMap<string, string>, components: string[][]): Cycle[] {
  const cycleOfNode = new Map<string, number>()
  components.forEach((component, i) => component.forEach((node) => cycleOfNode.set(node, i)))
  const results: Cycle[] = components.map((nodes) => ({ nodes, reentries: 0, max_depth: 0 }))
  if (components.length === 0) return results

  const children = new Map<string, CallSpan[]>()
  const roots: CallSpan[] = []
  const ids = new Set(spans.map((span) => span.span_id))
  for (const span of spans) {
    if (span.parent_span_id && ids.has(span.parent_span_id)) {
      const list = children.get(span.parent_span_id)
      if (list) list.push(span)
      else children.set(span.parent_span_id, [span])
    } else roots.push(span)
  }

  // Per cycle, on the current path: the entry node and the depth reached so far.
  const entry: Array<string | undefined> = components.map(() => undefined)
  const depth: number[] = components.map(() => 0)
  type Step = { span: CallSpan; exit: false } | { exit: true; cycle: number; entry: string | undefined; depth: number }
  const work: Step[] = roots.map((span) => ({ span, exit: false as const })).reverse()
  while (work.length > 0) {
    const step = work.pop()!
    if (step.exit) {
      entry[step.cycle] = step.entry
      depth[step.cycle] = step.depth
      continue
    }
    const node = nodeOfSpan.get(step.span.span_id)!
    const cycle = cycleOfNode.get(node)
    if (cycle !== undefined) {
      work.push({ exit: true, cycle, entry: entry[cycle], depth: depth[cycle] })
      if (entry[cycle] === undefined) {
        entry[cycle] = node
        depth[cycle] = 1
      } else if (entry[cycle] === node) {
        depth[cycle]++
        results[cycle].reentries++
      }
      results[cycle].max_depth = Math.max(results[cycle].max_depth, depth[cycle])
    }
    const kids = children.get(step.span.span_id)
    if (kids) for (let i = kids.length - 1; i >= 0; i--) work.push({ span: kids[i], exit: false })
  }
  return results
}

/** The aggregated graph of a trace with its cycles, largest re-entry count first. */
export function analyzeTrace(spans: readonly CallSpan[]): TraceGraph {
  const graph = buildCallGraph(spans)
  const cycles = measureCycles(spans, graph.nodeOfSpan, findCycleComponents(graph))
  cycles.sort((a, b) => b.reentries - a.reentries || b.max_depth - a.max_depth || a.nodes[0].localeCompare(b.nodes[0]))
  return { ...graph, cycles }
}
