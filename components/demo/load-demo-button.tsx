'use client'

// "Load demo data": starts the server-side demo job for a project and shows its progress
// until the data is in, then refreshes the page so the views show it.
import { useRouter } from 'next/navigation'
import { useCallback, useEffect, useRef, useState } from 'react'
import type { DemoJobStatus } from '@/lib/demo/demo-jobs'
import { formatClock } from '@/lib/demo/progress-line'

type Status = DemoJobStatus | { project_id: string; state: 'idle' }

const count = new Intl.NumberFormat('en-US')

export function LoadDemoButton({ projectId, spans }: { projectId: string; spans?: number }) {
  const router = useRouter()
  const [status, setStatus] = useState<Status | undefined>()
  const [error, setError] = useState<string | undefined>()
  const [starting, setStarting] = useState(false)
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)
  const url = `/api/projects/${encodeURIComponent(projectId)}/demo`

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
      const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(spans ? { spans } : {}) })
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

  const running = status?.state === 'running' ? status : undefined
  const finished = status && status.state !== 'running' && status.state !== 'idle' ? status : undefined
  const fraction = running ? Math.min(1, running.spans_sent / Math.max(1, running.spans_planned)) : 0

  return (
    <div className="space-y-2" data-testid="load-demo">
      {!running && (
        <button
          type="button"
          onClick={start}
          disabled={starting}
          className="rounded bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700 disabled:opacity-50"
          data-testid="load-demo-button"
        >
          {starting ? 'Starting…' : 'Load demo data'}
        </button>
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
            {running.eta_ms === null ? 'estimating time left' : `${formatClock(running.eta_ms)} left`}
          </p>
        </div>
      )}
      {finished?.state === 'done' && (
        <p className="text-xs text-green-700" data-testid="load-demo-done">
          Loaded {count.format(finished.spans_sent)} spans and {count.format(finished.scores_sent)} scores. Refreshing…
        </p>
      )}
      {finished?.state === 'failed' && <p className="text-xs text-red-700">Loading demo data failed: {finished.error}</p>}
      {error && <p className="text-xs text-red-700">{error}</p>}
    </div>
  )
}
