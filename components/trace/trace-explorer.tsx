'use client'

// One trace: the span tree with its waterfall on the left, and on the right either the selected
// span's inspector or the tool-call graph. Selecting a graph node (or a cycle) highlights its
// spans in the tree. The selected span, the right panel and the graph mode live in the URL
// (`span`, `panel`, `graph`), updated in place without reloading the trace.
import { useSearchParams } from 'next/navigation'
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { clampSize, ResizeHandle, useRememberedSize } from '@/components/ui/resize-handle'
import type { ExplorerTrace } from '@/lib/traces/explorer-model'
import { CallGraph, type GraphMode } from './call-graph'
import { SpanInspector } from './span-inspector'
import { subtreeEnds, visibleSpans } from '@/lib/traces/tree-rows'
import { SpanTree } from './span-tree'

type Panel = 'span' | 'graph'

// Default widths of the side panel per tab (a share of the window, at most PANEL_MAX px) and of
// the tree's span column; the user's drags are remembered per browser. Each side keeps at least
// its minimum whatever the window.
const PANEL_SHARE: Record<Panel, number> = { span: 0.38, graph: 0.4 }
const PANEL_MAX = 600
const PANEL_MIN = 320
const TREE_MIN = 360
/** The span column takes this share of the tree until the user sets its width. */
const NAME_SHARE = 0.68
const NAME_MIN = 200
const WATERFALL_MIN = 80

function writeUrl(changes: Record<string, string | undefined>) {
  const params = new URLSearchParams(window.location.search)
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) params.delete(key)
    else params.set(key, value)
  }
  const query = params.toString()
  window.history.replaceState(null, '', `${window.location.pathname}${query ? `?${query}` : ''}`)
}

export function TraceExplorer({ projectId, trace, missingBySpan = {} }: { projectId: string; trace: ExplorerTrace; missingBySpan?: Record<string, string[]> }) {
  const search = useSearchParams()
  const { spans } = trace
  const indexOf = useMemo(() => new Map(spans.map((span, i) => [span.id, i])), [spans])
  const ends = useMemo(() => subtreeEnds(spans), [spans])
  const cycleOfNode = useMemo(() => {
    const map = new Map<number, number>()
    trace.graph.cycles.forEach((cycle, c) => cycle.nodes.forEach((node) => map.set(node, c)))
    return map
  }, [trace])

  const initialSpan = () => {
    const fromUrl = search.get('span')
    if (fromUrl && indexOf.has(fromUrl)) return indexOf.get(fromUrl)!
    // At 2 AM the interesting span is where the first failure began: an errored span none of
    // whose children failed (the root of a failed trace usually only reports it).
    const failedChild = new Set(spans.flatMap((span) => (span.status === 'error' && span.parent >= 0 ? [span.parent] : [])))
    const failed = spans.findIndex((span, i) => span.status === 'error' && !failedChild.has(i))
    return spans.length === 0 ? undefined : failed >= 0 ? failed : 0
  }
  const [selected, setSelected] = useState<number | undefined>(initialSpan)
  const [highlighted, setHighlighted] = useState<ReadonlySet<number>>(new Set())
  const [collapsed, setCollapsed] = useState<ReadonlySet<number>>(new Set())
  const [panel, setPanel] = useState<Panel>(search.get('panel') === 'graph' ? 'graph' : 'span')
  const [graphMode, setGraphMode] = useState<GraphMode>(() => {
    const fromUrl = search.get('graph')
    // Aggregated first: one node per tool, agent or model stays readable at any trace size.
    return fromUrl === 'as-ran' ? 'as-ran' : 'aggregated'
  })
  const box = useRef<HTMLDivElement>(null)
  // 0: not set by the user (a share of the window).
  const [spanPanelWidth, setSpanPanelWidth] = useRememberedSize('flightline.trace.panel-width.span', 0)
  const [graphPanelWidth, setGraphPanelWidth] = useRememberedSize('flightline.trace.panel-width.graph', 0)
  // 0: not set by the user (a share of the tree's width).
  const [spanNameWidth, setSpanNameWidth] = useRememberedSize('flightline.trace.name-width.span', 0)
  const [graphNameWidth, setGraphNameWidth] = useRememberedSize('flightline.trace.name-width.graph', 0)
  const [boxWidth, setBoxWidth] = useState(1440)
  useEffect(() => {
    if (!box.current) return
    const observer = new ResizeObserver(([entry]) => setBoxWidth(entry.contentRect.width))
    observer.observe(box.current)
    return () => observer.disconnect()
  }, [])
  const containerWidth = () => boxWidth
  const panelWidth = clampSize((panel === 'span' ? spanPanelWidth : graphPanelWidth) || Math.min(PANEL_MAX, containerWidth() * PANEL_SHARE[panel]), PANEL_MIN, containerWidth() - TREE_MIN)
  const resizePanel = (dx: number) => (panel === 'span' ? setSpanPanelWidth : setGraphPanelWidth)(clampSize(panelWidth - dx, PANEL_MIN, containerWidth() - TREE_MIN))
  const treeWidth = containerWidth() - panelWidth
  const nameWidth = clampSize((panel === 'span' ? spanNameWidth : graphNameWidth) || treeWidth * NAME_SHARE, NAME_MIN, treeWidth - WATERFALL_MIN)
  const resizeName = (dx: number) => (panel === 'span' ? setSpanNameWidth : setGraphNameWidth)(clampSize(nameWidth + dx, NAME_MIN, treeWidth - WATERFALL_MIN))
  const [scrollRequest, setScrollRequest] = useState(1)

  const visible = useMemo(() => visibleSpans(spans, ends, collapsed), [spans, ends, collapsed])

  const select = useCallback(
    (index: number) => {
      setSelected(index)
      writeUrl({ span: spans[index].id })
    },
    [spans],
  )

  /** Opens every collapsed ancestor of these spans, so they are visible in the tree. */
  const reveal = useCallback(
    (indices: number[]) => {
      setCollapsed((current) => {
        if (current.size === 0) return current
        const next = new Set(current)
        for (const index of indices) for (let p = spans[index].parent; p >= 0; p = spans[p].parent) next.delete(p)
        return next
      })
    },
    [spans],
  )

  const selectSpans = useCallback(
    (indices: number[]) => {
      if (indices.length === 0) return
      setHighlighted(new Set(indices))
      reveal(indices)
      select(indices[0])
      setScrollRequest((n) => n + 1)
    },
    [reveal, select],
  )

  const toggle = useCallback((index: number, open?: boolean) => {
    setCollapsed((current) => {
      const next = new Set(current)
      const shouldOpen = open ?? next.has(index)
      if (shouldOpen) next.delete(index)
      else next.add(index)
      return next
    })
  }, [])

  const collapseToDepth = (depth: number) => setCollapsed(new Set(spans.flatMap((span, i) => (span.depth >= depth && span.children > 0 ? [i] : []))))
  const highlightList = useMemo(() => [...highlighted].sort((a, b) => a - b), [highlighted])
  const step = (direction: 1 | -1) => {
    if (highlightList.length === 0) return
    const at = selected === undefined ? -1 : highlightList.indexOf(selected)
    const next = highlightList[(at + direction + highlightList.length) % highlightList.length]
    select(next)
    setScrollRequest((n) => n + 1)
  }
  const highlightLabel = highlightList.length > 0 ? trace.graph.nodes[spans[highlightList[0]].node] : undefined
  const sameNode = highlightList.every((i) => spans[i].node === spans[highlightList[0]].node)

  const setPanelAndUrl = (next: Panel) => {
    setPanel(next)
    writeUrl({ panel: next === 'graph' ? 'graph' : undefined })
  }

  return (
    <div className="flex min-h-0 flex-1" ref={box}>
      <div className="flex min-w-0 flex-1 flex-col bg-white">
        <div className="flex h-9 shrink-0 items-center gap-2 border-b border-slate-200 px-3 text-xs text-slate-600">
          <span>
            {visible.length === spans.length ? `${spans.length.toLocaleString('en-US')} spans` : `${visible.length.toLocaleString('en-US')} of ${spans.length.toLocaleString('en-US')} spans shown`}
          </span>
          <button type="button" className="rounded px-1.5 py-0.5 hover:bg-slate-100" onClick={() => setCollapsed(new Set())}>
            Expand all
          </button>
          <button type="button" className="rounded px-1.5 py-0.5 hover:bg-slate-100" onClick={() => collapseToDepth(1)}>
            Collapse to top level
          </button>
          {highlightList.length > 0 && (
            <span className="ml-auto flex items-center gap-1 rounded bg-yellow-100 px-2 py-0.5 text-yellow-900" data-testid="highlight-bar">
              {highlightList.length} span{highlightList.length === 1 ? '' : 's'}
              {sameNode && highlightLabel ? ` of ${highlightLabel.label}` : ''} highlighted
              <button type="button" className="rounded px-1 hover:bg-yellow-200" onClick={() => step(-1)} aria-label="Previous highlighted span">
                ‹
              </button>
              <button type="button" className="rounded px-1 hover:bg-yellow-200" onClick={() => step(1)} aria-label="Next highlighted span">
                ›
              </button>
              <button type="button" className="rounded px-1 hover:bg-yellow-200" onClick={() => setHighlighted(new Set())}>
                clear
              </button>
            </span>
          )}
        </div>
        <SpanTree
          spans={spans}
          visible={visible}
          traceDurationMs={trace.durationMs}
          selected={selected}
          highlighted={highlighted}
          collapsed={collapsed}
          cycleOfNode={cycleOfNode}
          scrollRequest={scrollRequest}
          nameWidth={nameWidth}
          onNameWidthChange={resizeName}
          onSelect={select}
          onToggle={toggle}
        />
      </div>
      <ResizeHandle label="Resize the side panel" onResize={resizePanel} />
      <aside className="flex shrink-0 flex-col border-l border-slate-200 bg-white" style={{ width: panelWidth, minWidth: PANEL_MIN }} data-testid="side-panel">
        <div className="flex h-9 shrink-0 items-end gap-1 border-b border-slate-200 px-2" role="tablist">
          {(['span', 'graph'] as const).map((tab) => (
            <button
              key={tab}
              type="button"
              role="tab"
              aria-selected={panel === tab}
              onClick={() => setPanelAndUrl(tab)}
              className={`rounded-t px-3 py-1.5 text-sm ${panel === tab ? 'border border-b-white border-slate-200 bg-white font-medium text-slate-900' : 'text-slate-500 hover:text-slate-900'}`}
            >
              {tab === 'span' ? 'Span' : `Graph${trace.graph.cycles.length > 0 ? ` · ${trace.graph.cycles.length} cycle${trace.graph.cycles.length === 1 ? '' : 's'}` : ''}`}
            </button>
          ))}
        </div>
        {panel === 'span' ? (
          selected === undefined ? (
            <p className="p-4 text-sm text-slate-500">Select a span.</p>
          ) : (
            <SpanInspector projectId={projectId} traceId={trace.traceId} outline={spans[selected]} missing={missingBySpan[spans[selected].id]} />
          )
        ) : (
          <CallGraph
            trace={trace}
            mode={graphMode}
            onModeChange={(mode) => {
              setGraphMode(mode)
              writeUrl({ graph: mode })
            }}
            selectedSpan={selected}
            onSelectSpans={selectSpans}
          />
        )}
      </aside>
    </div>
  )
}
