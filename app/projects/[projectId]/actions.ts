'use server'

import { createApiKey } from '@/lib/auth/api-keys'
import { getProject } from '@/lib/projects/projects'
import { storesReady } from '@/lib/runtime/stores'

/** A fresh ingest + read key for a project, shown once in the "send data" instructions. */
export async function createOnboardingKeyAction(projectId: string): Promise<{ key?: string; error?: string }> {
  if (typeof projectId !== 'string' || projectId.length > 64) return { error: 'unknown project' }
  await storesReady()
  if (!(await getProject(projectId))) return { error: `project ${projectId} does not exist` }
  const { key } = await createApiKey(projectId, 'getting-started', ['ingest', 'read'])
  return { key }
}
