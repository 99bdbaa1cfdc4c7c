import { withProject } from '@/lib/auth/with-project'
import { jsonResponse, notFound } from '@/lib/http/errors'
import { getTraceSpans } from '@/db/clickhouse/queries/traces'
import { spanToApi } from '@/lib/traces/span-api'

export const dynamic = 'force-dynamic'

export const GET = withProject<{ traceId: string }>('read', async ({ params, projectId }) => {
  const { spans, truncated } = await getTraceSpans(projectId, params.traceId)
  if (spans.length === 0) throw notFound(`trace ${params.traceId} not found in this project`)
  return jsonResponse({ trace_id: params.traceId, spans: spans.map(spanToApi), truncated })
})
