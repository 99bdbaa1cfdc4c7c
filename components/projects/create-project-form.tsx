'use client'

import Link from 'next/link'
import { useActionState } from 'react'
import { createProjectAction, type CreateProjectState } from '@/app/actions'
import { CopyButton } from '@/components/ui/copy-button'

export function CreateProjectForm({ origin }: { origin: string }) {
  const [state, action, pending] = useActionState<CreateProjectState, FormData>(createProjectAction, {})
  return (
    <div className="space-y-4">
      <form action={action} className="flex items-end gap-2">
        <label className="flex flex-col gap-1">
          <span className="text-xs font-medium text-slate-600">Project name</span>
          <input name="name" required maxLength={200} placeholder="e.g. support-agent" className="w-72 rounded border border-slate-300 px-2 py-1.5" />
        </label>
        <button type="submit" disabled={pending} className="rounded bg-slate-900 px-3 py-1.5 font-medium text-white disabled:opacity-50">
          {pending ? 'Creating…' : 'Create project'}
        </button>
      </form>
      {state.error && <p className="text-red-700">{state.error}</p>}
      {state.created && (
        <div className="rounded border border-amber-300 bg-amber-50 p-4" data-testid="created-project">
          <p className="font-medium">
            Project <Link className="underline" href={`/projects/${state.created.id}/traces`}>{state.created.name}</Link> created. Its API key is shown
            once; copy it now:
          </p>
          <div className="mt-2 flex items-start gap-2">
            <code className="block flex-1 select-all break-all rounded bg-white p-2 font-mono text-xs" data-testid="api-key">
              {state.created.api_key}
            </code>
            <CopyButton text={state.created.api_key} label="Copy key" />
          </div>
          <pre className="mt-3 overflow-x-auto rounded bg-slate-900 p-3 font-mono text-xs text-slate-100">{`export OTEL_EXPORTER_OTLP_ENDPOINT=${origin}
export OTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer ${state.created.api_key}"`}</pre>
        </div>
      )}
    </div>
  )
}
