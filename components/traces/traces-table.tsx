'use client'

// The traces list: a react-table over one page of server-side rows. Sorting, filtering and
// paging happen in the query (the URL changes, the server answers); the table only renders.
import Link from 'next/link'
import { usePathname, useRouter, useSearchParams } from 'next/navigation'
import { useEffect, useMemo, useRef, useState } from 'react'
import {
  createColumnHelper,
  flexRender,
  getCoreRowModel,
  useReactTable,
  type ColumnDef,
  type SortingState,
  type Updater,
  type VisibilityState,
} from '@tanstack/react-table'
import { CostValue } from '@/components/ui/cost-value'
import { formatCount, formatDuration } from '@/lib/format'
import { hrefWithRange } from '@/lib/time/range-params'
import type { ApiTraceSummary } from '@/lib/traces/span-api'
import { useShareToken } from '@/components/share/share-context'
import { HeaderCell } from '@/components/ui/header-cell'
import { CycleBadge } from './cycle-badge'
import { columnsParam, TRACE_COLUMNS, visibleColumns, withParams, type TraceColumnId } from './list-params'

const column = createColumnHelper<ApiTraceSummary>()
// Only the columns the list query can sort by.
const SORTABLE = new Set<string>(TRACE_COLUMNS.filter((c) => c.sortable).map((c) => c.id))
const dash = <span className="text-slate-300">—</span>

function shortTime(iso: string): string {
  return iso.slice(5, 19).replace('T', ' ')
}

export function TracesTable({ projectId, rows, nextCursor }: { projectId: string; rows: ApiTraceSummary[]; nextCursor: string | null }) {
  const search = useSearchParams()
  const router = useRouter()
  const pathname = usePathname()
  // A shared list opens its traces through the share link, read-only (and only those in it).
  const shareToken = useShareToken()
  const shared = shareToken !== null
  const sort = search.get('sort') ?? 'time'
  const order = search.get('order') ?? 'desc'
  // Column choice is only presentation: it changes at once and is written to the URL in place,
  // without asking the server again.
  const colsParam = search.get('cols')
  const [visible, setVisible] = useState(() => visibleColumns(colsParam))
  useEffect(() => setVisible(visibleColumns(colsParam)), [colsParam])
  // The trace link keeps the list's time range, so "back to traces" returns to the same window.
  const traceHref = (traceId: string) =>
    shareToken !== null ? `/s/${encodeURIComponent(shareToken)}/traces/${encodeURIComponent(traceId)}` : hrefWithRange(`/projects/${projectId}/traces/${encodeURIComponent(traceId)}`, search)

  // Two traces picked for comparison, in the order they were picked (A, then B).
  const [picked, setPicked] = useState<string[]>([])
  const togglePick = (traceId: string) => setPicked((current) => (current.includes(traceId) ? current.filter((id) => id !== traceId) : [...current, traceId].slice(-2)))

  const columns = useMemo<ColumnDef<ApiTraceSummary, any>[]>(
    () => [
      ...(shared
        ? []
        : [
            column.display({
              id: 'pick',
              header: () => <span className="sr-only">Compare</span>,
              cell: (info) => (
                <input
                  type="checkbox"
                  aria-label={`Pick ${info.row.original.trace_id} to compare`}
                  checked={picked.includes(info.row.original.trace_id)}
                  onClick={(e) => e.stopPropagation()}
                  onChange={() => togglePick(info.row.original.trace_id)}
                  data-testid="pick-trace"
                />
              ),
            }),
          ]),
      column.accessor('start_time', {
        id: 'time',
        header: 'Time (UTC)',
        cell: (info) => <span className="whitespace-nowrap font-mono text-xs text-slate-600">{shortTime(info.getValue())}</span>,
      }),
      column.accessor('name', {
        id: 'name',
        header: 'Name',
        cell: (info) => (
          <span className="flex min-w-0 items-center gap-2">
            <Link
              href={traceHref(info.row.original.trace_id)}
              className="block max-w-[9rem] truncate font-medium text-blue-700 hover:underline min-[1400px]:max-w-[11rem]"
              title={info.getValue() || info.row.original.trace_id}
              onClick={(e) => e.stopPropagation()}
            >
              {info.getValue() || info.row.original.trace_id}
            </Link>
            {info.row.original.cycles && <CycleBadge cycle={info.row.original.cycles} />}
          </span>
        ),
      }),
      column.accessor('service_name', {
        id: 'service',
        header: 'Service',
        cell: (info) => (info.getValue() ? <span className="whitespace-nowrap text-xs text-slate-700">{info.getValue()}</span> : dash),
      }),
      column.accessor('duration_ms', { id: 'duration', header: 'Duration', meta: { numeric: true }, cell: (info) => formatDuration(info.getValue()) }),
      column.accessor('span_count', { id: 'spans', header: 'Spans', meta: { numeric: true }, cell: (info) => formatCount(info.getValue()) }),
      column.accessor('error_count', {
        id: 'errors',
        header: 'Errors',
        meta: { numeric: true },
        cell: (info) => (info.getValue() > 0 ? <span className="font-semibold text-red-700">{info.getValue()}</span> : <span className="text-slate-400">0</span>),
      }),
      column.accessor('first_error', {
        id: 'error',
        header: 'First error',
        cell: (info) => {
          const error = info.getValue()
          if (!error) return dash
          const text = `${error.type ? `${error.type}: ` : ''}${error.message || 'error'}`
          return (
            <span className="block max-w-[8rem] truncate text-xs text-red-800 min-[1400px]:max-w-[12rem]" title={`${text} (in ${error.span_name})`} data-testid="first-error">
              {error.type && <span className="mr-1 rounded bg-red-100 px-1 font-mono text-[11px] font-semibold">{error.type}</span>}
              {error.message || <span className="text-slate-500">in {error.span_name}</span>}
            </span>
          )
        },
      }),
      column.accessor('tenant_id', { id: 'tenant', header: 'Tenant', cell: (info) => (info.getValue() ? <span className="whitespace-nowrap">{info.getValue()}</span> : dash) }),
      column.accessor('user_id', { id: 'user', header: 'User', cell: (info) => (info.getValue() ? <span className="whitespace-nowrap text-xs">{info.getValue()}</span> : dash) }),
      column.accessor('session_id', { id: 'session', header: 'Session', cell: (info) => info.getValue() ?? dash }),
      column.accessor('models', {
        id: 'models',
        header: 'Models',
        cell: (info) =>
          info.getValue().length > 0 ? (
            <span className="block max-w-[7rem] truncate whitespace-nowrap text-xs text-slate-700 min-[1400px]:max-w-[9rem]" title={info.getValue().join(', ')}>
              {info.getValue().join(', ')}
            </span>
          ) : (
            dash
          ),
      }),
      column.accessor((row) => row.input_tokens + row.output_tokens, {
        id: 'tokens',
        header: 'Tokens',
        meta: { numeric: true },
        cell: (info) => (
          <span title={`${info.row.original.input_tokens} in (${info.row.original.cache_read_tokens} from cache) / ${info.row.original.output_tokens} out`}>
            {formatCount(info.getValue())}
          </span>
        ),
      }),
      column.accessor('cost_usd', {
        id: 'cost',
        header: 'Cost',
        meta: { numeric: true },
        cell: (info) => <CostValue usd={info.getValue()} estimatedCalls={info.row.original.estimated_cost_calls} unpricedCalls={info.row.original.unpriced_cost_calls} calls={info.row.original.model_calls} />,
      }),
    ].map((def) => ({ ...def, enableSorting: SORTABLE.has(def.id!) })),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [projectId, search, shared, picked],
  )

  const sorting: SortingState = [{ id: sort, desc: order === 'desc' }]
  const columnVisibility: VisibilityState = Object.fromEntries(TRACE_COLUMNS.map((c) => [c.id, visible.has(c.id)]))
  const table = useReactTable({
    data: rows,
    columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (row) => row.trace_id,
    manualSorting: true,
    enableSortingRemoval: false,
    sortDescFirst: true,
    state: { sorting, columnVisibility },
    enableSorting: true,
    onSortingChange: (updater: Updater<SortingState>) => {
      const next = typeof updater === 'function' ? updater(sorting) : updater
      const first = next[0]
      if (!first) return
      router.push(`${pathname}?${withParams(search, { sort: first.id === 'time' && first.desc ? undefined : first.id, order: first.desc ? undefined : 'asc' })}`)
    },
    onColumnVisibilityChange: (updater: Updater<VisibilityState>) => {
      const next = typeof updater === 'function' ? updater(columnVisibility) : updater
      const shown = new Set(TRACE_COLUMNS.map((c) => c.id).filter((id) => next[id] !== false)) as Set<TraceColumnId>
      setVisible(shown)
      window.history.replaceState(null, '', `${pathname}?${withParams(new URLSearchParams(window.location.search), { cols: columnsParam(shown) }, true)}`)
    },
  })

  const firstPage = !search.get('cursor')
  return (
    <div className="space-y-2">
      <div className="flex items-center justify-between text-xs text-slate-500">
        <span className="flex items-center gap-3">
          <span data-testid="traces-count">
            {rows.length} trace{rows.length === 1 ? '' : 's'} on this page{nextCursor ? ', more after' : ''}
          </span>
          {!shared && picked.length === 1 && <span>Pick one more trace to compare.</span>}
          {!shared && picked.length === 2 && (
            <Link
              href={`/projects/${projectId}/traces/compare?${new URLSearchParams({ a: picked[0], b: picked[1] })}`}
              className="rounded bg-slate-900 px-2 py-1 font-medium text-white hover:bg-slate-700"
              data-testid="compare-picked"
            >
              Compare the 2 picked traces
            </Link>
          )}
        </span>
        <ColumnChooser
          columns={table
            .getAllLeafColumns()
            .filter((c) => c.id !== 'pick')
            .map((c) => ({ id: c.id, label: TRACE_COLUMNS.find((t) => t.id === c.id)?.label ?? c.id, visible: c.getIsVisible(), toggle: c.getToggleVisibilityHandler() }))}
        />
      </div>
      <div className="overflow-x-auto rounded border border-slate-200 bg-white">
        <table className="w-full border-collapse text-sm" data-testid="traces-table">
          <thead className="bg-slate-50 text-left text-xs uppercase text-slate-500 min-[1400px]:tracking-wide">
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => (
                  <HeaderCell key={header.id} header={header} dense className="border-b border-slate-200" label={TRACE_COLUMNS.find((c) => c.id === header.column.id)?.label} />
                ))}
              </tr>
            ))}
          </thead>
          <tbody>
            {table.getRowModel().rows.map((row) => (
              <tr
                key={row.id}
                onClick={() => router.push(traceHref(row.original.trace_id))}
                className={`cursor-pointer border-b border-slate-100 last:border-0 hover:bg-blue-50/50 ${row.original.error_count > 0 ? 'bg-red-50/30' : ''}`}
                data-testid="trace-row"
              >
                {row.getVisibleCells().map((cell) => {
                  const numeric = (cell.column.columnDef.meta as { numeric?: boolean } | undefined)?.numeric
                  return (
                    <td key={cell.id} className={`max-w-[16rem] px-2 py-1.5 ${numeric ? 'text-right tabular-nums' : ''}`}>
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </td>
                  )
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <nav className="flex items-center justify-end gap-2" aria-label="Pages">
        {!firstPage && (
          <Link href={`${pathname}?${withParams(search, {})}`} className="rounded border border-slate-300 bg-white px-3 py-1 hover:bg-slate-50">
            ← First page
          </Link>
        )}
        {nextCursor && (
          <Link
            href={`${pathname}?${withParams(search, { cursor: nextCursor }, true)}`}
            className="rounded border border-slate-300 bg-white px-3 py-1 hover:bg-slate-50"
            data-testid="next-page"
          >
            Next page →
          </Link>
        )}
      </nav>
    </div>
  )
}

function ColumnChooser({ columns }: { columns: { id: string; label: string; visible: boolean; toggle: (event: unknown) => void }[] }) {
  const [open, setOpen] = useState(false)
  const box = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (!open) return
    const close = (event: MouseEvent) => !box.current?.contains(event.target as Node) && setOpen(false)
    document.addEventListener('mousedown', close)
    return () => document.removeEventListener('mousedown', close)
  }, [open])
  return (
    <div className="relative" ref={box}>
      <button type="button" onClick={() => setOpen(!open)} aria-expanded={open} className="rounded border border-slate-300 bg-white px-2 py-1 text-slate-700 hover:bg-slate-50">
        Columns ({columns.filter((c) => c.visible).length}/{columns.length})
      </button>
      {open && (
        <div className="absolute right-0 z-20 mt-1 w-44 rounded border border-slate-200 bg-white p-2 shadow-lg" role="dialog" aria-label="Columns">
          {columns.map((c) => (
            <label key={c.id} className="flex items-center gap-2 rounded px-1 py-0.5 text-sm text-slate-800 hover:bg-slate-50">
              <input type="checkbox" checked={c.visible} onChange={c.toggle} disabled={c.id === 'name'} />
              {c.label}
            </label>
          ))}
        </div>
      )}
    </div>
  )
}
