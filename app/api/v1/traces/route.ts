import { withProject } from '@/lib/auth/with-project'
import { badRequest, jsonResponse } from '@/lib/http/errors'
import { describeIssues } from '@/lib/ingest/span-schema'
import { InvalidCursorError, listTraces, listTracesInputSchema } from '@/db/clickhouse/queries/traces'
import { traceRowToApi } from '@/lib/traces/span-api'

export const dynamic = 'force-dynamic'

export const GET = withProject('read', async ({ request, projectId }) => {
  const query = Object.fromEntries(new URL(request.url).searchParams)
  delete query.project
  const parsed = listTracesInputSchema.strict().safeParse(query)
  if (!parsed.success) throw badRequest(describeIssues(parsed.error))
  try {
    const page = await listTraces(projectId, parsed.data)
    return jsonResponse({ traces: page.rows.map(traceRowToApi), next_cursor: page.next_cursor, from: page.from.toISOString(), to: page.to.toISOString() })
  } catch (error) {
    if (error instanceof InvalidCursorError) throw badRequest(error.message)
    throw error
  }
})
