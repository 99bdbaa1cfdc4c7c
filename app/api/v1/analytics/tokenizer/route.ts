import { withProject } from '@/lib/auth/with-project'
import { tokenizerAnswer, tokenizerInputSchema, tokenizerReport } from '@/lib/analytics/tokenizer'
import { jsonResponse } from '@/lib/http/errors'
import { parseSearchParams } from '@/lib/http/search-params'

export const dynamic = 'force-dynamic'

export const GET = withProject('read', async ({ request, projectId }) => {
  const input = parseSearchParams(tokenizerInputSchema, request)
  return jsonResponse(tokenizerAnswer(await tokenizerReport(projectId, input)))
})
