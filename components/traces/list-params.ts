// The traces list lives in its URL: the same parameter names as GET /api/v1/traces, plus `cols`
// for the visible columns. Helpers to read and change that state.
import { LIST_FILTER_PARAMS } from '@/lib/traces/list-filters'

export const LIST_FILTERS = LIST_FILTER_PARAMS
export type ListFilter = (typeof LIST_FILTERS)[number]

export const TRACE_COLUMNS = [
  { id: 'time', label: 'Time', sortable: true },
  { id: 'name', label: 'Name', sortable: false },
  { id: 'service', label: 'Service', sortable: false },
  { id: 'duration', label: 'Duration', sortable: true },
  { id: 'spans', label: 'Spans', sortable: true },
  { id: 'errors', label: 'Errors', sortable: true },
  { id: 'error', label: 'First error', sortable: false },
  { id: 'tenant', label: 'Tenant', sortable: false },
  { id: 'user', label: 'User', sortable: false },
  { id: 'session', label: 'Session', sortable: false },
  { id: 'models', label: 'Models', sortable: false },
  { id: 'tokens', label: 'Tokens', sortable: true },
  { id: 'cost', label: 'Cost', sortable: true },
] as const
export type TraceColumnId = (typeof TRACE_COLUMNS)[number]['id']

export const DEFAULT_COLUMNS: readonly TraceColumnId[] = ['time', 'name', 'service', 'duration', 'spans', 'errors', 'error', 'tenant', 'models', 'tokens', 'cost']

export function visibleColumns(cols: string | null | undefined): Set<TraceColumnId> {
  if (!cols) return new Set(DEFAULT_COLUMNS)
  const known = new Set<string>(TRACE_COLUMNS.map((c) => c.id))
  const chosen = cols.split(',').filter((id): id is TraceColumnId => known.has(id))
  return new Set(chosen.length > 0 ? chosen : DEFAULT_COLUMNS)
}

export function columnsParam(visible: ReadonlySet<TraceColumnId>): string | undefined {
  const ids = TRACE_COLUMNS.map((c) => c.id).filter((id) => visible.has(id))
  const isDefault = ids.length === DEFAULT_COLUMNS.length && ids.every((id) => DEFAULT_COLUMNS.includes(id))
  return isDefault ? undefined : ids.join(',')
}

/** A copy of `search` with `changes` applied (undefined or '' removes); the cursor is dropped. */
export function withParams(search: URLSearchParams, changes: Record<string, string | undefined>, keepCursor = false): URLSearchParams {
  const next = new URLSearchParams(search)
  if (!keepCursor) next.delete('cursor')
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined || value === '') next.delete(key)
    else next.set(key, value)
  }
  return next
}
