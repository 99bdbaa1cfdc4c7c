'use client'

// Copies a text to the clipboard and says so for a moment. Falls back to selecting the text
// where the clipboard API is unavailable (plain http on another host).
import { useState } from 'react'

export function CopyButton({ text, label = 'Copy', className = '' }: { text: string; label?: string; className?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle')
  return (
    <button
      type="button"
      data-testid="copy-button"
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(text)
          setState('copied')
        } catch {
          setState('failed')
        }
        setTimeout(() => setState('idle'), 2000)
      }}
      className={`whitespace-nowrap rounded border border-slate-300 bg-white px-2 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50 ${className}`}
    >
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Select and copy (Ctrl+C)' : label}
    </button>
  )
}
