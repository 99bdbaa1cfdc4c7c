'use client'

// The tool-call graph of a trace, in two modes: "aggregated" (calls to the same tool, agent or
// model are one node, so re-entry shows as a cycle; edges carry call counts) and "as it ran"
// (every span its own node, nested as it happened). Cycle nodes and edges are drawn in colour.
// Layout runs in a Web Worker; big traces fall back to the aggregated graph. The graph opens
// aggregated, at a zoom where node names are readable (the user pans when it does not fit).
import '@xyflow/react/dist/style.css'
import {
  BaseEdge,
  Background,
  Controls,
  EdgeLabelRenderer,
  Handle,
  MarkerType,
  Position,
  ReactFlow,
  type Edge,
  type EdgeProps,
  type Node,
  type NodeProps,
} from '@xyflow/react'
import { memo, useMemo, useRef } from 'react'
import type { LayoutRequest } from '@/lib/graph/layout'
import type { ExplorerTrace } from '@/lib/traces/explorer-model'
import { formatCount } from '@/lib/format'
import { CYCLE_COLORS, kindStyle } from './span-kinds'
import { useGraphLayout } from './use-graph-layout'

/** Above this many spans the as-it-ran graph says how to move around it. */
export const AS_RAN_DEFAULT_LIMIT = 300
/** Above this many spans the as-it-ran graph is not drawn at all. */
export const AS_RAN_MAX = 2000
/** Above this many distinct nodes the aggregated graph is not drawn (its cycles are still listed). */
export const AGGREGATED_MAX_NODES = 600

export type GraphMode = 'as-ran' | 'aggregated'

const NODE_WIDTH = 210
const NODE_HEIGHT = 44
/** Node names are 12 px at zoom 1: the graph never opens below the zoom that draws them at 11 px. */
export const NODE_TEXT_PX = 12
export const READABLE_ZOOM = 11 / NODE_TEXT_PX
const FIT_PADDING = 24

/**
 * The opening viewport: the whole graph when it fits at a readable zoom (at most 1.2), else the
 * readable zoom with the top of the graph in view, centred on `focusX` (the cycle's or the root's centre) as
 * far as the graph's edges allow.
 */
export function openingViewport(
  bounds: { minX: number; minY: number; maxX: number; maxY: number },
  width: number,
  height: number,
  focusX = (bounds.minX + bounds.maxX) / 2,
): { x: number; y: number; zoom: number } {
  const bw = Math.max(bounds.maxX - bounds.minX, 1)
  const bh = Math.max(bounds.maxY - bounds.minY, 1)
  const fit = Math.min((width - 2 * FIT_PADDING) / bw, (height - 2 * FIT_PADDING) / bh, 1.2)
  const zoom = Math.max(fit, READABLE_ZOOM)
  let x: number
  if (bw * zoom <= width - 2 * FIT_PADDING) x = (width - bw * zoom) / 2 - bounds.minX * zoom
  else {
    // Centre the root, but never show empty space beyond the graph's left or right edge.
    const centred = width / 2 - focusX * zoom
    x = Math.min(FIT_PADDING - bounds.minX * zoom, Math.max(width - FIT_PADDING - bounds.maxX * zoom, centred))
  }
  const y = bh * zoom <= height - 2 * FIT_PADDING ? (height - bh * zoom) / 2 - bounds.minY * zoom : FIT_PADDING - bounds.minY * zoom
  return { x, y, zoom }
}

interface CallNodeData extends Record<string, unknown> {
  /** Callers above callees (aggregated) or to their left (as it ran). */
  vertical: boolean
  label: string
  kind: string
  calls?: number
  cycleColor?: string
  error?: boolean
  selected?: boolean
}

const CallNodeCard = memo(function CallNodeCard({ data }: NodeProps<Node<CallNodeData>>) {
  const style = kindStyle(data.kind)
  return (
    <div
      className={`flex h-[44px] w-[210px] items-center gap-1.5 rounded-md border-2 bg-white px-2 text-xs shadow-sm ${data.selected ? 'ring-2 ring-blue-500 ring-offset-1' : ''}`}
      style={{ borderColor: data.cycleColor ?? (data.error ? '#f87171' : '#cbd5e1'), background: data.cycleColor ? `${data.cycleColor}14` : undefined }}
      data-testid="graph-node"
      data-cycle={data.cycleColor ? 'true' : undefined}
      title={data.label}
    >
      <Handle type="target" position={data.vertical ? Position.Top : Position.Left} className="!h-1.5 !w-1.5 !min-w-0 !border-0 !bg-slate-400" />
      <span className={`shrink-0 rounded px-1 text-[10px] font-semibold ${style.chip}`}>{style.label}</span>
      <span className="min-w-0 flex-1 truncate text-[12px] font-medium text-slate-800" data-testid="graph-node-label">
        {data.label}
      </span>
      {data.calls !== undefined && <span className="shrink-0 tabular-nums text-slate-500">×{formatCount(data.calls)}</span>}
      <Handle type="source" position={data.vertical ? Position.Bottom : Position.Right} className="!h-1.5 !w-1.5 !min-w-0 !border-0 !bg-slate-400" />
    </div>
  )
})

/**
 * An edge that goes against the layout: a node calling itself, or a callee calling back up to
 * an earlier node (the edge that closes a cycle). Drawn as an arc out to the right of the nodes,
 * so it never hides behind the forward edge it pairs with.
 */
function LoopEdge({ id, source, target, sourceX, sourceY, targetX, targetY, style, markerEnd, label }: EdgeProps) {
  // A node calling itself: the arc clears the node's right edge, so its call count stays readable.
  const reach = source === target ? NODE_WIDTH * 0.85 : 110 + Math.min(Math.abs(sourceY - targetY), 600) * 0.15
  const path = `M ${sourceX} ${sourceY} C ${sourceX + reach} ${sourceY + 40}, ${targetX + reach} ${targetY - 40}, ${targetX} ${targetY}`
  const labelAt = source === target ? { x: targetX + NODE_WIDTH / 2 + 6, y: targetY - 11 } : { x: (sourceX + targetX) / 2 + reach * 0.75, y: (sourceY + targetY) / 2 }
  return (
    <>
      <BaseEdge id={id} path={path} style={style} markerEnd={markerEnd} />
      {label && (
        <EdgeLabelRenderer>
          <div
            className="nodrag nopan absolute rounded bg-white px-1 text-[12px] font-semibold"
            data-testid="loop-label"
            // A self-call's count sits just above its node's top-right corner, in the gap between
            // rows, where no neighbouring node can hide it; a back edge's sits out on its arc.
            // Drawn above nodes either way.
            style={{ transform: `translate(-50%, -50%) translate(${labelAt.x}px, ${labelAt.y}px)`, color: style?.stroke as string, zIndex: 1001 }}
          >
            {label}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  )
}

type Point = { x: number; y: number }

/** The point halfway along a polyline, for its label. */
function midpoint(points: Point[]): Point {
  const lengths = points.slice(1).map((p, i) => Math.hypot(p.x - points[i].x, p.y - points[i].y))
  let remaining = lengths.reduce((a, b) => a + b, 0) / 2
  for (let i = 0; i < lengths.length; i++) {
    if (remaining <= lengths[i]) {
      const f = lengths[i] === 0 ? 0 : remaining / lengths[i]
      return { x: points[i].x + (points[i + 1].x - points[i].x) * f, y: points[i].y + (points[i + 1].y - points[i].y) * f }
    }
    remaining -= lengths[i]
  }
  return points[points.length - 1]
}

/** An edge along the route ELK computed, so it bends around nodes instead of crossing them. */
function RoutedEdge({ id, data, style, markerEnd, label }: EdgeProps) {
  const points = (data as { points: Point[] }).points
  const path = `M ${points.map((p) => `${p.x} ${p.y}`).join(' L ')}`
  const mid = midpoint(points)
  return (
    <>
      <BaseEdge id={id} path={path} style={{ ...style, strokeLinejoin: 'round' }} markerEnd={markerEnd} />
      {label && (
        <EdgeLabelRenderer>
          <div
            className="nodrag nopan absolute rounded bg-white px-1 text-[12px] font-semibold"
            style={{ transform: `translate(-50%, -50%) translate(${mid.x}px, ${mid.y}px)`, color: (style?.stroke as string) ?? '#475569' }}
          >
            {label}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  )
}

const nodeTypes = { call: CallNodeCard }
const edgeTypes = { loop: LoopEdge, routed: RoutedEdge }

interface GraphModel {
  nodes: Node<CallNodeData>[]
  edges: Edge[]
  request: LayoutRequest
  /** Span indices behind each node id. */
  spansOf: (nodeId: string) => number[]
}

function edgeLook(color: string | undefined, calls: number | undefined, key: string, source: string, target: string): Edge {
  return {
    id: key,
    source,
    target,
    label: calls !== undefined ? `×${formatCount(calls)}` : undefined,
    animated: color !== undefined,
    style: { stroke: color ?? '#94a3b8', strokeWidth: color ? 2.5 : 1.25 },
    labelStyle: { fill: color ?? '#475569', fontWeight: 600, fontSize: 12 },
    labelBgPadding: [3, 1],
    markerEnd: { type: MarkerType.ArrowClosed, color: color ?? '#94a3b8', width: 16, height: 16 },
    data: { cycle: color !== undefined },
    className: color ? 'cycle-edge' : undefined,
  }
}

const layoutEdge = ({ id, source, target }: Edge) => ({ id, source, target })

function buildModel(trace: ExplorerTrace, mode: GraphMode, cycleOfNode: Map<number, number>): GraphModel {
  const colorOf = (node: number) => {
    const cycle = cycleOfNode.get(node)
    return cycle === undefined ? undefined : CYCLE_COLORS[cycle % CYCLE_COLORS.length]
  }
  const sameCycle = (a: number, b: number) => cycleOfNode.has(a) && cycleOfNode.get(a) === cycleOfNode.get(b)
  if (mode === 'aggregated') {
    const errorNodes = new Set(trace.spans.filter((s) => s.status === 'error').map((s) => s.node))
    const nodes = trace.graph.nodes.map((node, i) => ({
      id: `n${i}`,
      type: 'call',
      position: { x: 0, y: 0 },
      data: { vertical: true, label: node.label, kind: node.kind, calls: node.calls, cycleColor: colorOf(i), error: errorNodes.has(i) },
    }))
    const edges = trace.graph.edges.map((edge, k) =>
      edgeLook(sameCycle(edge.source, edge.target) ? colorOf(edge.source) : undefined, edge.calls, `e${k}`, `n${edge.source}`, `n${edge.target}`),
    )
    const byNode = new Map<number, number[]>()
    trace.spans.forEach((span, i) => {
      const list = byNode.get(span.node)
      if (list) list.push(i)
      else byNode.set(span.node, [i])
    })
    return {
      nodes,
      edges,
      request: { nodes: nodes.map((n) => ({ id: n.id, width: NODE_WIDTH, height: NODE_HEIGHT })), edges: edges.filter((e) => e.source !== e.target).map(layoutEdge), algorithm: 'layered', direction: 'DOWN' },
      spansOf: (id) => byNode.get(Number(id.slice(1))) ?? [],
    }
  }
  const nodes = trace.spans.map((span, i) => ({
    id: `s${i}`,
    type: 'call',
    position: { x: 0, y: 0 },
    data: { vertical: false, label: span.name, kind: span.kind, cycleColor: colorOf(span.node), error: span.status === 'error' },
  }))
  const edges = trace.spans
    .map((span, i) => (span.parent < 0 ? undefined : edgeLook(sameCycle(trace.spans[span.parent].node, span.node) ? colorOf(span.node) : undefined, undefined, `p${i}`, `s${span.parent}`, `s${i}`)))
    .filter((edge) => edge !== undefined)
  return {
    nodes,
    edges,
    request: { nodes: nodes.map((n) => ({ id: n.id, width: NODE_WIDTH, height: NODE_HEIGHT })), edges: edges.map(layoutEdge), algorithm: 'mrtree', direction: 'RIGHT' },
    spansOf: (id) => [Number(id.slice(1))],
  }
}

export function CallGraph({
  trace,
  mode,
  onModeChange,
  selectedSpan,
  onSelectSpans,
}: {
  trace: ExplorerTrace
  mode: GraphMode
  onModeChange: (mode: GraphMode) => void
  selectedSpan: number | undefined
  onSelectSpans: (spans: number[]) => void
}) {
  const spanCount = trace.spans.length
  const asRanAllowed = spanCount <= AS_RAN_MAX
  const effective: GraphMode = mode === 'as-ran' && !asRanAllowed ? 'aggregated' : mode
  const tooManyNodes = effective === 'aggregated' && trace.graph.nodes.length > AGGREGATED_MAX_NODES

  const cycleOfNode = useMemo(() => {
    const map = new Map<number, number>()
    trace.graph.cycles.forEach((cycle, c) => cycle.nodes.forEach((node) => map.set(node, c)))
    return map
  }, [trace])
  const model = useMemo(() => buildModel(trace, effective, cycleOfNode), [trace, effective, cycleOfNode])
  const layout = useGraphLayout(tooManyNodes ? undefined : model.request)
  const canvas = useRef<HTMLDivElement>(null)

  const selectedId = selectedSpan === undefined ? undefined : effective === 'aggregated' ? `n${trace.spans[selectedSpan].node}` : `s${selectedSpan}`
  const nodes = useMemo(() => {
    if (layout.status !== 'done') return []
    return model.nodes.map((node) => ({
      ...node,
      position: layout.result.positions[node.id] ?? { x: 0, y: 0 },
      data: node.id === selectedId ? { ...node.data, selected: true } : node.data,
    }))
  }, [layout, model, selectedId])

  // Aggregated edges follow ELK's routes; self-calls (which ELK does not route here) and any
  // unrouted call back up the layout are drawn as loops beside the nodes.
  const edges = useMemo(() => {
    if (layout.status !== 'done') return []
    const { positions: at, routes } = layout.result
    return model.edges.map((edge) => {
      if (edge.source === edge.target) return { ...edge, type: 'loop' }
      if (effective !== 'aggregated') return edge
      const route = routes[edge.id]
      if (route && route.length >= 2) return { ...edge, type: 'routed', data: { ...edge.data, points: route } }
      return (at[edge.target]?.y ?? 0) <= (at[edge.source]?.y ?? 0) ? { ...edge, type: 'loop' } : edge
    })
  }, [layout, model, effective])

  const cycleSpans = (c: number) => trace.spans.flatMap((span, i) => (cycleOfNode.get(span.node) === c ? [i] : []))

  return (
    <div className="flex h-full min-h-0 flex-col" data-testid="call-graph" data-mode={effective}>
      <div className="flex flex-wrap items-center gap-2 border-b border-slate-200 px-3 py-2 text-xs">
        <div className="inline-flex overflow-hidden rounded border border-slate-300" role="group" aria-label="Graph mode">
          {(['aggregated', 'as-ran'] as const).map((m) => (
            <button
              key={m}
              type="button"
              disabled={m === 'as-ran' && !asRanAllowed}
              onClick={() => onModeChange(m)}
              aria-pressed={effective === m}
              title={m === 'as-ran' && !asRanAllowed ? `The as-it-ran graph is drawn for traces up to ${formatCount(AS_RAN_MAX)} spans` : undefined}
              className={`px-2 py-1 ${effective === m ? 'bg-slate-900 text-white' : 'bg-white text-slate-700 hover:bg-slate-50'} disabled:cursor-not-allowed disabled:text-slate-300`}
            >
              {m === 'aggregated' ? 'Aggregated' : 'As it ran'}
            </button>
          ))}
        </div>
        <span className="text-slate-500">
          {effective === 'aggregated'
            ? `${trace.graph.nodes.length} nodes, ${trace.graph.edges.length} edges (×n = calls)`
            : `${formatCount(spanCount)} spans as nodes`}
        </span>
        {layout.status === 'running' && <span className="text-slate-500">Laying out…</span>}
        {layout.status === 'done' && <span className="text-slate-400">layout {Math.round(layout.ms)} ms</span>}
      </div>
      {spanCount > AS_RAN_DEFAULT_LIMIT && (
        <p className="border-b border-amber-200 bg-amber-50 px-3 py-1.5 text-xs text-amber-900" data-testid="graph-size-note">
          {effective === 'as-ran'
            ? `This trace has ${formatCount(spanCount)} spans: drag to pan, scroll to zoom out. "Aggregated" draws one node per tool, agent or model.`
            : `This trace has ${formatCount(spanCount)} spans: calls to the same tool, agent or model are one node.${asRanAllowed ? ' "As it ran" draws every span.' : ` The as-it-ran graph is drawn for traces up to ${formatCount(AS_RAN_MAX)} spans.`}`}
        </p>
      )}
      {trace.graph.cycles.length > 0 ? (
        <ul className="space-y-1 border-b border-slate-200 px-3 py-2 text-xs" aria-label="Cycles">
          {trace.graph.cycles.map((cycle, c) => (
            <li key={c}>
              <button
                type="button"
                onClick={() => onSelectSpans(cycleSpans(c))}
                className="flex w-full items-center gap-2 rounded px-1 py-0.5 text-left hover:bg-slate-50"
                data-testid="cycle-item"
                title="Select this cycle's spans in the tree"
              >
                <span className="h-2.5 w-2.5 shrink-0 rounded-full" style={{ background: CYCLE_COLORS[c % CYCLE_COLORS.length] }} aria-hidden />
                <span className="font-medium text-slate-800">
                  {cycle.nodes.map((n) => trace.graph.nodes[n].label).join(' → ')}
                  {cycle.nodes.length === 1 ? ' → itself' : ` → ${trace.graph.nodes[cycle.nodes[0]].label}`}
                </span>
                <span className="ml-auto shrink-0 text-slate-600">
                  re-entered {cycle.reentries}×, depth {cycle.max_depth}
                </span>
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="border-b border-slate-200 px-3 py-1.5 text-xs text-slate-500">No cycles: no tool, agent or model calls back into itself.</p>
      )}
      <div className="relative min-h-0 flex-1 bg-slate-50" ref={canvas}>
        {tooManyNodes ? (
          <p className="p-6 text-sm text-slate-600">
            {formatCount(trace.graph.nodes.length)} distinct nodes are too many to draw legibly (the limit is {formatCount(AGGREGATED_MAX_NODES)}). The cycles
            above are complete; select one to see its spans in the tree.
          </p>
        ) : layout.status === 'failed' ? (
          <p className="p-6 text-sm text-red-700">Could not lay out the graph: {layout.error}</p>
        ) : layout.status !== 'done' ? (
          <p className="p-6 text-sm text-slate-500">Laying out {formatCount(model.nodes.length)} nodes…</p>
        ) : (
          <ReactFlow
            key={`${effective}-${trace.traceId}`}
            nodes={nodes}
            edges={edges}
            nodeTypes={nodeTypes}
            edgeTypes={edgeTypes}
            onInit={(flow) => {
              let minX = Infinity
              let minY = Infinity
              let maxX = -Infinity
              let maxY = -Infinity
              for (const node of nodes) {
                minX = Math.min(minX, node.position.x)
                minY = Math.min(minY, node.position.y)
                maxX = Math.max(maxX, node.position.x + NODE_WIDTH)
                maxY = Math.max(maxY, node.position.y + NODE_HEIGHT)
              }
              if (nodes.length === 0) return
              // The view opens on the cycle when there is one (what the on-call came for), else on the root.
              const inCycle = nodes.filter((node) => node.data.cycleColor)
              const focus = inCycle.length > 0 ? inCycle : [nodes.reduce((a, b) => (b.position.y < a.position.y ? b : a))]
              const focusX = (Math.min(...focus.map((n) => n.position.x)) + Math.max(...focus.map((n) => n.position.x)) + NODE_WIDTH) / 2
              flow.setViewport(openingViewport({ minX, minY, maxX, maxY }, canvas.current?.clientWidth ?? 600, canvas.current?.clientHeight ?? 400, focusX))
            }}
            minZoom={0.02}
            nodesDraggable={false}
            nodesConnectable={false}
            elementsSelectable={false}
            onlyRenderVisibleElements={model.nodes.length > 200}
            onNodeClick={(_, node) => onSelectSpans(model.spansOf(node.id))}
            proOptions={{ hideAttribution: true }}
          >
            <Background gap={24} size={1} color="#e2e8f0" />
            <Controls showInteractive={false} />
          </ReactFlow>
        )}
      </div>
    </div>
  )
}
