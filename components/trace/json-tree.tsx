'use client'

// A collapsible JSON viewer. Every key and value is rendered as a React text node: payloads are
// untrusted, and nothing in them is ever interpreted as markup or made into a link.
import { useState } from 'react'

const SHOW_ITEMS = 100

function Scalar({ value }: { value: unknown }) {
  if (value === null) return <span className="text-slate-400">null</span>
  if (typeof value === 'string') return <span className="whitespace-pre-wrap break-words text-emerald-800">&quot;{value}&quot;</span>
  if (typeof value === 'number') return <span className="text-blue-700">{String(value)}</span>
  if (typeof value === 'boolean') return <span className="text-violet-700">{String(value)}</span>
  return <span>{String(value)}</span>
}

function Branch({ name, value, depth, openDepth }: { name?: string; value: unknown; depth: number; openDepth: number }) {
  const [open, setOpen] = useState(depth < openDepth)
  const [limit, setLimit] = useState(SHOW_ITEMS)
  const isArray = Array.isArray(value)
  const isObject = value !== null && typeof value === 'object'
  const label = name !== undefined && <span className="text-slate-600">{name}: </span>
  if (!isObject) {
    return (
      <div className="pl-4">
        {label}
        <Scalar value={value} />
      </div>
    )
  }
  const entries = isArray ? (value as unknown[]).map((v, i) => [String(i), v] as const) : Object.entries(value as Record<string, unknown>)
  const summary = isArray ? `[${entries.length}]` : `{${entries.length}}`
  return (
    <div className="pl-4">
      <button type="button" onClick={() => setOpen(!open)} className="-ml-4 inline-flex items-center text-left hover:bg-slate-100" aria-expanded={open}>
        <span className="inline-block w-4 text-center text-slate-400">{open ? '▾' : '▸'}</span>
        {label}
        <span className="text-slate-400">{summary}</span>
      </button>
      {open && (
        <div>
          {entries.slice(0, limit).map(([key, child]) => (
            <Branch key={key} name={isArray ? undefined : key} value={child} depth={depth + 1} openDepth={openDepth} />
          ))}
          {entries.length > limit && (
            <button type="button" className="pl-4 text-blue-700 hover:underline" onClick={() => setLimit(limit + SHOW_ITEMS * 10)}>
              show {Math.min(entries.length - limit, SHOW_ITEMS * 10)} more of {entries.length - limit}
            </button>
          )}
        </div>
      )}
    </div>
  )
}

export function JsonTree({ value, openDepth = 2 }: { value: unknown; openDepth?: number }) {
  return (
    <div className="-ml-4 font-mono text-xs leading-5" data-testid="json-tree">
      <Branch value={value} depth={0} openDepth={openDepth} />
    </div>
  )
}
