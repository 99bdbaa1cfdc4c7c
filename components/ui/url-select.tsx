'use client'

// A select whose value lives in the URL (one query parameter), so the view it changes can be
// bookmarked and shared.
import { usePathname, useRouter, useSearchParams } from 'next/navigation'
import { useShareToken } from '@/components/share/share-context'

export function UrlSelect({ label, param, value, options, testId }: { label: string; param: string; value: string; options: Array<{ value: string; label: string }>; testId?: string }) {
  const router = useRouter()
  const pathname = usePathname()
  const search = useSearchParams()
  // A shared view is read-only: show the saved choice, do not offer others.
  if (useShareToken() !== null) {
    return (
      <span className="text-sm text-slate-600" data-testid={testId}>
        {label}: <span className="text-slate-900">{options.find((option) => option.value === value)?.label ?? value}</span>
      </span>
    )
  }
  return (
    <label className="flex items-center gap-2 text-sm text-slate-600">
      {label}
      <select
        value={value}
        data-testid={testId}
        onChange={(event) => {
          const next = new URLSearchParams(search)
          next.set(param, event.target.value)
          router.push(`${pathname}?${next.toString()}`)
        }}
        className="rounded border border-slate-300 bg-white px-2 py-1 text-sm text-slate-900"
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  )
}
