import { withProject } from '@/lib/auth/with-project'
import { jsonResponse, notFound } from '@/lib/http/errors'
import { originFromHeaders } from '@/lib/http/request-origin'
import { apiIncident, deleteIncident, getIncident } from '@/lib/monitors/incidents'

export const dynamic = 'force-dynamic'

type Params = { incidentId: string }

export const GET = withProject<Params>('read', async ({ request, projectId, params }) => {
  const incident = await getIncident(projectId, params.incidentId)
  if (!incident) throw notFound(`incident ${params.incidentId} not found in this project`)
  return jsonResponse(apiIncident(incident, originFromHeaders(request.headers)))
})

/** Deletes the incident and revokes its evidence link. */
export const DELETE = withProject<Params>('write', async ({ projectId, params }) => {
  if (!(await deleteIncident(projectId, params.incidentId))) throw notFound(`incident ${params.incidentId} not found in this project`)
  return new Response(null, { status: 204 })
})
