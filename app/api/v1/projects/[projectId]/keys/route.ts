import { z } from 'zod'
import { answer, requireAdmin, requireKeyCreator } from '@/lib/auth/with-project'
import { createApiKey } from '@/lib/auth/api-keys'
import { badRequest, jsonResponse, notFound } from '@/lib/http/errors'
import { readJson } from '@/lib/http/read-body'
import { describeIssues } from '@/lib/ingest/span-schema'
import { getProject, listApiKeys } from '@/lib/projects/projects'

export const dynamic = 'force-dynamic'

const createKeySchema = z
  .object({
    name: z.string().trim().min(1).max(200).default('key'),
    scopes: z.array(z.enum(['ingest', 'read', 'delete'], { message: "scopes are 'ingest', 'read' and 'delete'" })).min(1, 'give at least one scope').default(['ingest', 'read']),
  })
  .strict()

type Params = { params: Promise<{ projectId: string }> }

export function POST(request: Request, { params }: Params) {
  return answer(async () => {
    await requireKeyCreator(request)
    const { projectId } = await params
    if (!(await getProject(projectId))) throw notFound(`project ${projectId} does not exist`)
    const parsed = createKeySchema.safeParse(await readJson(request, 64 * 1024))
    if (!parsed.success) throw badRequest(describeIssues(parsed.error))
    const scopes = [...new Set(parsed.data.scopes)]
    const { id, key } = await createApiKey(projectId, parsed.data.name, scopes)
    return jsonResponse({ id, name: parsed.data.name, scopes, key }, 201)
  })
}

export function GET(request: Request, { params }: Params) {
  return answer(async () => {
    await requireAdmin(request)
    const { projectId } = await params
    if (!(await getProject(projectId))) throw notFound(`project ${projectId} does not exist`)
    const keys = await listApiKeys(projectId)
    return jsonResponse({
      keys: keys.map((k) => ({ id: k.id, name: k.name, prefix: k.prefix, scopes: k.scopes, created_at: k.createdAt, revoked_at: k.revokedAt })),
    })
  })
}
