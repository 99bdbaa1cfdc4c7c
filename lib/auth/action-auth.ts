// Server actions are POST endpoints a browser can call with any arguments: each one checks that
// the signed-in user may see the project before it reads anything (the same rule as pages).
import { resolveShareToken } from '@/lib/views/share-links'
import type { User } from '@/db/postgres/schema'
import { sharedViewOpensTrace } from '@/lib/traces/shared-trace-access'
import { currentUser } from './page-auth'
import { projectVisibleTo } from './users'

export class ActionDeniedError extends Error {}

export async function requireProjectAccessInAction(projectId: unknown, { write = false } = {}): Promise<{ projectId: string; user: User }> {
  if (typeof projectId !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(projectId)) throw new ActionDeniedError('unknown project')
  const user = await currentUser()
  if (!user) throw new ActionDeniedError('sign in first')
  if (!(await projectVisibleTo(user, projectId))) throw new ActionDeniedError('unknown project')
  if (write && user.role === 'viewer') throw new ActionDeniedError('viewers cannot change this project')
  return { projectId, user }
}

/**
 * Access to one trace from a server action: a signed-in user who may see the project, or a
 * share token whose view is this trace, or a traces list that includes it.
 */
export async function requireTraceAccessInAction(projectId: unknown, traceId: string, shareToken?: unknown): Promise<{ projectId: string }> {
  if (shareToken === undefined || shareToken === null) return { projectId: (await requireProjectAccessInAction(projectId)).projectId }
  if (typeof shareToken !== 'string' || typeof projectId !== 'string') throw new ActionDeniedError('unknown share link')
  const resolved = await resolveShareToken(shareToken)
  if (resolved.status !== 'ok' || !(await sharedViewOpensTrace(resolved.view, projectId, traceId))) throw new ActionDeniedError('this share link does not open this trace')
  return { projectId }
}
