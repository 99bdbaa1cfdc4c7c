import { withProject } from '@/lib/auth/with-project'
import { jsonResponse } from '@/lib/http/errors'
import { getTraceScores } from '@/db/clickhouse/queries/scores'

export const dynamic = 'force-dynamic'

export const GET = withProject<{ traceId: string }>('read', async ({ params, projectId }) => {
  return jsonResponse({ trace_id: params.traceId, scores: await getTraceScores(projectId, params.traceId) })
})
