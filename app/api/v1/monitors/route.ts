import { withProject } from '@/lib/auth/with-project'
import { badRequest, jsonResponse } from '@/lib/http/errors'
import { readJson } from '@/lib/http/read-body'
import { describeIssues } from '@/lib/ingest/span-schema'
import { apiMonitor, apiMonitors, createMonitor, listMonitors, MonitorInputError, newMonitorSchema } from '@/lib/monitors/monitors'

export const dynamic = 'force-dynamic'

export const POST = withProject('write', async ({ request, projectId, caller }) => {
  const parsed = newMonitorSchema.safeParse(await readJson(request, 64 * 1024))
  if (!parsed.success) throw badRequest(describeIssues(parsed.error))
  try {
    const monitor = await createMonitor(projectId, parsed.data, caller.kind === 'user' ? caller.user.id : undefined)
    return jsonResponse(apiMonitor(monitor, { withSecrets: true }), 201)
  } catch (error) {
    if (error instanceof MonitorInputError) throw badRequest(error.message)
    throw error
  }
})

export const GET = withProject('read', async ({ projectId }) => {
  return jsonResponse({ monitors: await apiMonitors(await listMonitors(projectId)) })
})
