'use server'

import { createProject, createProjectSchema } from '@/lib/projects/projects'
import { storesReady } from '@/lib/runtime/stores'

export interface CreateProjectState {
  error?: string
  created?: { id: string; name: string; api_key: string }
}

export async function createProjectAction(_: CreateProjectState, form: FormData): Promise<CreateProjectState> {
  const parsed = createProjectSchema.safeParse({ name: form.get('name') ?? '' })
  if (!parsed.success) return { error: parsed.error.issues[0]?.message ?? 'invalid name' }
  await storesReady()
  return { created: await createProject(parsed.data.name) }
}
