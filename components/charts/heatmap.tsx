'use client'

// An hour x weekday heatmap of one metric: rows are weekdays (Monday first), columns hours of
// the day in the chosen time zone. A colour scale legend gives the metric's range in its units;
// hovering a cell shows its value and how many requests it rests on.
import { useState } from 'react'
import { formatCount } from '@/lib/format'

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']

export interface HeatCell {
  weekday: number
  hour: number
  value: number | null
  requests: number
}

/** White to deep blue; `higher is worse` metrics use white to deep red. */
function color(t: number, worse: boolean): string {
  const clamp = Math.max(0, Math.min(1, t))
  const [r, g, b] = worse ? [220 - 70 * clamp, 230 - 200 * clamp, 235 - 200 * clamp] : [235 - 210 * clamp, 242 - 150 * clamp, 250 - 60 * clamp]
  return `rgb(${Math.round(r)}, ${Math.round(g)}, ${Math.round(b)})`
}

export function Heatmap({ cells, tz, metricLabel, format, higherIsWorse }: { cells: HeatCell[]; tz: string; metricLabel: string; format: (value: number) => string; higherIsWorse: boolean }) {
  const [hover, setHover] = useState<HeatCell | undefined>()
  const values = cells.flatMap((c) => (c.value === null ? [] : [c.value]))
  const min = values.length > 0 ? Math.min(...values) : 0
  const max = values.length > 0 ? Math.max(...values) : 1
  const scale = (value: number) => (max > min ? (value - min) / (max - min) : 0.5)
  const at = (weekday: number, hour: number) => cells.find((c) => c.weekday === weekday && c.hour === hour)
  return (
    <div className="space-y-2" data-testid="heatmap">
      <div className="flex items-stretch gap-2">
        <div className="flex w-10 flex-col items-center justify-center">
          <span className="-rotate-90 whitespace-nowrap text-[11px] text-slate-500">Weekday</span>
        </div>
        <div className="flex-1">
          <div className="grid gap-px" style={{ gridTemplateColumns: '2.5rem repeat(24, minmax(0, 1fr))' }}>
            {WEEKDAYS.map((name, index) => (
              <div key={name} className="contents">
                <div className="pr-1 text-right text-[11px] leading-6 text-slate-600">{name}</div>
                {Array.from({ length: 24 }, (_, hour) => {
                  const cell = at(index + 1, hour)
                  const value = cell?.value ?? null
                  const label = value === null ? '' : format(value)
                  const dark = value !== null && scale(value) > 0.55
                  return (
                    <div
                      key={hour}
                      className={`flex h-6 items-center justify-center overflow-hidden rounded-sm border border-white text-[9px] tabular-nums leading-none ${dark ? 'text-white' : 'text-slate-700'}`}
                      style={{ background: value === null ? '#f1f5f9' : color(scale(value), higherIsWorse) }}
                      onMouseEnter={() => setHover(cell ?? { weekday: index + 1, hour, value: null, requests: 0 })}
                      onMouseLeave={() => setHover(undefined)}
                      title={`${name} ${String(hour).padStart(2, '0')}:00 ${tz}: ${value === null ? 'no data' : format(value)} (${formatCount(cell?.requests ?? 0)} requests)`}
                      data-testid="heat-cell"
                    >
                      {/* The value where it fits (short labels); the rest on hover. */}
                      {label.length <= 6 && <span className="pointer-events-none whitespace-nowrap">{label}</span>}
                    </div>
                  )
                })}
              </div>
            ))}
            <div />
            {Array.from({ length: 24 }, (_, hour) => (
              <div key={hour} className="text-center text-[10px] text-slate-500">
                {hour % 3 === 0 ? String(hour).padStart(2, '0') : ''}
              </div>
            ))}
          </div>
          <div className="mt-1 text-center text-[11px] text-slate-500">Hour of day ({tz})</div>
        </div>
      </div>
      <div className="flex flex-wrap items-center gap-3 text-xs text-slate-600">
        <span>{metricLabel}:</span>
        <span className="tabular-nums">{values.length > 0 ? format(min) : '—'}</span>
        <span className="h-3 w-40 rounded" style={{ background: `linear-gradient(to right, ${color(0, higherIsWorse)}, ${color(0.5, higherIsWorse)}, ${color(1, higherIsWorse)})` }} aria-label="colour scale" />
        <span className="tabular-nums">{values.length > 0 ? format(max) : '—'}</span>
        <span className="flex items-center gap-1">
          <span className="inline-block h-3 w-3 rounded-sm bg-slate-100" /> no data
        </span>
        <span className="ml-auto min-h-4 font-medium text-slate-800" data-testid="heat-tooltip">
          {hover
            ? `${WEEKDAYS[hover.weekday - 1]} ${String(hover.hour).padStart(2, '0')}:00: ${hover.value === null ? 'no data' : format(hover.value)} (${formatCount(hover.requests)} requests)`
            : 'Hover a cell for its value'}
        </span>
      </div>
    </div>
  )
}
