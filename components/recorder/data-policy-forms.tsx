'use client'

// Administrators' editors of a project's data policy: they PUT to the same JSON API the docs
// describe and show its error verbatim (it names the bad field or rule).
import { useRouter } from 'next/navigation'
import { useState } from 'react'

const input = 'rounded border border-slate-300 px-2 py-1 text-sm'
const button = 'rounded bg-slate-900 px-3 py-1 text-sm font-medium text-white disabled:opacity-50'

function useSave() {
  const router = useRouter()
  const [pending, setPending] = useState(false)
  const [error, setError] = useState<string>()
  const [message, setMessage] = useState<string>()
  async function send(method: string, url: string, body: unknown, done: (json: any) => string) {
    setPending(true)
    setError(undefined)
    setMessage(undefined)
    try {
      const response = await fetch(url, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
      const json = await response.json().catch(() => ({}))
      if (!response.ok) setError(json.error ?? `failed (${response.status})`)
      else {
        setMessage(done(json))
        router.refresh()
      }
    } finally {
      setPending(false)
    }
  }
  const outcome = (
    <>
      {error && (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      )}
      {message && <p className="text-sm text-emerald-800">{message}</p>}
    </>
  )
  return { send, pending, outcome }
}

export function RetentionForm({ projectId, current, max }: { projectId: string; current: number | null; max: number }) {
  const { send, pending, outcome } = useSave()
  const [days, setDays] = useState(current === null ? '' : String(current))
  return (
    <form
      className="space-y-2"
      onSubmit={(e) => {
        e.preventDefault()
        void send('PUT', `/api/v1/projects/${projectId}/retention`, { retention_days: days.trim() === '' ? null : Number(days) }, (j) => `Saved: data is kept ${j.retention_days} days.`)
      }}
    >
      <label className="flex flex-wrap items-center gap-2 text-sm">
        Keep data for
        <input className={`${input} w-20`} type="number" min={1} max={max} value={days} onChange={(e) => setDays(e.target.value)} placeholder={String(max)} aria-label="Retention days" />
        days (empty: the instance maximum, {max})
        <button className={button} disabled={pending}>
          Save
        </button>
      </label>
      {outcome}
    </form>
  )
}

export interface SamplingValues {
  rate: number
  keep_errors: boolean
  keep_slower_than_ms: number | null
  keep_tenants: string[]
}

export function SamplingForm({ projectId, current }: { projectId: string; current: SamplingValues }) {
  const { send, pending, outcome } = useSave()
  const [rate, setRate] = useState(String(current.rate))
  const [keepErrors, setKeepErrors] = useState(current.keep_errors)
  const [slow, setSlow] = useState(current.keep_slower_than_ms === null ? '' : String(current.keep_slower_than_ms))
  const [tenants, setTenants] = useState(current.keep_tenants.join(', '))
  return (
    <form
      className="space-y-2 text-sm"
      onSubmit={(e) => {
        e.preventDefault()
        void send(
          'PUT',
          `/api/v1/projects/${projectId}/sampling`,
          {
            rate: Number(rate),
            keep_errors: keepErrors,
            keep_slower_than_ms: slow.trim() === '' ? null : Number(slow),
            keep_tenants: tenants
              .split(',')
              .map((t) => t.trim())
              .filter(Boolean),
          },
          (j) => (j.enabled ? `Saved: ${Math.round(j.rate * 1000) / 10}% of ordinary traces are kept from now on.` : 'Saved: sampling is off; every trace is kept.'),
        )
      }}
    >
      <div className="flex flex-wrap items-center gap-3">
        <label className="flex items-center gap-1">
          Keep rate
          <input className={`${input} w-20`} type="number" min={0} max={1} step="any" value={rate} onChange={(e) => setRate(e.target.value)} aria-label="Sampling rate" />
          <span className="text-xs text-slate-500">(0 to 1; 1 keeps everything)</span>
        </label>
        <label className="flex items-center gap-1">
          <input type="checkbox" checked={keepErrors} onChange={(e) => setKeepErrors(e.target.checked)} /> always keep traces with an error
        </label>
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <label className="flex items-center gap-1">
          Always keep traces slower than
          <input className={`${input} w-24`} type="number" min={1} value={slow} onChange={(e) => setSlow(e.target.value)} placeholder="off" aria-label="Keep slower than ms" /> ms
        </label>
        <label className="flex items-center gap-1">
          and these tenants
          <input className={`${input} w-64`} value={tenants} onChange={(e) => setTenants(e.target.value)} placeholder="acme, globex" aria-label="Keep tenants" />
        </label>
        <button className={button} disabled={pending}>
          Save
        </button>
      </div>
      {outcome}
    </form>
  )
}

export interface RuleValues {
  name: string
  detector?: string
  pattern?: string
  flags?: string
  replacement: string
  fields: string[]
}

export function RedactionForm({ projectId, rules, detectors, fields }: { projectId: string; rules: RuleValues[]; detectors: readonly string[]; fields: readonly string[] }) {
  const { send, pending, outcome } = useSave()
  const [builtIn, setBuiltIn] = useState<Set<string>>(new Set(rules.filter((r) => r.detector).map((r) => r.detector!)))
  const [custom, setCustom] = useState<RuleValues[]>(rules.filter((r) => r.pattern !== undefined))
  const update = (i: number, change: Partial<RuleValues>) => setCustom(custom.map((rule, j) => (j === i ? { ...rule, ...change } : rule)))
  return (
    <form
      className="space-y-3 text-sm"
      onSubmit={(e) => {
        e.preventDefault()
        const keptBuiltIn = rules.filter((r) => r.detector && builtIn.has(r.detector))
        const added = [...builtIn].filter((d) => !keptBuiltIn.some((r) => r.detector === d)).map((detector) => ({ detector }))
        void send(
          'PUT',
          `/api/v1/projects/${projectId}/redaction`,
          {
            rules: [
              ...keptBuiltIn.map(({ name, detector, replacement, fields: f }) => ({ name, detector, replacement, fields: f })),
              ...added,
              ...custom.map(({ name, pattern, flags, replacement, fields: f }) => ({ name, pattern, ...(flags ? { flags } : {}), ...(replacement ? { replacement } : {}), fields: f })),
            ],
          },
          (j) => `Saved ${j.rules.length} rule${j.rules.length === 1 ? '' : 's'}: ${j.note}.`,
        )
      }}
    >
      <fieldset className="flex flex-wrap gap-3">
        <legend className="mb-1 text-xs uppercase tracking-wide text-slate-500">Built-in detectors</legend>
        {detectors.map((d) => (
          <label key={d} className="flex items-center gap-1">
            <input
              type="checkbox"
              checked={builtIn.has(d)}
              onChange={(e) => {
                const next = new Set(builtIn)
                if (e.target.checked) next.add(d)
                else next.delete(d)
                setBuiltIn(next)
              }}
            />
            {d.replace(/_/g, ' ')}
          </label>
        ))}
      </fieldset>
      <fieldset className="space-y-2">
        <legend className="mb-1 text-xs uppercase tracking-wide text-slate-500">Custom patterns</legend>
        {custom.map((rule, i) => (
          <div key={i} className="flex flex-wrap items-center gap-2" data-testid="custom-rule">
            <input className={`${input} w-32`} value={rule.name} onChange={(e) => update(i, { name: e.target.value })} placeholder="name" aria-label="Rule name" />
            <input className={`${input} w-56 font-mono`} value={rule.pattern ?? ''} onChange={(e) => update(i, { pattern: e.target.value })} placeholder="regular expression" aria-label="Pattern" />
            <input className={`${input} w-12 font-mono`} value={rule.flags ?? ''} onChange={(e) => update(i, { flags: e.target.value })} placeholder="flags" aria-label="Flags" />
            <input className={`${input} w-44`} value={rule.replacement} onChange={(e) => update(i, { replacement: e.target.value })} placeholder={`[REDACTED:${rule.name || 'name'}]`} aria-label="Replacement" />
            {fields.map((f) => (
              <label key={f} className="flex items-center gap-0.5 text-xs">
                <input type="checkbox" checked={rule.fields.includes(f)} onChange={(e) => update(i, { fields: e.target.checked ? [...rule.fields, f] : rule.fields.filter((x) => x !== f) })} />
                {f.replace(/_/g, ' ')}
              </label>
            ))}
            <button type="button" className="text-xs text-red-700 underline" onClick={() => setCustom(custom.filter((_, j) => j !== i))}>
              remove
            </button>
          </div>
        ))}
        <button type="button" className="text-xs underline" onClick={() => setCustom([...custom, { name: '', pattern: '', flags: '', replacement: '', fields: [...fields] }])}>
          + add a pattern
        </button>
      </fieldset>
      <div className="flex items-center gap-3">
        <button className={button} disabled={pending}>
          Save rules
        </button>
        <span className="text-xs text-slate-500">Rules apply to data ingested from now on; stored data is not rewritten.</span>
      </div>
      {outcome}
    </form>
  )
}

export function DeletionForm({ projectId }: { projectId: string }) {
  const { send, pending, outcome } = useSave()
  const [type, setType] = useState('user_id')
  const [value, setValue] = useState('')
  return (
    <form
      className="space-y-2 text-sm"
      onSubmit={(e) => {
        e.preventDefault()
        if (!value.trim()) return
        if (!window.confirm(`Delete every trace, score and analytics contribution of ${type} "${value}"? This cannot be undone.`)) return
        void send('POST', `/api/v1/deletions?project=${encodeURIComponent(projectId)}`, { [type]: value.trim() }, (j) => `Deletion ${j.id} accepted; it appears below when done.`)
      }}
    >
      <div className="flex flex-wrap items-center gap-2">
        <select className={input} value={type} onChange={(e) => setType(e.target.value)} aria-label="Subject type">
          <option value="user_id">user id</option>
          <option value="session_id">session id</option>
          <option value="tenant_id">tenant id</option>
          <option value="trace_id">trace id</option>
        </select>
        <input className={`${input} w-64`} value={value} onChange={(e) => setValue(e.target.value)} placeholder="value" aria-label="Subject value" />
        <button className="rounded bg-red-700 px-3 py-1 text-sm font-medium text-white disabled:opacity-50" disabled={pending || !value.trim()}>
          Delete
        </button>
      </div>
      {outcome}
    </form>
  )
}
