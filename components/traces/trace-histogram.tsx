'use client'

// Matching traces over the list's range, errors in red on top of the rest: click a bar to zoom
// the range to it, or drag across bars to zoom to them. The zoom is an absolute from/to in the
// URL, like any other range.
import { usePathname, useRouter, useSearchParams } from 'next/navigation'
import { useState } from 'react'
import { timeTicks, timeTick } from '@/components/charts/chart-format'
import { formatCount } from '@/lib/format'
import { replaceRange } from '@/lib/time/range-params'
import { roundTicks, zoomRange, type HistogramBucket } from '@/lib/traces/histogram'

const HEIGHT = 96
const AXIS_LEFT = 40
const AXIS_BOTTOM = 18
const TOP = 6

export function TraceHistogram({ buckets, bucketSeconds, from, to, interactive = true }: { buckets: HistogramBucket[]; bucketSeconds: number; from: string; to: string; interactive?: boolean }) {
  const router = useRouter()
  const pathname = usePathname()
  const search = useSearchParams()
  const [drag, setDrag] = useState<{ a: number; b: number } | undefined>()
  const [width, setWidth] = useState(1000)
  const max = Math.max(1, ...buckets.map((b) => b.traces))
  const ticks = roundTicks(max, 3, 1)
  const top = ticks[ticks.length - 1]
  const plotW = Math.max(1, width - AXIS_LEFT - 8)
  const plotH = HEIGHT - AXIS_BOTTOM - TOP
  const barW = plotW / Math.max(1, buckets.length)
  const y = (v: number) => TOP + plotH - (v / top) * plotH
  const start = buckets[0]?.t ?? new Date(from).getTime()
  const span = buckets.length * bucketSeconds * 1000
  const x = (t: number) => AXIS_LEFT + ((t - start) / span) * plotW
  const timeRange = { from: new Date(from).getTime(), to: new Date(to).getTime() }
  const format = timeTick(timeRange.to - timeRange.from)
  const indexAt = (clientX: number, rect: DOMRect) => Math.max(0, Math.min(buckets.length - 1, Math.floor((clientX - rect.left - AXIS_LEFT) / barW)))
  const zoom = (a: number, b: number) => {
    const range = zoomRange(buckets, bucketSeconds, a, b, new Date(from), new Date(to))
    router.push(`${pathname}?${replaceRange(new URLSearchParams(search), range)}`)
  }
  const selected = drag ? [Math.min(drag.a, drag.b), Math.max(drag.a, drag.b)] : undefined
  const totalTraces = buckets.reduce((n, b) => n + b.traces, 0)
  const totalErrors = buckets.reduce((n, b) => n + b.errors, 0)

  return (
    <figure className="rounded border border-slate-200 bg-white px-2 pt-1" data-testid="trace-histogram">
      <figcaption className="flex items-center gap-3 px-1 text-[11px] text-slate-500">
        <span>
          <span className="mr-1 inline-block h-2 w-2 rounded-sm bg-slate-400 align-middle" />
          traces
        </span>
        <span>
          <span className="mr-1 inline-block h-2 w-2 rounded-sm bg-red-500 align-middle" />
          with errors
        </span>
        <span>per {bucketSeconds >= 86400 ? `${bucketSeconds / 86400} d` : bucketSeconds >= 3600 ? `${bucketSeconds / 3600} h` : `${bucketSeconds / 60} min`} (UTC)</span>
        {interactive && <span className="ml-auto">click a bar or drag across bars to zoom</span>}
      </figcaption>
      <svg
        ref={(node) => {
          if (node && Math.abs(node.clientWidth - width) > 1) setWidth(node.clientWidth)
        }}
        width="100%"
        height={HEIGHT}
        role="img"
        aria-label={`${formatCount(totalTraces)} traces, ${formatCount(totalErrors)} with errors, over the range`}
        className={interactive ? 'cursor-crosshair select-none' : ''}
        onPointerDown={
          interactive
            ? (event) => {
                const i = indexAt(event.clientX, event.currentTarget.getBoundingClientRect())
                event.currentTarget.setPointerCapture(event.pointerId)
                setDrag({ a: i, b: i })
              }
            : undefined
        }
        onPointerMove={interactive ? (event) => drag && setDrag({ a: drag.a, b: indexAt(event.clientX, event.currentTarget.getBoundingClientRect()) }) : undefined}
        onPointerUp={
          interactive
            ? () => {
                if (drag) zoom(drag.a, drag.b)
                setDrag(undefined)
              }
            : undefined
        }
      >
        {ticks.map((tick) => (
          <g key={tick}>
            <line x1={AXIS_LEFT} x2={AXIS_LEFT + plotW} y1={y(tick)} y2={y(tick)} stroke="#e2e8f0" />
            <text x={AXIS_LEFT - 4} y={y(tick)} dy="0.32em" textAnchor="end" fontSize={10} fill="#64748b">
              {formatCount(tick)}
            </text>
          </g>
        ))}
        {selected && <rect x={AXIS_LEFT + selected[0] * barW} y={TOP} width={(selected[1] - selected[0] + 1) * barW} height={plotH} fill="#bfdbfe" opacity={0.6} />}
        {buckets.map((b, i) => {
          // The last bucket may end after the range does: drawn lighter and labelled partial, so
          // its shorter bar does not read as a drop.
          const partial = b.t + bucketSeconds * 1000 > timeRange.to
          const bx = AXIS_LEFT + i * barW + (barW > 4 ? 1 : 0)
          const bw = Math.max(1, barW - (barW > 4 ? 2 : 0))
          return (
            <g key={b.t} data-testid="histogram-bar">
              <title>{`${new Date(b.t).toISOString().slice(0, 16).replace('T', ' ')} UTC: ${formatCount(b.traces)} traces, ${formatCount(b.errors)} with errors${partial ? ' (partial: the range ends inside this bucket)' : ''}`}</title>
              <rect x={AXIS_LEFT + i * barW} y={TOP} width={barW} height={plotH} fill="transparent" />
              {b.traces > 0 && <rect x={bx} y={y(b.traces)} width={bw} height={y(0) - y(b.traces)} fill="#94a3b8" opacity={partial ? 0.45 : 1} />}
              {b.errors > 0 && <rect x={bx} y={y(b.errors)} width={bw} height={y(0) - y(b.errors)} fill="#ef4444" opacity={partial ? 0.45 : 1} />}
              {partial && (
                <rect x={bx} y={TOP} width={bw} height={plotH} fill="none" stroke="#94a3b8" strokeDasharray="2 2" data-testid="histogram-partial" />
              )}
            </g>
          )
        })}
        {timeTicks(timeRange, Math.max(2, Math.floor(plotW / 110))).map((t) => (
          // A label at the right end is drawn leftwards of its tick, so it is not cut off.
          <text key={t} x={x(t)} y={HEIGHT - 4} textAnchor={x(t) > AXIS_LEFT + plotW - 40 ? 'end' : 'middle'} fontSize={10} fill="#64748b">
            {format(t)}
          </text>
        ))}
        <line x1={AXIS_LEFT} x2={AXIS_LEFT + plotW} y1={y(0)} y2={y(0)} stroke="#94a3b8" />
      </svg>
    </figure>
  )
}
