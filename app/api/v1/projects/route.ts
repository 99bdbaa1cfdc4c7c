import { answer, requireAdmin } from '@/lib/auth/with-project'
import { badRequest, jsonResponse } from '@/lib/http/errors'
import { readJson } from '@/lib/http/read-body'
import { describeIssues } from '@/lib/ingest/span-schema'
import { createProject, createProjectSchema, listProjects } from '@/lib/projects/projects'

export const dynamic = 'force-dynamic'

export function POST(request: Request) {
  return answer(async () => {
    await requireAdmin(request)
    const parsed = createProjectSchema.safeParse(await readJson(request, 64 * 1024))
    if (!parsed.success) throw badRequest(describeIssues(parsed.error))
    return jsonResponse(await createProject(parsed.data.name), 201)
  })
}

export function GET(request: Request) {
  return answer(async () => {
    await requireAdmin(request)
    const projects = await listProjects()
    return jsonResponse({ projects: projects.map((p) => ({ id: p.id, name: p.name, created_at: p.createdAt.toISOString() })) })
  })
}
