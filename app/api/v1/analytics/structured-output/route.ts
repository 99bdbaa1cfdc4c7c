import { withProject } from '@/lib/auth/with-project'
import { structuredOutputAnswer, structuredOutputInputSchema, structuredOutputReport } from '@/lib/analytics/structured-output'
import { jsonResponse } from '@/lib/http/errors'
import { parseSearchParams } from '@/lib/http/search-params'

export const dynamic = 'force-dynamic'

export const GET = withProject('read', async ({ request, projectId }) => {
  const input = parseSearchParams(structuredOutputInputSchema, request)
  return jsonResponse(structuredOutputAnswer(await structuredOutputReport(projectId, input)))
})
