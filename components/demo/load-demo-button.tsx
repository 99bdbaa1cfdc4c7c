'use client'

// "Load demo data": starts the server-side demo job for a project and shows its progress
// until the data is in, then refreshes the page so the views show it.
import { useRouter } from 'next/navigation'
import { useCallback, useEffect, useRef, useState } from 'react'
import type { DemoJobStatus } from '@/lib/demo/demo-jobs'
import { formatClock } from '@/lib/demo/progress-line'

type Status = DemoJobStatus | { project_id: string; state: 'idle' }

const count = new Intl.NumberFormat('en-US')
/** Sizes offered: small loads in seconds, the largest takes minutes on a small machine. */
const SIZES = [
  { spans: 20_000, label: '20k spans (seconds)' },
  { spans: 100_000, label: '100k spans (under a minute)' },
  { spans: 200_000, label: '200k spans (about a minute)' },
  { spans: 1_000_000, label: '1M spans (several minutes)' },
]

export function LoadDemoButton({ projectId, spans }: { projectId: string; spans?: number }) {
  const router = useRouter()
  const [status, setStatus] = useState<Status | undefined>()
  const [error, setError] = useState<string | undefined>()
  const [starting, setStarting] = useState(false)
  const [size, setSize] = useState(spans ?? 200_000)
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)
  const url = `/api/v1/demo?project=${encodeURIComponent(projectId)}`

  const poll = useCallback(async () => {
    try {
      const response = await fetch(url, { cache: 'no-store' })
      const next = (await response.json()) as Status
      setStatus(next)
      if (next.state === 'running') timer.current = setTimeout(poll, 1000)
      else if (next.state === 'done') router.refresh()
    } catch {
      timer.current = setTimeout(poll, 3000)
    }
  }, [url, router])

  useEffect(() => {
    void poll()
    return () => clearTimeout(timer.current)
  }, [poll])

  const start = async () => {
    setStarting(true)
    setError(undefined)
    try {
      const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ spans: size }) })
      const body = await response.json()
      if (response.status !== 202 && response.status !== 409) throw new Error(body.error ?? `the server answered ${response.status}`)
      if (response.status === 409) setError(body.error)
      await poll()
    } catch (e) {
      setError((e as Error).message)
    } finally {
      setStarting(false)
    }
  }

  const stop = async () => {
    await fetch(url, { method: 'DELETE' }).catch(() => undefined)
    await poll()
  }

  const running = status?.state === 'running' ? status : undefined
  const finished = status && status.state !== 'running' && status.state !== 'idle' ? status : undefined
  const fraction = running ? Math.min(1, running.spans_sent / Math.max(1, running.spans_planned)) : 0

  return (
    <div className="space-y-2" data-testid="load-demo">
      {!running && (
        <div className="flex items-center gap-2">
          <select value={size} onChange={(e) => setSize(Number(e.target.value))} aria-label="Demo size" data-testid="load-demo-size" className="h-8 rounded border border-slate-300 bg-white px-2 text-sm">
          {SIZES.map((option) => (
            <option key={option.spans} value={option.spans}>
              {option.label}
            </option>
          ))}
        </select>
        <button
          type="button"
          onClick={start}
          disabled={starting}
          className="rounded bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700 disabled:opacity-50"
          data-testid="load-demo-button"
        >
          {starting ? 'Starting…' : 'Load demo data'}
        </button>
        </div>
      )}
      {!running && !finished && (
        <p className="text-xs text-slate-500">A week of traffic from a fictional support-agent platform: a dozen tenants, planted incidents to find.</p>
      )}
      {running && (
        <div className="w-full max-w-xl space-y-1" data-testid="load-demo-progress">
          <div
            className="h-2 overflow-hidden rounded bg-slate-200"
            role="progressbar"
            aria-label="Demo data loaded"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.round(fraction * 100)}
          >
            <div className="h-full bg-blue-600 transition-[width] duration-500" style={{ width: `${(fraction * 100).toFixed(1)}%` }} />
          </div>
          <p className="text-xs text-slate-600">
            Loading demo data: {count.format(running.spans_sent)} / {count.format(running.spans_planned)} spans · {count.format(running.rate)} spans/s ·{' '}
            {running.eta_ms === null ? 'estimating time left' : `${formatClock(running.eta_ms)} left`} ·{' '}
            <button type="button" onClick={stop} className="text-slate-500 underline hover:text-slate-800" data-testid="load-demo-stop">
              stop
            </button>
          </p>
        </div>
      )}
      {finished?.state === 'done' && (
        <p className="text-xs text-green-700" data-testid="load-demo-done">
          Loaded {count.format(finished.spans_sent)} spans and {count.format(finished.scores_sent)} scores. Refreshing…
        </p>
      )}
      {finished?.state === 'failed' && <p className="text-xs text-red-700">Loading demo data failed: {finished.error}</p>}
      {finished?.state === 'cancelled' && (
        <p className="text-xs text-slate-600" data-testid="load-demo-cancelled">
          Stopped after {count.format(finished.spans_sent)} spans; what was loaded stays.
        </p>
      )}
      {error && <p className="text-xs text-red-700">{error}</p>}
    </div>
  )
}
