// What a shared view may show. A share token opens exactly one saved view: its page with its
// saved state. The rule: a share link shows what the saved view showed and nothing reachable by
// editing its URL. So every parameter that chooses *which data* is computed (time range,
// filters, grouping, the metric a chart aggregates, an entity to drill into such as one user's
// timeline) comes from the saved state alone; a visitor may set only parameters that re-arrange
// rows the view already holds (order, paging of the same list, visible columns, which span of
// the shared trace is selected). Nothing reaches another page, trace or project.
import type { SavedView } from '@/db/postgres/schema'

/**
 * URL parameters a visitor of a shared view may change. Each one only re-arranges data the view
 * already shows; add a parameter here only if that is true of it on every shareable page.
 */
export const SHARE_PRESENTATION_PARAMS = ['sort', 'order', 'cursor', 'cols', 'span'] as const

/** The search parameters a shared view renders with: the saved state, plus presentation. */
export function sharedViewSearch(view: Pick<SavedView, 'state'>, query: Record<string, string | string[] | undefined>): Record<string, string> {
  const search: Record<string, string> = {}
  for (const name of SHARE_PRESENTATION_PARAMS) {
    const value = query[name]
    if (typeof value === 'string' && value.length <= 2000) search[name] = value
  }
  return { ...search, ...view.state }
}

/** The trace a saved view shows, when it is a trace page of this project. */
export function viewTraceId(view: Pick<SavedView, 'path' | 'projectId'>): string | undefined {
  const prefix = `/projects/${view.projectId}/traces/`
  if (!view.path.startsWith(prefix)) return undefined
  const rest = view.path.slice(prefix.length)
  return rest && !rest.includes('/') ? decodeURIComponent(rest) : undefined
}

export function viewAllowsTrace(view: Pick<SavedView, 'path' | 'projectId'>, projectId: string, traceId: string): boolean {
  return view.projectId === projectId && viewTraceId(view) === traceId
}
