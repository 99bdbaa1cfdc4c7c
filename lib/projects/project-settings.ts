// A project's settings as ingest needs them, cached for a few seconds: OTLP batches arrive many
// times a second and each needs the project's tenant attribute key. A change made in this
// process is seen at once; other replicas see it within the cache time.
import { eq } from 'drizzle-orm'
import { z } from 'zod'
import { postgres } from '@/db/postgres/client'
import { projects, type ProjectSettings } from '@/db/postgres/schema'
import { getProject } from './projects'

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

/** The settings API's body: snake_case like the rest of the API; null clears a setting. */
export const projectSettingsPatchSchema = z
  .object({
    tenant_attribute: z
      .string()
      .trim()
      .min(1, 'must not be empty (send null to clear it)')
      .max(256, 'must be at most 256 characters')
      .nullable()
      .optional(),
  })
  .strict()

export type ProjectSettingsPatch = z.infer<typeof projectSettingsPatchSchema>

/** Applies a settings change; returns the new settings, or undefined for an unknown project. */
export async function updateProjectSettings(projectId: string, patch: ProjectSettingsPatch): Promise<ProjectSettings | undefined> {
  const project = await getProject(projectId)
  if (!project) return undefined
  const settings: ProjectSettings = { ...project.settings }
  if (patch.tenant_attribute === null) delete settings.tenantAttribute
  else if (patch.tenant_attribute !== undefined) settings.tenantAttribute = patch.tenant_attribute
  await postgres().update(projects).set({ settings }).where(eq(projects.id, projectId))
  cache.delete(projectId)
  return settings
}

/**
 * Replaces part of a project's settings (redaction, sampling, retention: lib/recorder/), seen by
 * this process's ingest at once; undefined for an unknown project.
 */
export async function changeProjectSettings(projectId: string, change: (settings: ProjectSettings) => ProjectSettings): Promise<ProjectSettings | undefined> {
  const project = await getProject(projectId)
  if (!project) return undefined
  const settings = change({ ...project.settings })
  await postgres().update(projects).set({ settings }).where(eq(projects.id, projectId))
  cache.delete(projectId)
  return settings
}

export function settingsToApi(settings: ProjectSettings) {
  return { tenant_attribute: settings.tenantAttribute ?? null }
}
