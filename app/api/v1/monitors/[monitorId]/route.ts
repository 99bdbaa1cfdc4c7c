import { withProject } from '@/lib/auth/with-project'
import { badRequest, jsonResponse, notFound } from '@/lib/http/errors'
import { readJson } from '@/lib/http/read-body'
import { describeIssues } from '@/lib/ingest/span-schema'
import { apiMonitor, apiMonitors, deleteMonitor, getMonitor, MonitorInputError, monitorUpdateSchema, updateMonitor } from '@/lib/monitors/monitors'

export const dynamic = 'force-dynamic'

type Params = { monitorId: string }

const missing = (id: string) => notFound(`monitor ${id} not found in this project`)

export const GET = withProject<Params>('read', async ({ projectId, params }) => {
  const monitor = await getMonitor(projectId, params.monitorId)
  if (!monitor) throw missing(params.monitorId)
  const [answer] = await apiMonitors([monitor])
  return jsonResponse(answer)
})

export const PATCH = withProject<Params>('write', async ({ request, projectId, params }) => {
  const parsed = monitorUpdateSchema.safeParse(await readJson(request, 64 * 1024))
  if (!parsed.success) throw badRequest(describeIssues(parsed.error))
  try {
    const updated = await updateMonitor(projectId, params.monitorId, parsed.data)
    if (!updated) throw missing(params.monitorId)
    if (updated.newSecrets) return jsonResponse(apiMonitor(updated.monitor, { withSecrets: true }))
    const [answer] = await apiMonitors([updated.monitor])
    return jsonResponse(answer)
  } catch (error) {
    if (error instanceof MonitorInputError) throw badRequest(error.message)
    throw error
  }
})

export const DELETE = withProject<Params>('write', async ({ projectId, params }) => {
  if (!(await deleteMonitor(projectId, params.monitorId))) throw missing(params.monitorId)
  return new Response(null, { status: 204 })
})
