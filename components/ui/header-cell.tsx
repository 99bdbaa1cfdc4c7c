'use client'

// One header cell of a react-table: the column's title, and when the column sorts, a button
// that toggles its order (client-side or by changing the URL, as the table decides).
import { flexRender, type Header } from '@tanstack/react-table'

/** `dense` pads like the table's cells (px-2), for wide tables that must fit their screen. */
export function HeaderCell<Row>({ header, className = '', label, dense = false }: { header: Header<Row, unknown>; className?: string; label?: string; dense?: boolean }) {
  const numeric = (header.column.columnDef.meta as { numeric?: boolean } | undefined)?.numeric
  const sorted = header.column.getIsSorted()
  const title = header.isPlaceholder ? null : flexRender(header.column.columnDef.header, header.getContext())
  return (
    <th
      className={`whitespace-nowrap ${dense ? 'px-2' : 'px-3'} py-2 font-medium ${numeric ? 'text-right' : 'text-left'} ${className}`}
      aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
    >
      {!header.isPlaceholder && header.column.getCanSort() ? (
        <button
          type="button"
          onClick={header.column.getToggleSortingHandler()}
          className={`inline-flex items-center gap-1 uppercase hover:text-slate-900 ${sorted ? 'text-slate-900' : ''}`}
          aria-label={label ? `Sort by ${label.toLowerCase()}` : undefined}
        >
          {title}
          <span aria-hidden className="text-[10px]">
            {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : '↕'}
          </span>
        </button>
      ) : (
        title
      )}
    </th>
  )
}
