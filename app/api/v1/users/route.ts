import { z } from 'zod'
import { answer, requireAdmin } from '@/lib/auth/with-project'
import { addProjectMember, createUser, DuplicateEmailError, listUsers, newUserSchema } from '@/lib/auth/users'
import { badRequest, HttpError, jsonResponse } from '@/lib/http/errors'
import { readJson } from '@/lib/http/read-body'
import { describeIssues } from '@/lib/ingest/span-schema'
import { getProject } from '@/lib/projects/projects'

export const dynamic = 'force-dynamic'

const createUserRequest = newUserSchema.extend({ projects: z.array(z.string().max(64)).max(1000).default([]) }).strict()

export function POST(request: Request) {
  return answer(async () => {
    await requireAdmin(request)
    const parsed = createUserRequest.safeParse(await readJson(request, 64 * 1024))
    if (!parsed.success) throw badRequest(describeIssues(parsed.error))
    for (const projectId of parsed.data.projects) {
      if (!(await getProject(projectId))) throw badRequest(`project ${projectId} does not exist`)
    }
    try {
      const user = await createUser(parsed.data)
      for (const projectId of parsed.data.projects) await addProjectMember(projectId, user.id)
      return jsonResponse({ id: user.id, email: user.email, role: user.role, projects: parsed.data.projects }, 201)
    } catch (error) {
      if (error instanceof DuplicateEmailError) throw new HttpError(409, 'conflict', error.message)
      throw error
    }
  })
}

export function GET(request: Request) {
  return answer(async () => {
    await requireAdmin(request)
    const users = await listUsers()
    return jsonResponse({ users: users.map((u) => ({ id: u.id, email: u.email, name: u.name, role: u.role, created_at: u.createdAt.toISOString() })) })
  })
}
