'use client'

// What the per-model admin tables (prices, energy coefficients) share: saving or removing one
// model's entry at `${endpoint}/{model}` with the administrator's session, and the Save / Remove
// buttons with the answer beside them.
import { useRouter } from 'next/navigation'
import { useState } from 'react'

export function useModelEntryEditor(endpoint: string, noun: string) {
  const router = useRouter()
  const [message, setMessage] = useState<{ ok: boolean; text: string }>()
  const [busy, setBusy] = useState(false)

  /** PUTs `body` (or DELETEs) the model's entry; resolves true when the server accepted it. */
  const send = async (model: string, method: 'PUT' | 'DELETE', body?: unknown): Promise<boolean> => {
    const name = model.trim()
    if (!name) {
      setMessage({ ok: false, text: 'Name the model.' })
      return false
    }
    setBusy(true)
    try {
      const json = method === 'PUT' ? JSON.stringify(body) : undefined
      const response = await fetch(`${endpoint}/${encodeURIComponent(name)}`, { method, body: json, headers: json ? { 'Content-Type': 'application/json' } : {} })
      if (!response.ok) {
        const error = (await response.json().catch(() => ({}))) as { error?: string }
        setMessage({ ok: false, text: error.error ?? `The server answered ${response.status}.` })
        return false
      }
      setMessage({ ok: true, text: method === 'PUT' ? `Saved the ${noun} of ${name.toLowerCase()}.` : `Removed ${name.toLowerCase()}.` })
      router.refresh()
      return true
    } finally {
      setBusy(false)
    }
  }
  return { busy, message, setMessage, send }
}

export function ModelEntryActions({ busy, canRemove, onRemove, message }: { busy: boolean; canRemove: boolean; onRemove: () => void; message?: { ok: boolean; text: string } }) {
  return (
    <div className="flex items-center gap-3">
      <button type="submit" disabled={busy} className="rounded bg-slate-900 px-3 py-1 text-sm font-medium text-white hover:bg-slate-800 disabled:opacity-50">
        Save
      </button>
      <button type="button" disabled={busy || !canRemove} onClick={onRemove} className="rounded border border-red-300 px-3 py-1 text-sm text-red-700 hover:bg-red-50 disabled:opacity-40">
        Remove
      </button>
      {message && (
        <span className={`text-sm ${message.ok ? 'text-emerald-700' : 'text-red-700'}`} role="status">
          {message.text}
        </span>
      )}
    </div>
  )
}
