// Who is looking at a page. Pages are server components: they call these before reading data,
// so an unauthenticated visitor is sent to the login (or first-run setup) page, and a user
// sees only projects they belong to.
import { cookies } from 'next/headers'
import { forbidden, notFound, redirect } from 'next/navigation'
import type { User } from '@/db/postgres/schema'
import { storesReady } from '@/lib/runtime/stores'
import { mayCreateApiKeys } from './api-keys'
import { SESSION_COOKIE, userForSession } from './sessions'
import { countUsers, projectVisibleTo } from './users'

export async function currentUser(): Promise<User | undefined> {
  await storesReady()
  return userForSession((await cookies()).get(SESSION_COOKIE)?.value)
}

export async function requireUser(next?: string): Promise<User> {
  const user = await currentUser()
  if (user) return user
  if ((await countUsers()) === 0) redirect('/setup')
  redirect(next ? `/login?next=${encodeURIComponent(next)}` : '/login')
}

export async function requireAdminUser(): Promise<User> {
  const user = await requireUser('/admin')
  // The admin page exists for everyone who can sign in: a 403 in the app's frame says why not.
  if (user.role !== 'admin') forbidden()
  return user
}

/** The project if this user may see it; a 404 otherwise (never reveal other projects exist). */
export async function requireProjectAccess(projectId: string) {
  const user = await requireUser(`/projects/${projectId}/traces`)
  const project = await projectVisibleTo(user, projectId)
  if (!project) notFound()
  return { user, project, canWrite: user.role !== 'viewer', canCreateKeys: mayCreateApiKeys(user) }
}
