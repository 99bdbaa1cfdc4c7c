'use client'

// "Save view" in the project header: saves the current screen (its path and complete URL state)
// under a name, and offers a read-only share link for it. A relative range ("last 7 days") can be
// pinned to the absolute moment it covers now, so the view keeps showing that moment; a share
// link pins it by default (an incident link must not slide out of its window).
import { usePathname, useSearchParams } from 'next/navigation'
import { useState } from 'react'
import { VIEW_PATH } from '@/lib/views/view-paths'
import { pinnedState } from '@/lib/views/pin-range'

async function post(url: string, body: unknown): Promise<{ ok: boolean; json: Record<string, unknown> }> {
  const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
  return { ok: response.ok, json: await response.json().catch(() => ({})) }
}

export function SaveViewButton({ projectId, canWrite }: { projectId: string; canWrite: boolean }) {
  const pathname = usePathname()
  const search = useSearchParams()
  const [open, setOpen] = useState(false)
  const [name, setName] = useState('')
  const [saved, setSaved] = useState<{ id: string; name: string; state: Record<string, string>; pinned: boolean }>()
  const [pin, setPin] = useState(false)
  const [pinShare, setPinShare] = useState(true)
  const [shareUrl, setShareUrl] = useState<string>()
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)
  if (!canWrite || !VIEW_PATH.test(pathname)) return null

  const reset = () => {
    setOpen(false)
    setSaved(undefined)
    setShareUrl(undefined)
    setError(undefined)
    setName('')
    setPin(false)
    setPinShare(true)
  }
  // A cursor points into one page of results at one moment: not part of a view.
  const currentState = () => Object.fromEntries([...search.entries()].filter(([key]) => key !== 'cursor'))
  const pinnable = !search.get('from') && !search.get('to')
  const save = async (event: React.FormEvent) => {
    event.preventDefault()
    setBusy(true)
    setError(undefined)
    const state = pin && pinnable ? pinnedState(currentState()) : currentState()
    const result = await post(`/api/v1/views?project=${encodeURIComponent(projectId)}`, { name, path: decodeURIComponent(pathname), state })
    setBusy(false)
    if (!result.ok) return setError(String(result.json.error ?? 'could not save'))
    setSaved({ id: String(result.json.id), name, state, pinned: Boolean(state.from) })
  }
  const share = async () => {
    if (!saved) return
    setBusy(true)
    let viewId = saved.id
    if (pinShare && !saved.pinned) {
      // The link gets its own pinned copy of the view; the saved view stays relative.
      const state = pinnedState(saved.state)
      const copy = await post(`/api/v1/views?project=${encodeURIComponent(projectId)}`, { name: `${saved.name} (${state.from.slice(0, 16).replace('T', ' ')} – ${state.to.slice(0, 16).replace('T', ' ')} UTC)`, path: decodeURIComponent(pathname), state })
      if (!copy.ok) {
        setBusy(false)
        return setError(String(copy.json.error ?? 'could not pin the time range'))
      }
      viewId = String(copy.json.id)
    }
    const result = await post(`/api/v1/views/${viewId}/share?project=${encodeURIComponent(projectId)}`, {})
    setBusy(false)
    if (!result.ok) return setError(String(result.json.error ?? 'could not create a share link'))
    setShareUrl(String(result.json.url))
  }

  return (
    <div className="relative">
      <button type="button" onClick={() => (open ? reset() : setOpen(true))} className="whitespace-nowrap rounded border border-slate-300 px-2 py-1 text-xs hover:bg-slate-50">
        Save view
      </button>
      {open && (
        <div className="absolute right-0 top-9 z-30 w-96 space-y-2 rounded border border-slate-200 bg-white p-3 text-sm shadow-lg" data-testid="save-view-panel">
          {!saved ? (
            <form onSubmit={save} className="space-y-2">
              <label className="block space-y-1">
                <span className="text-xs font-medium text-slate-600">Name of this view</span>
                <input autoFocus required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} className="w-full rounded border border-slate-300 px-2 py-1" placeholder="e.g. Tuesday cache incident" />
              </label>
              <p className="text-xs text-slate-500">Saves this page with its filters and time range ({search.get('range') ?? (search.get('from') ? 'absolute' : 'default')}).</p>
              {pinnable && (
                <label className="flex items-start gap-2 text-xs text-slate-700">
                  <input type="checkbox" checked={pin} onChange={(e) => setPin(e.target.checked)} data-testid="pin-range" />
                  <span>
                    Pin this time range: always show {describePinned(currentState())} instead of a window that moves with the clock
                  </span>
                </label>
              )}
              <button disabled={busy} className="rounded bg-slate-900 px-3 py-1 text-white disabled:opacity-50">
                Save
              </button>
            </form>
          ) : (
            <div className="space-y-2">
              <p>
                Saved <strong>{saved.name}</strong>.{' '}
                <a className="text-blue-700 underline" href={`/projects/${projectId}/views`}>
                  All saved views
                </a>
              </p>
              {shareUrl ? (
                <>
                  <p className="text-xs text-slate-600">Anyone with this link can open this view, read-only, until it is revoked:</p>
                  <input readOnly value={shareUrl} onFocus={(e) => e.target.select()} className="w-full rounded border border-amber-300 bg-amber-50 px-2 py-1 font-mono text-xs" data-testid="share-url" />
                  <button type="button" onClick={() => navigator.clipboard?.writeText(shareUrl)} className="rounded border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-50">
                    Copy
                  </button>
                </>
              ) : (
                <div className="space-y-2">
                  {!saved.pinned && (
                    <label className="flex items-start gap-2 text-xs text-slate-700">
                      <input type="checkbox" checked={pinShare} onChange={(e) => setPinShare(e.target.checked)} data-testid="pin-share-range" />
                      <span>Pin the time range in the link ({describePinned(saved.state)}), so it shows this moment for whoever opens it later</span>
                    </label>
                  )}
                  <button type="button" disabled={busy} onClick={share} className="rounded bg-slate-900 px-3 py-1 text-white disabled:opacity-50">
                    Create share link
                  </button>
                </div>
              )}
            </div>
          )}
          {error && (
            <p className="text-red-700" role="alert">
              {error}
            </p>
          )}
        </div>
      )}
    </div>
  )
}

function describePinned(state: Record<string, string>): string {
  const { from, to } = pinnedState(state)
  return `${from.slice(0, 16).replace('T', ' ')} – ${to.slice(0, 16).replace('T', ' ')} UTC`
}
