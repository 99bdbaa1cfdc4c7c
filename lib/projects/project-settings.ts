// A project's settings as ingest needs them, cached for a few seconds: OTLP batches arrive many
// times a second and each needs the project's tenant attribute key.
import { getProject } from './projects'
import type { ProjectSettings } from '@/db/postgres/schema'

const CACHE_MS = 10_000
const cache = new Map<string, { settings: ProjectSettings; expires: number }>()

export async function projectSettings(projectId: string): Promise<ProjectSettings> {
  const hit = cache.get(projectId)
  if (hit && hit.expires > Date.now()) return hit.settings
  const settings = (await getProject(projectId))?.settings ?? {}
  if (cache.size > 10_000) cache.clear()
  cache.set(projectId, { settings, expires: Date.now() + CACHE_MS })
  return settings
}

/** Drops the cached copy after the settings changed in this process. */
export function forgetProjectSettings(projectId: string): void {
  cache.delete(projectId)
}
