// What the server knows about the request being answered, for its log line: the request id
// (also sent back as X-Request-Id) and, once a route has resolved its caller, the project.
// scripts/server.mjs opens a context per request; route code, bundled separately by Next,
// reaches the same AsyncLocalStorage through a global symbol.
import { AsyncLocalStorage } from 'node:async_hooks'

export interface RequestContext {
  requestId: string
  projectId?: string
}

const GLOBAL_KEY = Symbol.for('flightline.request-context')

function storage(): AsyncLocalStorage<RequestContext> {
  const slot = globalThis as Record<symbol, AsyncLocalStorage<RequestContext> | undefined>
  slot[GLOBAL_KEY] ??= new AsyncLocalStorage<RequestContext>()
  return slot[GLOBAL_KEY]
}

export function currentRequest(): RequestContext | undefined {
  return storage().getStore()
}

/** Records the project a request acts on (its log line names it). */
export function noteRequestProject(projectId: string): void {
  const context = storage().getStore()
  if (context) context.projectId = projectId
}
