// Runs ELK off the main thread, so laying out a large graph never freezes the tab.
import { layoutGraph, type LayoutRequest } from '@/lib/graph/layout'

const scope = self as unknown as {
  addEventListener: (type: 'message', listener: (event: MessageEvent) => void) => void
  postMessage: (message: unknown) => void
}

// elkjs, started inside a worker, makes itself that worker's message handler (self.onmessage =
// its dispatcher) the first time an engine is created, which would swallow every later request.
// This worker speaks its own protocol, so that assignment is made a no-op.
Object.defineProperty(self, 'onmessage', { configurable: true, get: () => null, set: () => {} })

scope.addEventListener('message', async (event: MessageEvent<{ type?: string; id: number; request: LayoutRequest }>) => {
  if (event.data?.type !== 'layout') return
  const { id, request } = event.data
  try {
    scope.postMessage({ type: 'layout', id, result: await layoutGraph(request) })
  } catch (error) {
    scope.postMessage({ type: 'layout', id, error: error instanceof Error ? error.message : String(error) })
  }
})
