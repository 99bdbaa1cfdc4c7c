'use client'

// Sends a monitor.test notification to every channel of a monitor and says what each answered.
import { useActionState } from 'react'
import { testMonitorAction, type TestState } from '@/app/projects/[projectId]/alerts/actions'

export function TestMonitorButton({ projectId, monitorId }: { projectId: string; monitorId: string }) {
  const [state, action, pending] = useActionState<TestState, FormData>(testMonitorAction, {})
  return (
    <form action={action} className="inline-flex items-center gap-2">
      <input type="hidden" name="projectId" value={projectId} />
      <input type="hidden" name="monitorId" value={monitorId} />
      <button disabled={pending} className="rounded border border-slate-300 px-2 py-0.5 hover:bg-slate-50 disabled:opacity-50">
        {pending ? 'Sending…' : 'Test'}
      </button>
      {state.error && <span className="text-red-700">{state.error}</span>}
      {state.results?.map((r, i) => (
        <span key={i} className={r.delivered ? 'text-emerald-700' : 'text-red-700'}>
          {r.delivered ? 'delivered' : `failed: ${r.error} (retrying)`}
        </span>
      ))}
    </form>
  )
}
