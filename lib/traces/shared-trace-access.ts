// Which traces a share link opens. A link to one trace opens that trace. A link to a traces list
// opens the traces in that list - read-only, within the view's saved filters and time range, and
// nothing else: a trace outside them is refused as if it did not exist.
import { listTracesInputSchema } from '@/db/clickhouse/queries/traces'
import type { SavedView } from '@/db/postgres/schema'
import { resolveRange, InvalidRangeError } from '@/lib/time/range'
import { viewAllowsTrace } from '@/lib/views/share-scope'
import { LIST_FILTER_PARAMS } from './list-filters'
import { listIncludesTrace } from './list-traces'

export function isTracesListView(view: Pick<SavedView, 'path' | 'projectId'>): boolean {
  return view.path === `/projects/${view.projectId}/traces`
}

export async function sharedViewOpensTrace(view: Pick<SavedView, 'path' | 'projectId' | 'state'>, projectId: string, traceId: string): Promise<boolean> {
  if (viewAllowsTrace(view, projectId, traceId)) return true
  if (view.projectId !== projectId || !isTracesListView(view)) return false
  let range
  try {
    range = resolveRange({ range: view.state.range, from: view.state.from, to: view.state.to })
  } catch (error) {
    if (error instanceof InvalidRangeError) return false
    throw error
  }
  const filters = Object.fromEntries(LIST_FILTER_PARAMS.flatMap((name) => (view.state[name] ? [[name, view.state[name]]] : [])))
  const parsed = listTracesInputSchema.safeParse({ ...filters, from: range.from.toISOString(), to: range.to.toISOString() })
  if (!parsed.success) return false
  return listIncludesTrace(projectId, parsed.data, traceId)
}
