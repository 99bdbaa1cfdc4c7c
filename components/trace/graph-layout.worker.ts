// Runs ELK off the main thread, so laying out a large graph never freezes the tab.
import { layoutGraph, type LayoutRequest } from '@/lib/graph/layout'

const scope = self as unknown as { onmessage: ((event: MessageEvent) => void) | null; postMessage: (message: unknown) => void }

scope.onmessage = async (event: MessageEvent<{ id: number; request: LayoutRequest }>) => {
  const { id, request } = event.data
  try {
    scope.postMessage({ id, result: await layoutGraph(request) })
  } catch (error) {
    scope.postMessage({ id, error: error instanceof Error ? error.message : String(error) })
  }
}
