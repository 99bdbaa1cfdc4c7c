import { z } from 'zod'
import { withProject } from '@/lib/auth/with-project'
import { badRequest, jsonResponse } from '@/lib/http/errors'
import { originFromHeaders } from '@/lib/http/request-origin'
import { describeIssues } from '@/lib/ingest/span-schema'
import { apiIncident, listIncidents } from '@/lib/monitors/incidents'

export const dynamic = 'force-dynamic'

const incidentsQuery = z
  .object({
    status: z.enum(['open', 'resolved'], { message: 'must be open or resolved' }).optional(),
    monitor_id: z.uuid({ message: 'must be a monitor id' }).optional(),
    limit: z.coerce.number({ message: 'must be a number' }).int().min(1, 'must be at least 1').max(500, 'must be at most 500').default(100),
  })
  .strict()

export const GET = withProject('read', async ({ request, projectId }) => {
  const search = Object.fromEntries([...new URL(request.url).searchParams].filter(([name]) => name !== 'project'))
  const parsed = incidentsQuery.safeParse(search)
  if (!parsed.success) throw badRequest(describeIssues(parsed.error))
  const rows = await listIncidents(projectId, { status: parsed.data.status, monitorId: parsed.data.monitor_id, limit: parsed.data.limit })
  const origin = originFromHeaders(request.headers)
  return jsonResponse({
    incidents: rows.map(({ incident, monitor }) => ({ ...apiIncident(incident, origin), monitor })),
  })
})
