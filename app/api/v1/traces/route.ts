import { withProject } from '@/lib/auth/with-project'
import { badRequest, jsonResponse } from '@/lib/http/errors'
import { parseSearchParams } from '@/lib/http/search-params'
import { InvalidCursorError, listTracesInputSchema } from '@/db/clickhouse/queries/traces'
import { listPricedTraces } from '@/lib/traces/list-traces'
import { traceRowToApi } from '@/lib/traces/span-api'

export const dynamic = 'force-dynamic'

export const GET = withProject('read', async ({ request, projectId }) => {
  const input = parseSearchParams(listTracesInputSchema.strict(), request)
  try {
    const page = await listPricedTraces(projectId, input)
    return jsonResponse({ traces: page.rows.map(traceRowToApi), next_cursor: page.next_cursor, total: page.total, from: page.from.toISOString(), to: page.to.toISOString() })
  } catch (error) {
    if (error instanceof InvalidCursorError) throw badRequest(error.message)
    throw error
  }
})
