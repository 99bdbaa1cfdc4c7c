'use client'

// The span tree with its waterfall beside it: one virtualized row per visible span, so a
// 10,000-span trace scrolls as smoothly as a 10-span one. Nesting is shown by indentation and
// guide lines; a subtree collapses from its chevron (or the arrow keys).
import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useMemo, useRef, useState } from 'react'
import { ResizeHandle } from '@/components/ui/resize-handle'
import { formatDuration } from '@/lib/format'
import type { ExplorerSpan } from '@/lib/traces/explorer-model'
import { treeIndent } from '@/lib/traces/tree-rows'
import { CYCLE_COLORS, kindStyle } from './span-kinds'

const ROW_HEIGHT = 26
const INDENT = 12
const STATUS_DOT: Record<ExplorerSpan['status'], { className: string; label: string }> = {
  ok: { className: 'bg-emerald-500', label: 'status ok' },
  unset: { className: 'bg-slate-300', label: 'status unset' },
  error: { className: 'bg-red-600', label: 'status error' },
}

/** Tick positions of the waterfall's axis: fewer where it is narrow, so labels never overlap. */
function ticks(durationMs: number, widthPx: number): number[] {
  const fractions = widthPx < 200 ? [0, 1] : widthPx < 360 ? [0, 0.5, 1] : [0, 0.25, 0.5, 0.75, 1]
  return fractions.map((f) => f * durationMs)
}

export function SpanTree({
  spans,
  visible,
  traceDurationMs,
  selected,
  highlighted,
  collapsed,
  cycleOfNode,
  scrollRequest,
  nameWidth,
  onNameWidthChange,
  onSelect,
  onToggle,
}: {
  spans: readonly ExplorerSpan[]
  visible: number[]
  traceDurationMs: number
  selected: number | undefined
  highlighted: ReadonlySet<number>
  collapsed: ReadonlySet<number>
  cycleOfNode: ReadonlyMap<number, number>
  /** Bumped by the parent to scroll the selected span into view. */
  scrollRequest: number
  /** Width of the span column in px (the waterfall takes the rest). */
  nameWidth: number
  onNameWidthChange: (dx: number) => void
  onSelect: (span: number) => void
  onToggle: (span: number, open?: boolean) => void
}) {
  const scroller = useRef<HTMLDivElement>(null)
  const axis = useRef<HTMLDivElement>(null)
  const [axisWidth, setAxisWidth] = useState(600)
  useEffect(() => {
    if (!axis.current) return
    const observer = new ResizeObserver(([entry]) => setAxisWidth(entry.contentRect.width))
    observer.observe(axis.current)
    return () => observer.disconnect()
  }, [])
  const positionOf = useMemo(() => {
    const map = new Map<number, number>()
    visible.forEach((span, row) => map.set(span, row))
    return map
  }, [visible])
  const virtualizer = useVirtualizer({ count: visible.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 24 })

  useEffect(() => {
    if (selected === undefined) return
    const row = positionOf.get(selected)
    if (row !== undefined) virtualizer.scrollToIndex(row, { align: 'auto' })
    // Only when asked (a selection from elsewhere), not on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [scrollRequest])

  const duration = Math.max(traceDurationMs, 0.001)
  const onKeyDown = (event: React.KeyboardEvent) => {
    if (selected === undefined) return
    const row = positionOf.get(selected) ?? 0
    const move = (to: number) => {
      const target = visible[Math.max(0, Math.min(visible.length - 1, to))]
      onSelect(target)
      virtualizer.scrollToIndex(positionOf.get(target)!, { align: 'auto' })
    }
    if (event.key === 'ArrowDown') move(row + 1)
    else if (event.key === 'ArrowUp') move(row - 1)
    else if (event.key === 'ArrowLeft') {
      if (spans[selected].children > 0 && !collapsed.has(selected)) onToggle(selected, false)
      else if (spans[selected].parent >= 0) move(positionOf.get(spans[selected].parent)!)
    } else if (event.key === 'ArrowRight' && collapsed.has(selected)) onToggle(selected, true)
    else return
    event.preventDefault()
  }

  return (
    <div className="flex h-full min-h-0 flex-col" data-testid="span-tree">
      <div className="flex h-7 shrink-0 border-b border-slate-200 bg-slate-50 text-[11px] uppercase tracking-wide text-slate-500">
        <div className="flex shrink-0 items-center px-2" style={{ width: nameWidth }}>
          Span
        </div>
        <ResizeHandle label="Resize the span column" onResize={onNameWidthChange} className="-ml-1.5" />
        <div className="relative flex-1" data-testid="timeline-axis" ref={axis}>
          {ticks(duration, axisWidth).map((t, i, all) => (
            <span
              key={i}
              className="absolute top-1.5 whitespace-nowrap normal-case tabular-nums"
              style={{ left: `${(t / duration) * 100}%`, transform: i === all.length - 1 ? 'translateX(-100%)' : i === 0 ? undefined : 'translateX(-50%)', paddingLeft: i === 0 ? 4 : 0, paddingRight: i === all.length - 1 ? 6 : 0 }}
            >
              {t === 0 ? '0' : formatDuration(t)}
            </span>
          ))}
        </div>
      </div>
      <div ref={scroller} className="min-h-0 flex-1 overflow-auto outline-none" tabIndex={0} onKeyDown={onKeyDown} aria-label="Spans" role="tree">
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const index = visible[item.index]
            const span = spans[index]
            const style = kindStyle(span.kind)
            const indent = treeIndent(span.depth)
            const cycle = cycleOfNode.get(span.node)
            const isSelected = index === selected
            const left = (span.startMs / duration) * 100
            const width = Math.max((span.durationMs / duration) * 100, 0.15)
            return (
              <div
                key={index}
                role="treeitem"
                aria-selected={isSelected}
                aria-expanded={span.children > 0 ? !collapsed.has(index) : undefined}
                aria-level={span.depth + 1}
                data-testid="span-row"
                data-span-id={span.id}
                data-highlighted={highlighted.has(index) ? 'true' : undefined}
                onClick={() => onSelect(index)}
                className={`absolute left-0 top-0 flex w-full cursor-pointer text-[13px] ${
                  isSelected ? 'bg-blue-100' : highlighted.has(index) ? 'bg-yellow-100' : item.index % 2 ? 'bg-white hover:bg-slate-50' : 'bg-slate-50/40 hover:bg-slate-50'
                }`}
                style={{ height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
              >
                <div className="relative flex shrink-0 items-center gap-1 overflow-hidden border-r border-slate-100 pr-2" style={{ width: nameWidth, paddingLeft: 4 + indent.levels * INDENT }}>
                  {Array.from({ length: indent.levels }, (_, d) => (
                    <span key={d} aria-hidden className={`absolute bottom-0 top-0 border-l ${indent.depthLabel !== undefined && d === indent.levels - 1 ? 'border-dashed border-slate-400' : 'border-slate-200'}`} style={{ left: 10 + d * INDENT }} />
                  ))}
                  {span.children > 0 ? (
                    <button
                      type="button"
                      aria-label={collapsed.has(index) ? 'Expand' : 'Collapse'}
                      onClick={(event) => {
                        event.stopPropagation()
                        onToggle(index)
                      }}
                      className="z-10 flex h-4 w-4 shrink-0 items-center justify-center rounded text-slate-500 hover:bg-slate-200"
                    >
                      <svg viewBox="0 0 8 8" className={`h-2 w-2 fill-current transition-transform ${collapsed.has(index) ? '' : 'rotate-90'}`} aria-hidden>
                        <path d="M2 1l4 3-4 3z" />
                      </svg>
                    </button>
                  ) : (
                    <span className="w-4 shrink-0" />
                  )}
                  {indent.depthLabel !== undefined && (
                    <span className="z-10 shrink-0 rounded bg-slate-200 px-1 text-[10px] font-semibold tabular-nums leading-4 text-slate-700" title={`Depth ${indent.depthLabel} (indentation stops at ${indent.levels} levels)`} data-testid="span-depth">
                      {indent.depthLabel}
                    </span>
                  )}
                  <span className={`shrink-0 rounded px-1 text-[9px] font-semibold leading-4 ${style.chip}`}>{style.label}</span>
                  <span
                    className={`min-w-[2.5rem] flex-1 truncate ${span.status === 'error' ? 'font-medium text-red-700' : 'text-slate-800'}`}
                    title={`${span.name}${span.model ? ` · ${span.model}` : ''} · depth ${span.depth}`}
                    data-testid="span-name"
                  >
                    {span.name}
                  </span>
                  {span.children > 0 && collapsed.has(index) && <span className="shrink-0 text-[11px] text-slate-400">+{span.children}</span>}
                  {span.attempt && (
                    <span
                      className={`shrink-0 rounded px-1 text-[10px] font-semibold ${span.attempt.reason === 'schema' ? 'bg-fuchsia-100 text-fuchsia-800' : 'bg-orange-100 text-orange-800'}`}
                      title={`${span.attempt.reason === 'schema' ? 'Schema re-prompt' : 'Retry'}: attempt ${span.attempt.n} of ${span.attempt.of}`}
                      data-testid="span-attempt"
                    >
                      {span.attempt.reason === 'schema' ? 'schema ' : ''}
                      {span.attempt.n}/{span.attempt.of}
                    </span>
                  )}
                  {cycle !== undefined && (
                    <span className="shrink-0 text-[11px] font-bold" style={{ color: CYCLE_COLORS[cycle % CYCLE_COLORS.length] }} title="On a cycle of the call graph" data-testid="cycle-mark">
                      ↻
                    </span>
                  )}
                  {span.status === 'error' ? (
                    <span className="shrink-0 rounded bg-red-100 px-1 text-[10px] font-semibold text-red-700" data-testid="span-status" data-status="error">
                      ERR
                    </span>
                  ) : (
                    <span className={`h-2 w-2 shrink-0 rounded-full ${STATUS_DOT[span.status].className}`} title={STATUS_DOT[span.status].label} aria-label={STATUS_DOT[span.status].label} data-testid="span-status" data-status={span.status} />
                  )}
                  {span.cut && (
                    <span className="shrink-0 rounded bg-amber-100 px-1 text-[10px] font-semibold text-amber-800" title="A payload was cut at ingest">
                      CUT
                    </span>
                  )}
                  <span className="shrink-0 pl-1 text-[11px] tabular-nums text-slate-500" data-testid="span-duration">
                    {formatDuration(span.durationMs)}
                  </span>
                </div>
                <div className="relative min-w-0 flex-1">
                  <div
                    className={`absolute top-[7px] h-3 rounded-sm ${span.status === 'error' ? 'bg-red-500' : style.bar} ${isSelected ? 'ring-2 ring-blue-500' : ''}`}
                    // A short span at the very end of a long trace keeps its 2 px inside the column.
                    style={{ left: `min(${left}%, calc(100% - 2px))`, width: `${width}%`, minWidth: 2 }}
                    data-testid="timeline-bar"
                  />
                </div>
              </div>
            )
          })}
        </div>
      </div>
    </div>
  )
}
