// Positions for a call graph, computed by ELK (elkjs): "layered" for the aggregated graph, whose
// cycles ELK breaks and draws as back edges, and "mrtree" for the as-it-ran graph, which is a
// forest. Pure computation with no DOM: the browser runs it in a Web Worker
// (components/trace/graph-layout.worker.ts), benchmarks run it in Node.
import ELK, { type ElkNode } from 'elkjs/lib/elk.bundled.js'

export interface LayoutNode {
  id: string
  width: number
  height: number
}

export interface LayoutEdge {
  id: string
  source: string
  target: string
}

export interface LayoutRequest {
  nodes: LayoutNode[]
  edges: LayoutEdge[]
  /** 'layered' suits graphs with cycles; 'mrtree' lays out trees fast. */
  algorithm: 'layered' | 'mrtree'
  /** Where callees go relative to their callers (default RIGHT). */
  direction?: 'RIGHT' | 'DOWN'
}

export interface LayoutResult {
  positions: Record<string, { x: number; y: number }>
  /** The path ELK routed for each edge (start, bends, end), where it routed one. */
  routes: Record<string, Array<{ x: number; y: number }>>
  width: number
  height: number
}

const OPTIONS: Record<LayoutRequest['algorithm'], Record<string, string>> = {
  layered: {
    'elk.algorithm': 'layered',
    'elk.spacing.nodeNode': '28',
    'elk.layered.spacing.nodeNodeBetweenLayers': '70',
    'elk.layered.cycleBreaking.strategy': 'DEPTH_FIRST',
    'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
    // React Flow draws the edges itself; polyline routing is the cheapest ELK computes.
    'elk.edgeRouting': 'POLYLINE',
    'elk.separateConnectedComponents': 'true',
  },
  mrtree: {
    'elk.algorithm': 'mrtree',
    'elk.spacing.nodeNode': '16',
    'elk.mrtree.searchOrderStrategy': 'DFS',
  },
}

let engine: InstanceType<typeof ELK> | undefined

export async function layoutGraph(request: LayoutRequest): Promise<LayoutResult> {
  engine ??= new ELK()
  const nodeIds = new Set(request.nodes.map((node) => node.id))
  const graph: ElkNode = {
    id: 'root',
    layoutOptions: {
      ...OPTIONS[request.algorithm],
      'elk.direction': request.direction ?? 'RIGHT',
      // Fewer crossing-minimization passes on big graphs: half the time at 500 nodes, and the
      // small graphs most traces have keep ELK's default care.
      ...(request.nodes.length > 100 ? { 'elk.layered.thoroughness': '2' } : {}),
    },
    children: request.nodes.map(({ id, width, height }) => ({ id, width, height })),
    edges: request.edges
      .filter((edge) => nodeIds.has(edge.source) && nodeIds.has(edge.target))
      .map((edge) => ({ id: edge.id, sources: [edge.source], targets: [edge.target] })),
  }
  const laid = await engine.layout(graph)
  const positions: LayoutResult['positions'] = {}
  for (const child of laid.children ?? []) positions[child.id] = { x: child.x ?? 0, y: child.y ?? 0 }
  const routes: LayoutResult['routes'] = {}
  for (const edge of laid.edges ?? []) {
    const section = edge.sections?.[0]
    if (section) routes[edge.id] = [section.startPoint, ...(section.bendPoints ?? []), section.endPoint]
  }
  return { positions, routes, width: laid.width ?? 0, height: laid.height ?? 0 }
}
