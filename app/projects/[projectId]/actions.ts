'use server'

import { createApiKey } from '@/lib/auth/api-keys'
import { ActionDeniedError, requireProjectAccessInAction } from '@/lib/auth/action-auth'

/** A fresh ingest + read key for a project, shown once in the "send data" instructions. */
export async function createOnboardingKeyAction(projectId: string): Promise<{ key?: string; error?: string }> {
  try {
    await requireProjectAccessInAction(projectId, { write: true })
  } catch (error) {
    if (error instanceof ActionDeniedError) return { error: error.message }
    throw error
  }
  const { key } = await createApiKey(projectId, 'getting-started', ['ingest', 'read'])
  return { key }
}
