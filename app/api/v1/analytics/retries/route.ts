import { withProject } from '@/lib/auth/with-project'
import { retriesAnswer, retriesInputSchema, retriesReport } from '@/lib/analytics/retries'
import { jsonResponse } from '@/lib/http/errors'
import { parseSearchParams } from '@/lib/http/search-params'

export const dynamic = 'force-dynamic'

export const GET = withProject('read', async ({ request, projectId }) => {
  const input = parseSearchParams(retriesInputSchema, request)
  return jsonResponse(retriesAnswer(await retriesReport(projectId, input)))
})
