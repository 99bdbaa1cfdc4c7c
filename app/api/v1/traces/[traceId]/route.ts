import { withProject } from '@/lib/auth/with-project'
import { jsonResponse, notFound } from '@/lib/http/errors'
import { readTraceDetail } from '@/lib/traces/trace-detail'

export const dynamic = 'force-dynamic'

export const GET = withProject<{ traceId: string }>('read', async ({ params, projectId }) => {
  const trace = await readTraceDetail(projectId, params.traceId)
  if (!trace) throw notFound(`trace ${params.traceId} not found in this project`)
  return jsonResponse(trace)
})
