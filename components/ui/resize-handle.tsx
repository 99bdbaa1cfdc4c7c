'use client'

// A draggable divider between two panes, and the remembered size it sets. The size is kept in
// localStorage under a key of the caller's choice, so a split chosen once stays chosen on every
// trace; the first render uses the default (the server cannot know the stored value).
import { useCallback, useEffect, useRef, useState } from 'react'

export function clampSize(value: number, min: number, max: number): number {
  return Math.round(Math.min(Math.max(value, min), Math.max(min, max)))
}

/** A number remembered in localStorage (per browser), with its setter. */
export function useRememberedSize(key: string, initial: number): [number, (next: number | ((current: number) => number)) => void] {
  const [size, setSize] = useState(initial)
  useEffect(() => {
    const stored = Number(window.localStorage.getItem(key))
    if (Number.isFinite(stored) && stored > 0) setSize(stored)
  }, [key])
  const remember = useCallback(
    (next: number | ((current: number) => number)) => {
      setSize((current) => {
        const value = typeof next === 'function' ? next(current) : next
        try {
          window.localStorage.setItem(key, String(value))
        } catch {
          // Storage full or disabled: the size still applies to this page.
        }
        return value
      })
    },
    [key],
  )
  return [size, remember]
}

/**
 * A vertical bar that reports horizontal drags as pointer movement (px since the last report);
 * the arrow keys move it by 16 px, for keyboards.
 */
export function ResizeHandle({ label, onResize, className = '' }: { label: string; onResize: (dx: number) => void; className?: string }) {
  const start = useRef<number | undefined>(undefined)
  return (
    <div
      role="separator"
      aria-orientation="vertical"
      aria-label={label}
      tabIndex={0}
      title={`${label} (drag, or arrow keys)`}
      data-testid="resize-handle"
      className={`group relative z-20 w-1.5 shrink-0 cursor-col-resize touch-none select-none bg-slate-100 outline-none hover:bg-blue-300 focus-visible:bg-blue-400 ${className}`}
      onPointerDown={(event) => {
        event.preventDefault()
        event.currentTarget.setPointerCapture(event.pointerId)
        start.current = event.clientX
      }}
      onPointerMove={(event) => {
        if (start.current === undefined || event.clientX === start.current) return
        onResize(event.clientX - start.current)
        start.current = event.clientX
      }}
      onPointerUp={(event) => {
        if (start.current === undefined) return
        start.current = undefined
        event.currentTarget.releasePointerCapture(event.pointerId)
      }}
      onKeyDown={(event) => {
        if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return
        event.preventDefault()
        onResize(event.key === 'ArrowLeft' ? -16 : 16)
      }}
    />
  )
}
