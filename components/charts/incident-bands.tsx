'use client'

// Incidents on every time axis: the project's open and recent incidents, given once by the
// project's layout, drawn as bands on each time chart whose range they overlap (an open incident
// runs to the chart's right edge).
import { useSearchParams } from 'next/navigation'
import { createContext, useContext } from 'react'
import { resolveRange } from '@/lib/time/range'

export interface IncidentMark {
  id: string
  /** ms since the epoch; `to` null while the incident is open. */
  from: number
  to: number | null
  label: string
}

const IncidentMarksContext = createContext<readonly IncidentMark[]>([])

export function IncidentMarksProvider({ marks, children }: { marks: readonly IncidentMark[]; children: React.ReactNode }) {
  return <IncidentMarksContext.Provider value={marks}>{children}</IncidentMarksContext.Provider>
}

/** The incidents that overlap a chart's range, clipped to it. */
export function useIncidentMarks(range: { from: number; to: number }): Array<{ from: number; to: number; label: string }> {
  const marks = useContext(IncidentMarksContext)
  return marks
    .filter((mark) => mark.from < range.to && (mark.to ?? range.to) > range.from)
    .map((mark) => ({ from: Math.max(mark.from, range.from), to: Math.min(mark.to ?? range.to, range.to), label: mark.label }))
}

/**
 * The incidents that overlap the page's time range (read from the URL as every view does), on a
 * strip under the page header: for pages whose charts are not over time, and a list to name them.
 */
export function IncidentStrip() {
  const search = useSearchParams()
  let range: { from: number; to: number }
  try {
    const resolved = resolveRange({ range: search.get('range'), from: search.get('from'), to: search.get('to') }, '24h')
    range = { from: resolved.from.getTime(), to: resolved.to.getTime() }
  } catch {
    return null
  }
  return <IncidentStripFor range={range} />
}

function IncidentStripFor({ range }: { range: { from: number; to: number } }) {
  const marks = useIncidentMarks(range)
  if (marks.length === 0) return null
  const span = range.to - range.from
  const clock = (t: number) => new Date(t).toISOString().slice(5, 16).replace('T', ' ')
  return (
    <div className="w-full space-y-1 rounded border border-orange-200 bg-orange-50/60 px-3 py-2 text-xs" data-testid="incident-strip">
      <div className="flex items-center gap-2">
        <span className="shrink-0 font-medium text-orange-900">
          {marks.length} incident{marks.length === 1 ? '' : 's'} in this range
        </span>
        <div className="relative h-3 flex-1 rounded bg-white ring-1 ring-orange-200" aria-hidden>
          {marks.map((mark, i) => (
            <div
              key={i}
              className="absolute top-0 h-3 rounded-sm bg-orange-400/70"
              style={{ left: `${((mark.from - range.from) / span) * 100}%`, width: `max(3px, ${((mark.to - mark.from) / span) * 100}%)` }}
              title={`${mark.label}: ${clock(mark.from)} - ${clock(mark.to)} UTC`}
            />
          ))}
        </div>
        <span className="shrink-0 text-slate-500">
          {clock(range.from)} - {clock(range.to)} UTC
        </span>
      </div>
      <ul className="flex flex-wrap gap-x-4 text-orange-900">
        {marks.slice(0, 6).map((mark, i) => (
          <li key={i}>
            {mark.label} · {clock(mark.from)} UTC
          </li>
        ))}
      </ul>
    </div>
  )
}
