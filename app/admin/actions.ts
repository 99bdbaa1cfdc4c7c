'use server'

import { revalidatePath } from 'next/cache'
import { z } from 'zod'
import { requireAdminUser } from '@/lib/auth/page-auth'
import { createApiKey, KEY_CREATION_DENIED, mayCreateApiKeys, revokeApiKey } from '@/lib/auth/api-keys'
import { addProjectMember, createUser, DuplicateEmailError, newUserSchema, removeProjectMember, setUserRole, USER_ROLES } from '@/lib/auth/users'
import { createProject, createProjectSchema } from '@/lib/projects/projects'

export interface AdminState {
  error?: string
  message?: string
  /** A secret shown once (a new API key). */
  secret?: string
}

export async function createUserAction(_: AdminState, form: FormData): Promise<AdminState> {
  await requireAdminUser()
  const parsed = newUserSchema.safeParse({ email: form.get('email'), name: form.get('name') ?? '', password: form.get('password'), role: form.get('role') })
  if (!parsed.success) return { error: parsed.error.issues.map((issue) => issue.message).join('; ') }
  try {
    const user = await createUser(parsed.data)
    for (const projectId of form.getAll('projects')) await addProjectMember(String(projectId), user.id)
  } catch (error) {
    if (error instanceof DuplicateEmailError) return { error: error.message }
    throw error
  }
  revalidatePath('/admin')
  return { message: `Created ${parsed.data.email}.` }
}

export async function setRoleAction(form: FormData): Promise<void> {
  const admin = await requireAdminUser()
  const role = z.enum(USER_ROLES).parse(form.get('role'))
  const userId = String(form.get('userId'))
  // An administrator cannot demote themself: there must always be someone who can fix things.
  if (userId !== admin.id) await setUserRole(userId, role)
  revalidatePath('/admin')
}

export async function membershipAction(form: FormData): Promise<void> {
  await requireAdminUser()
  const projectId = String(form.get('projectId'))
  const userId = String(form.get('userId'))
  if (form.get('op') === 'remove') await removeProjectMember(projectId, userId)
  else await addProjectMember(projectId, userId)
  revalidatePath('/admin')
}

export async function createProjectAdminAction(_: AdminState, form: FormData): Promise<AdminState> {
  await requireAdminUser()
  const parsed = createProjectSchema.safeParse({ name: form.get('name') ?? '' })
  if (!parsed.success) return { error: parsed.error.issues[0]?.message }
  const created = await createProject(parsed.data.name)
  revalidatePath('/admin')
  return { message: `Created project ${created.name} (${created.id}). Its first API key, shown once:`, secret: created.api_key }
}

export async function createKeyAction(_: AdminState, form: FormData): Promise<AdminState> {
  const user = await requireAdminUser()
  if (!mayCreateApiKeys(user)) return { error: KEY_CREATION_DENIED }
  const scopes = z.array(z.enum(['ingest', 'read'])).min(1, 'choose at least one scope').safeParse(form.getAll('scopes'))
  if (!scopes.success) return { error: scopes.error.issues[0]?.message }
  const name = String(form.get('name') ?? '').trim() || 'key'
  const { key } = await createApiKey(String(form.get('projectId')), name, scopes.data)
  revalidatePath('/admin')
  return { message: `Created key "${name}". Copy it now; it is not shown again:`, secret: key }
}

export async function revokeKeyAction(form: FormData): Promise<void> {
  await requireAdminUser()
  await revokeApiKey(String(form.get('projectId')), String(form.get('keyId')))
  revalidatePath('/admin')
}
