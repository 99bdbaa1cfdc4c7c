'use client'

// Incidents on every time axis: the project's open and recent incidents, given once by the
// project's layout, drawn as bands on each time chart whose range they overlap (an open incident
// runs to the chart's right edge).
import { createContext, useContext } from 'react'

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
