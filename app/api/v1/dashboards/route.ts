import { withProject } from '@/lib/auth/with-project'
import { describeQueryIssues } from '@/lib/analytics/query-engine'
import { apiDashboard, createDashboard, listDashboards, newDashboardSchema } from '@/lib/dashboards/dashboards'
import { badRequest, jsonResponse } from '@/lib/http/errors'
import { readJson } from '@/lib/http/read-body'

export const dynamic = 'force-dynamic'

export const POST = withProject('write', async ({ request, projectId, caller }) => {
  const parsed = newDashboardSchema.safeParse(await readJson(request, 256 * 1024))
  if (!parsed.success) throw badRequest(describeQueryIssues(parsed.error))
  const dashboard = await createDashboard(projectId, parsed.data, caller.kind === 'user' ? caller.user.id : undefined)
  return jsonResponse(apiDashboard(dashboard), 201)
})

export const GET = withProject('read', async ({ projectId }) => {
  return jsonResponse({ dashboards: (await listDashboards(projectId)).map(apiDashboard) })
})
