import { withProject } from '@/lib/auth/with-project'
import { rerankersAnswer, rerankersInputSchema, rerankersReport } from '@/lib/analytics/rerankers'
import { jsonResponse } from '@/lib/http/errors'
import { parseSearchParams } from '@/lib/http/search-params'

export const dynamic = 'force-dynamic'

export const GET = withProject('read', async ({ request, projectId }) => {
  const input = parseSearchParams(rerankersInputSchema, request)
  return jsonResponse(rerankersAnswer(await rerankersReport(projectId, input)))
})
