'use client'

import { useActionState } from 'react'
import { shareViewAction, type ShareState } from '@/app/projects/[projectId]/views/actions'

export function ShareViewForm({ projectId, viewId }: { projectId: string; viewId: string }) {
  const [state, action, pending] = useActionState<ShareState, FormData>(shareViewAction, {})
  const absolute = state.url && typeof window !== 'undefined' ? `${window.location.origin}${state.url}` : state.url
  return (
    <form action={action} className="flex flex-wrap items-center gap-2 text-xs">
      <input type="hidden" name="projectId" value={projectId} />
      <input type="hidden" name="viewId" value={viewId} />
      <select name="expiresInDays" defaultValue="0" className="rounded border border-slate-300 px-1 py-0.5" aria-label="Link expires">
        <option value="0">never expires</option>
        <option value="1">expires in 1 day</option>
        <option value="7">expires in 7 days</option>
        <option value="30">expires in 30 days</option>
      </select>
      <button disabled={pending} className="rounded border border-slate-300 px-2 py-0.5 hover:bg-slate-50 disabled:opacity-50">
        Create share link
      </button>
      {absolute && (
        <input readOnly value={absolute} onFocus={(e) => e.target.select()} className="w-[28rem] rounded border border-amber-300 bg-amber-50 px-2 py-0.5 font-mono" data-testid="new-share-url" />
      )}
      {state.error && <span className="text-red-700">{state.error}</span>}
    </form>
  )
}
