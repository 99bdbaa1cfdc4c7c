'use server'

import { createApiKey, KEY_CREATION_DENIED, mayCreateApiKeys } from '@/lib/auth/api-keys'
import { ActionDeniedError, requireProjectAccessInAction } from '@/lib/auth/action-auth'

/** A fresh ingest + read key for a project, shown once in the "send data" instructions. */
export async function createOnboardingKeyAction(projectId: string): Promise<{ key?: string; error?: string }> {
  let access
  try {
    access = await requireProjectAccessInAction(projectId, { write: true })
  } catch (error) {
    if (error instanceof ActionDeniedError) return { error: error.message }
    throw error
  }
  if (!mayCreateApiKeys(access.user)) return { error: KEY_CREATION_DENIED }
  const { key } = await createApiKey(access.projectId, 'getting-started', ['ingest', 'read'])
  return { key }
}
