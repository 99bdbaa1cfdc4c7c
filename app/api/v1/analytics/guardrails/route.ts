import { withProject } from '@/lib/auth/with-project'
import { guardrailsAnswer, guardrailsInputSchema, guardrailsReport } from '@/lib/analytics/guardrails'
import { jsonResponse } from '@/lib/http/errors'
import { parseSearchParams } from '@/lib/http/search-params'

export const dynamic = 'force-dynamic'

export const GET = withProject('read', async ({ request, projectId }) => {
  const input = parseSearchParams(guardrailsInputSchema, request)
  return jsonResponse(guardrailsAnswer(await guardrailsReport(projectId, input)))
})
