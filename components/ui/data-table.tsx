'use client'

// A client-side table over rows already in the page: click a header to sort, type to filter,
// page through long lists. Columns are @tanstack/react-table (v8) column definitions; mark
// numeric columns with `meta: { numeric: true }` to right-align them.
import { useState } from 'react'
import {
  flexRender,
  getCoreRowModel,
  getFilteredRowModel,
  getPaginationRowModel,
  getSortedRowModel,
  useReactTable,
  type ColumnDef,
  type Row,
  type SortingState,
} from '@tanstack/react-table'
import { HeaderCell } from './header-cell'

export interface ColumnMeta {
  numeric?: boolean
}

export interface DataTableProps<T> {
  rows: T[]
  columns: ColumnDef<T, any>[]
  initialSort?: SortingState
  pageSize?: number
  /** Placeholder of the filter box; no filter box when absent. */
  filterPlaceholder?: string
  empty: React.ReactNode
  testId?: string
  onRowClick?: (row: T) => void
  rowClassName?: (row: Row<T>) => string
}

export function DataTable<T>({ rows, columns, initialSort = [], pageSize = 10, filterPlaceholder, empty, testId, onRowClick, rowClassName }: DataTableProps<T>) {
  const [sorting, setSorting] = useState<SortingState>(initialSort)
  const [filter, setFilter] = useState('')
  const [pagination, setPagination] = useState({ pageIndex: 0, pageSize })
  const table = useReactTable({
    data: rows,
    columns,
    state: { sorting, globalFilter: filter, pagination },
    onSortingChange: setSorting,
    onGlobalFilterChange: setFilter,
    onPaginationChange: setPagination,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getFilteredRowModel: getFilteredRowModel(),
    getPaginationRowModel: getPaginationRowModel(),
    globalFilterFn: 'includesString',
  })
  if (rows.length === 0) return <div className="rounded border border-dashed border-slate-300 bg-white p-4 text-slate-500">{empty}</div>
  const filtered = table.getFilteredRowModel().rows.length
  const pageCount = table.getPageCount()
  return (
    <div className="space-y-2" data-testid={testId}>
      {filterPlaceholder && (
        <input
          value={filter}
          onChange={(event) => {
            setFilter(event.target.value)
            setPagination((p) => ({ ...p, pageIndex: 0 }))
          }}
          placeholder={filterPlaceholder}
          aria-label={filterPlaceholder}
          className="w-64 rounded border border-slate-300 px-2 py-1 text-sm"
        />
      )}
      <div className="overflow-x-auto rounded border border-slate-200 bg-white">
        <table className="w-full border-collapse text-sm">
          <thead className="bg-slate-100 text-xs uppercase text-slate-500">
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => (
                  <HeaderCell key={header.id} header={header} />
                ))}
              </tr>
            ))}
          </thead>
          <tbody>
            {table.getRowModel().rows.map((row) => (
              <tr
                key={row.id}
                onClick={onRowClick ? () => onRowClick(row.original) : undefined}
                className={`border-t border-slate-100 ${onRowClick ? 'cursor-pointer hover:bg-slate-50' : ''} ${rowClassName?.(row) ?? ''}`}
              >
                {row.getVisibleCells().map((cell) => (
                  <td key={cell.id} className={`px-3 py-1.5 ${(cell.column.columnDef.meta as ColumnMeta | undefined)?.numeric ? 'text-right tabular-nums' : ''}`}>
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        {filtered === 0 && <p className="p-3 text-slate-500">Nothing matches “{filter}”.</p>}
      </div>
      {pageCount > 1 && (
        <div className="flex items-center gap-2 text-xs text-slate-600">
          <button type="button" className="rounded border border-slate-300 px-2 py-0.5 disabled:opacity-40" onClick={() => table.previousPage()} disabled={!table.getCanPreviousPage()}>
            Previous
          </button>
          <span>
            Page {pagination.pageIndex + 1} of {pageCount} ({filtered} rows)
          </span>
          <button type="button" className="rounded border border-slate-300 px-2 py-0.5 disabled:opacity-40" onClick={() => table.nextPage()} disabled={!table.getCanNextPage()}>
            Next
          </button>
        </div>
      )}
    </div>
  )
}
