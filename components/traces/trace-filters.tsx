'use client'

// The filter bar of the traces list. Text fields apply on Enter (or "Apply"); choices and
// checkboxes apply at once. Every filter is a URL parameter with the API's name.
import { usePathname, useRouter, useSearchParams } from 'next/navigation'
import { useRef } from 'react'
import { LIST_FILTERS, withParams } from './list-params'

const KINDS = ['llm', 'tool', 'agent', 'chain', 'retriever', 'reranker', 'embedding', 'guardrail', 'eval', 'other']

export function TraceFilters({ tenants, models }: { tenants: string[]; models: string[] }) {
  const search = useSearchParams()
  const router = useRouter()
  const pathname = usePathname()
  const form = useRef<HTMLFormElement>(null)

  const apply = () => {
    const data = new FormData(form.current!)
    const changes: Record<string, string | undefined> = {}
    for (const name of LIST_FILTERS) {
      const value = data.get(name)
      changes[name] = typeof value === 'string' ? value.trim() || undefined : undefined
    }
    router.push(`${pathname}?${withParams(search, changes)}`)
  }
  const active = LIST_FILTERS.filter((name) => search.get(name))
  const input = 'h-8 rounded border border-slate-300 bg-white px-2 text-sm placeholder:text-slate-400'
  // Inputs are keyed by the URL so that back/forward navigation shows the filters of that URL.
  const key = search.toString()

  return (
    <form
      ref={form}
      key={key}
      onSubmit={(event) => {
        event.preventDefault()
        apply()
      }}
      className="flex flex-wrap items-center gap-2"
      aria-label="Filter traces"
    >
      <input name="q" defaultValue={search.get('q') ?? ''} placeholder="Search inputs, outputs, errors…" aria-label="Search payloads" className={`${input} w-64`} />
      <SuggestInput name="tenant_id" label="Tenant" value={search.get('tenant_id')} options={tenants} className={`${input} w-32`} />
      <input name="user_id" defaultValue={search.get('user_id') ?? ''} placeholder="User" aria-label="User" className={`${input} w-28`} />
      <input name="session_id" defaultValue={search.get('session_id') ?? ''} placeholder="Session" aria-label="Session" className={`${input} w-28`} />
      <SuggestInput name="model" label="Model" value={search.get('model')} options={models} className={`${input} w-40`} />
      <select name="kind" defaultValue={search.get('kind') ?? ''} onChange={apply} aria-label="Span kind" className={input}>
        <option value="">Any kind</option>
        {KINDS.map((kind) => (
          <option key={kind} value={kind}>
            has {kind}
          </option>
        ))}
      </select>
      <select name="status" defaultValue={search.get('status') ?? ''} onChange={apply} aria-label="Span status" className={input}>
        <option value="">Any status</option>
        <option value="error">has error</option>
        <option value="ok">has ok</option>
        <option value="unset">has unset</option>
      </select>
      <input
        name="min_cost"
        type="number"
        min={0}
        step="any"
        defaultValue={search.get('min_cost') ?? ''}
        placeholder="Cost ≥ $"
        aria-label="Minimum cost (USD)"
        title="Traces that cost at least this many USD: reported costs, else the price table's (as in the Cost column)"
        className={`${input} w-24`}
      />
      <label className="flex h-8 items-center gap-1.5 rounded border border-slate-300 bg-white px-2">
        <input type="checkbox" name="errors_only" value="true" defaultChecked={search.get('errors_only') === 'true'} onChange={apply} />
        Errors only
      </label>
      <label className="flex h-8 items-center gap-1.5 rounded border border-rose-200 bg-rose-50 px-2 text-rose-800">
        <input type="checkbox" name="has_cycle" value="true" defaultChecked={search.get('has_cycle') === 'true'} onChange={apply} />
        Has cycle
      </label>
      <button type="submit" className="h-8 rounded bg-slate-900 px-3 text-sm font-medium text-white hover:bg-slate-800">
        Apply
      </button>
      {active.length > 0 && (
        <button
          type="button"
          onClick={() => router.push(`${pathname}?${withParams(search, Object.fromEntries(LIST_FILTERS.map((name) => [name, undefined])))}`)}
          className="h-8 rounded px-2 text-sm text-slate-600 hover:bg-slate-100"
        >
          Clear {active.length} filter{active.length === 1 ? '' : 's'}
        </button>
      )}
    </form>
  )
}

/** A text filter that suggests the values seen in the range. */
function SuggestInput({ name, label, value, options, className }: { name: string; label: string; value: string | null; options: string[]; className: string }) {
  return (
    <>
      <input name={name} defaultValue={value ?? ''} placeholder={label} aria-label={label} list={`${name}-options`} className={className} />
      <datalist id={`${name}-options`}>
        {options.map((option) => (
          <option key={option} value={option} />
        ))}
      </datalist>
    </>
  )
}
