import { withProject } from '@/lib/auth/with-project'
import { describeQueryIssues } from '@/lib/analytics/query-engine'
import { apiDashboard, dashboardUpdateSchema, deleteDashboard, getDashboard, updateDashboard } from '@/lib/dashboards/dashboards'
import { badRequest, jsonResponse, notFound } from '@/lib/http/errors'
import { readJson } from '@/lib/http/read-body'

export const dynamic = 'force-dynamic'

type Params = { dashboardId: string }

const missing = (id: string) => notFound(`dashboard ${id.slice(0, 100)} not found in this project`)

export const GET = withProject<Params>('read', async ({ projectId, params }) => {
  const dashboard = await getDashboard(projectId, params.dashboardId)
  if (!dashboard) throw missing(params.dashboardId)
  return jsonResponse(apiDashboard(dashboard))
})

export const PATCH = withProject<Params>('write', async ({ request, projectId, params }) => {
  const parsed = dashboardUpdateSchema.safeParse(await readJson(request, 256 * 1024))
  if (!parsed.success) throw badRequest(describeQueryIssues(parsed.error))
  const dashboard = await updateDashboard(projectId, params.dashboardId, parsed.data)
  if (!dashboard) throw missing(params.dashboardId)
  return jsonResponse(apiDashboard(dashboard))
})

export const DELETE = withProject<Params>('write', async ({ projectId, params }) => {
  if (!(await deleteDashboard(projectId, params.dashboardId))) throw missing(params.dashboardId)
  return new Response(null, { status: 204 })
})
