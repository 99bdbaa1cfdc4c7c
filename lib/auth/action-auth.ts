// Server actions are POST endpoints a browser can call with any arguments: each one checks that
// the signed-in user may see the project before it reads anything (the same rule as pages).
import { getProject } from '@/lib/projects/projects'
import { currentUser } from './page-auth'
import { memberProjectIds } from './users'

export class ActionDeniedError extends Error {}

export async function requireProjectAccessInAction(projectId: unknown, { write = false } = {}): Promise<{ projectId: string }> {
  if (typeof projectId !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(projectId)) throw new ActionDeniedError('unknown project')
  const user = await currentUser()
  if (!user) throw new ActionDeniedError('sign in first')
  if (!(await getProject(projectId))) throw new ActionDeniedError('unknown project')
  if (user.role !== 'admin' && !(await memberProjectIds(user.id)).includes(projectId)) throw new ActionDeniedError('unknown project')
  if (write && user.role === 'viewer') throw new ActionDeniedError('viewers cannot change this project')
  return { projectId }
}
