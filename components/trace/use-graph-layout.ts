'use client'

// Lays out a graph in a Web Worker and returns the positions once ready. A newer request
// supersedes an older one; the worker lives as long as the component.
import { useEffect, useRef, useState } from 'react'
import type { LayoutRequest, LayoutResult } from '@/lib/graph/layout'

export type LayoutState = { status: 'idle' } | { status: 'running'; started: number } | { status: 'done'; result: LayoutResult; ms: number } | { status: 'failed'; error: string }

export function useGraphLayout(request: LayoutRequest | undefined): LayoutState {
  const worker = useRef<Worker | null>(null)
  const latest = useRef(0)
  const [state, setState] = useState<LayoutState>({ status: 'idle' })

  useEffect(() => {
    worker.current = new Worker(new URL('./graph-layout.worker.ts', import.meta.url), { type: 'module' })
    return () => {
      worker.current?.terminate()
      worker.current = null
    }
  }, [])

  useEffect(() => {
    const current = worker.current
    if (!request || !current) return
    const id = ++latest.current
    const started = performance.now()
    setState({ status: 'running', started })
    const onMessage = (event: MessageEvent<{ type?: string; id: number; result?: LayoutResult; error?: string }>) => {
      if (event.data?.type !== 'layout' || event.data.id !== id) return
      if (event.data.result) setState({ status: 'done', result: event.data.result, ms: performance.now() - started })
      else setState({ status: 'failed', error: event.data.error ?? 'layout failed' })
    }
    const onError = (event: ErrorEvent) => setState({ status: 'failed', error: event.message || 'the layout worker failed' })
    current.addEventListener('message', onMessage)
    current.addEventListener('error', onError)
    current.postMessage({ type: 'layout', id, request })
    return () => {
      current.removeEventListener('message', onMessage)
      current.removeEventListener('error', onError)
    }
  }, [request])

  return state
}
