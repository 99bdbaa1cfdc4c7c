// What a shared view may show. A share token opens exactly one saved view: its page with its
// saved filters and time range. Within that, only presentation may change (sorting, paging of
// the same list, visible columns); nothing reaches another page, trace or project.
import type { SavedView } from '@/db/postgres/schema'

/** URL parameters a visitor of a shared view may change: how the view's own data is shown. */
// `user` opens one switcher's timeline on a shared routing view: part of that view's data.
export const SHARE_PRESENTATION_PARAMS = ['sort', 'order', 'cursor', 'cols', 'tab', 'mode', 'metric', 'span', 'user'] as const

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
