// Projects: the unit of isolation. Every span, score and key belongs to exactly one project.
import { randomBytes } from 'node:crypto'
import { asc, eq } from 'drizzle-orm'
import { z } from 'zod'
import { postgres } from '@/db/postgres/client'
import { apiKeys, projects, type Project } from '@/db/postgres/schema'
import { createApiKey } from '@/lib/auth/api-keys'

export const createProjectSchema = z
  .object({ name: z.string().trim().min(1, 'name must not be empty').max(200, 'name must be at most 200 characters') })
  .strict()

export interface CreatedProject {
  id: string
  name: string
  api_key: string
}

export function newProjectId(): string {
  return `p_${randomBytes(8).toString('hex')}`
}

export async function createProject(name: string): Promise<CreatedProject> {
  const id = newProjectId()
  await postgres().insert(projects).values({ id, name })
  const { key } = await createApiKey(id, 'default', ['ingest', 'read'])
  return { id, name, api_key: key }
}

export async function getProject(id: string): Promise<Project | undefined> {
  const [row] = await postgres().select().from(projects).where(eq(projects.id, id)).limit(1)
  return row
}

export async function listProjects(): Promise<Project[]> {
  return postgres().select().from(projects).orderBy(asc(projects.createdAt))
}

export async function listApiKeys(projectId: string) {
  return postgres()
    .select({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix, scopes: apiKeys.scopes, createdAt: apiKeys.createdAt, revokedAt: apiKeys.revokedAt })
    .from(apiKeys)
    .where(eq(apiKeys.projectId, projectId))
    .orderBy(asc(apiKeys.createdAt))
}
