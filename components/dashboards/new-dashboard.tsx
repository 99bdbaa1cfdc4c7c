'use client'

// Creating a dashboard: a blank one under a name, or a copy of a starting template.
import { useRouter } from 'next/navigation'
import { useState } from 'react'
import type { DashboardTemplate } from '@/lib/dashboards/templates'

async function create(projectId: string, body: unknown): Promise<{ id?: string; error?: string }> {
  const response = await fetch(`/api/v1/dashboards?project=${encodeURIComponent(projectId)}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  })
  const json = await response.json().catch(() => ({}))
  return response.ok ? { id: String(json.id) } : { error: String(json.error ?? `could not create (${response.status})`) }
}

export function NewDashboardForm({ projectId }: { projectId: string }) {
  const router = useRouter()
  const [name, setName] = useState('')
  const [error, setError] = useState<string>()
  const submit = async (event: React.FormEvent) => {
    event.preventDefault()
    const result = await create(projectId, { name, widgets: [] })
    if (result.error) return setError(result.error)
    router.push(`/projects/${projectId}/dashboards/${result.id}`)
  }
  return (
    <form onSubmit={submit} className="flex flex-wrap items-center gap-2">
      <input value={name} onChange={(e) => setName(e.target.value)} placeholder="Name, e.g. Refund tool" aria-label="New dashboard name" className="w-64 rounded border border-slate-300 px-2 py-1 text-sm" required />
      <button type="submit" className="rounded bg-slate-900 px-3 py-1.5 text-sm text-white hover:bg-slate-700">
        New dashboard
      </button>
      {error && <span className="text-sm text-red-700">{error}</span>}
    </form>
  )
}

export function CopyTemplateButton({ projectId, template }: { projectId: string; template: DashboardTemplate }) {
  const router = useRouter()
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)
  return (
    <>
      <button
        type="button"
        disabled={busy}
        onClick={async () => {
          setBusy(true)
          const result = await create(projectId, { name: template.name, widgets: template.widgets })
          setBusy(false)
          if (result.error) return setError(result.error)
          router.push(`/projects/${projectId}/dashboards/${result.id}`)
        }}
        className="rounded border border-slate-300 px-3 py-1 text-sm hover:bg-slate-50"
      >
        Use this template
      </button>
      {error && <span className="text-sm text-red-700">{error}</span>}
    </>
  )
}
