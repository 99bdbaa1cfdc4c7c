'use server'

import { revalidatePath } from 'next/cache'
import { requireAdminUser } from '@/lib/auth/page-auth'
import { createProject, createProjectSchema } from '@/lib/projects/projects'

export interface CreateProjectState {
  error?: string
  created?: { id: string; name: string; api_key: string }
}

export async function createProjectAction(_: CreateProjectState, form: FormData): Promise<CreateProjectState> {
  await requireAdminUser()
  const parsed = createProjectSchema.safeParse({ name: form.get('name') ?? '' })
  if (!parsed.success) return { error: parsed.error.issues[0]?.message ?? 'invalid name' }
  const created = await createProject(parsed.data.name)
  // The project list above the form shows the new project at once.
  revalidatePath('/')
  return { created }
}
