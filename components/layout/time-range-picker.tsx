'use client'

// The time range of every screen, kept in the URL (`range=24h`, or `from`/`to` in ISO-8601 UTC)
// so a pasted link opens the same window. Reusable on any page: it reads and writes the
// current URL only.
import { usePathname, useRouter, useSearchParams } from 'next/navigation'
import { useCallback, useRef, useState } from 'react'
import { useDismiss } from '@/components/ui/use-dismiss'
import { describeRelative, InvalidRangeError, RELATIVE_RANGES, resolveRange, type TimeRange } from '@/lib/time/range'
import { replaceRange } from '@/lib/time/range-params'

/** 'YYYY-MM-DDTHH:mm' (what <input type="datetime-local"> holds), read as UTC. */
function toInputValue(date: Date): string {
  return date.toISOString().slice(0, 16)
}

function fromInputValue(value: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return undefined
  const date = new Date(`${value}:00Z`)
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString()
}

export function TimeRangePicker({ fallback = '24h' }: { fallback?: string }) {
  const search = useSearchParams()
  const router = useRouter()
  const pathname = usePathname()
  const [open, setOpen] = useState(false)
  const [from, setFrom] = useState('')
  const [to, setTo] = useState('')
  const [formError, setFormError] = useState<string>()
  const box = useRef<HTMLDivElement>(null)

  let current: TimeRange | undefined
  let rangeError: string | undefined
  try {
    current = resolveRange({ range: search.get('range'), from: search.get('from'), to: search.get('to') }, fallback)
  } catch (error) {
    rangeError = error instanceof InvalidRangeError ? error.message : String(error)
  }

  useDismiss(open, box, useCallback(() => setOpen(false), []))

  const go = (next: URLSearchParams) => {
    setOpen(false)
    router.push(`${pathname}?${next.toString()}`)
  }

  const toggle = () => {
    if (!open) {
      const now = new Date()
      setFrom(toInputValue(current?.from ?? new Date(now.getTime() - 86_400_000)))
      setTo(toInputValue(current?.to ?? now))
      setFormError(undefined)
    }
    setOpen(!open)
  }

  const applyAbsolute = (event: React.FormEvent) => {
    event.preventDefault()
    const fromIso = fromInputValue(from)
    const toIso = fromInputValue(to)
    if (!fromIso || !toIso) return setFormError('Enter both dates as YYYY-MM-DD hh:mm (UTC).')
    if (fromIso >= toIso) return setFormError('"From" must be before "to".')
    go(replaceRange(new URLSearchParams(search), { from: fromIso, to: toIso }))
  }

  return (
    <div className="relative" ref={box}>
      <button
        type="button"
        onClick={toggle}
        aria-haspopup="dialog"
        aria-expanded={open}
        data-testid="time-range"
        className={`flex items-center gap-2 whitespace-nowrap rounded border px-2.5 py-1 text-sm ${rangeError ? 'border-red-400 text-red-700' : 'border-slate-300 text-slate-800 hover:bg-slate-50'}`}
        title={rangeError}
      >
        <svg aria-hidden viewBox="0 0 16 16" className="h-3.5 w-3.5 fill-none stroke-current stroke-[1.5]">
          <circle cx="8" cy="8" r="6.25" />
          <path d="M8 4.5V8l2.5 1.5" />
        </svg>
        {current ? current.label : 'Invalid time range'}
      </button>
      {open && (
        <div role="dialog" aria-label="Time range" className="absolute right-0 z-30 mt-1 w-80 rounded border border-slate-200 bg-white p-3 shadow-lg">
          {rangeError && <p className="mb-2 text-xs text-red-700">{rangeError}</p>}
          <p className="mb-1 text-xs font-medium uppercase tracking-wide text-slate-500">Relative</p>
          <div className="grid grid-cols-3 gap-1">
            {RELATIVE_RANGES.map((range) => (
              <button
                key={range}
                type="button"
                onClick={() => go(replaceRange(new URLSearchParams(search), { range }))}
                className={`rounded px-2 py-1 text-left text-sm hover:bg-slate-100 ${current?.relative === range ? 'bg-slate-900 text-white hover:bg-slate-800' : ''}`}
              >
                {describeRelative(range).replace('Last ', '')}
              </button>
            ))}
          </div>
          <form onSubmit={applyAbsolute} className="mt-3 space-y-2 border-t border-slate-100 pt-3">
            <p className="text-xs font-medium uppercase tracking-wide text-slate-500">Absolute (UTC)</p>
            <label className="flex items-center justify-between gap-2 text-sm">
              From
              <input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} className="rounded border border-slate-300 px-1.5 py-0.5" aria-label="From (UTC)" />
            </label>
            <label className="flex items-center justify-between gap-2 text-sm">
              To
              <input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} className="rounded border border-slate-300 px-1.5 py-0.5" aria-label="To (UTC)" />
            </label>
            {formError && <p className="text-xs text-red-700">{formError}</p>}
            <button type="submit" className="w-full rounded bg-slate-900 px-2 py-1 text-sm font-medium text-white hover:bg-slate-800">
              Apply
            </button>
          </form>
        </div>
      )}
    </div>
  )
}
