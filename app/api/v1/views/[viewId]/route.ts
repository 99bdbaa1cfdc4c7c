import { withProject } from '@/lib/auth/with-project'
import { badRequest, jsonResponse, notFound } from '@/lib/http/errors'
import { readJson } from '@/lib/http/read-body'
import { describeIssues } from '@/lib/ingest/span-schema'
import { apiView, deleteView, getView, renameView, viewUpdateSchema } from '@/lib/views/saved-views'

export const dynamic = 'force-dynamic'

type Params = { viewId: string }

export const GET = withProject<Params>('read', async ({ projectId, params }) => {
  const view = await getView(projectId, params.viewId)
  if (!view) throw notFound(`view ${params.viewId} not found in this project`)
  return jsonResponse(apiView(view))
})

export const PATCH = withProject<Params>('write', async ({ request, projectId, params }) => {
  const parsed = viewUpdateSchema.safeParse(await readJson(request, 16 * 1024))
  if (!parsed.success) throw badRequest(describeIssues(parsed.error))
  const view = await renameView(projectId, params.viewId, parsed.data.name)
  if (!view) throw notFound(`view ${params.viewId} not found in this project`)
  return jsonResponse(apiView(view))
})

export const DELETE = withProject<Params>('write', async ({ projectId, params }) => {
  if (!(await deleteView(projectId, params.viewId))) throw notFound(`view ${params.viewId} not found in this project`)
  return new Response(null, { status: 204 })
})
