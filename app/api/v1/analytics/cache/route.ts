import { withProject } from '@/lib/auth/with-project'
import { cacheAnswer, cacheInputSchema, cacheThrashReport } from '@/lib/analytics/cache-thrash'
import { jsonResponse } from '@/lib/http/errors'
import { parseSearchParams } from '@/lib/http/search-params'

export const dynamic = 'force-dynamic'

export const GET = withProject('read', async ({ request, projectId }) => {
  const input = parseSearchParams(cacheInputSchema, request)
  return jsonResponse(cacheAnswer(await cacheThrashReport(projectId, input)))
})
