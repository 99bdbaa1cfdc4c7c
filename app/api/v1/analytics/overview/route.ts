import { withProject } from '@/lib/auth/with-project'
import { overviewAnswer, overviewInputSchema, overviewReport } from '@/lib/analytics/overview'
import { jsonResponse } from '@/lib/http/errors'
import { parseSearchParams } from '@/lib/http/search-params'

export const dynamic = 'force-dynamic'

export const GET = withProject('read', async ({ request, projectId }) => {
  const input = parseSearchParams(overviewInputSchema, request)
  return jsonResponse(overviewAnswer(await overviewReport(projectId, input)))
})
