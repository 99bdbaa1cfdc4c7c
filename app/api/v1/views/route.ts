import { withProject } from '@/lib/auth/with-project'
import { badRequest, jsonResponse } from '@/lib/http/errors'
import { readJson } from '@/lib/http/read-body'
import { describeIssues } from '@/lib/ingest/span-schema'
import { apiView, createView, listViews, newViewSchema, ViewPathError } from '@/lib/views/saved-views'

export const dynamic = 'force-dynamic'

export const POST = withProject('write', async ({ request, projectId, caller }) => {
  const parsed = newViewSchema.safeParse(await readJson(request, 64 * 1024))
  if (!parsed.success) throw badRequest(describeIssues(parsed.error))
  try {
    const view = await createView(projectId, parsed.data, caller.kind === 'user' ? caller.user.id : undefined)
    return jsonResponse(apiView(view), 201)
  } catch (error) {
    if (error instanceof ViewPathError) throw badRequest(error.message)
    throw error
  }
})

export const GET = withProject('read', async ({ projectId }) => {
  return jsonResponse({ views: (await listViews(projectId)).map(apiView) })
})
