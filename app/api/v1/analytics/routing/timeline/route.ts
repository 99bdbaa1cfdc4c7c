import { withProject } from '@/lib/auth/with-project'
import { timelineInputSchema, userTimeline } from '@/lib/analytics/routing'
import { jsonResponse } from '@/lib/http/errors'
import { parseSearchParams } from '@/lib/http/search-params'

export const dynamic = 'force-dynamic'

export const GET = withProject('read', async ({ request, projectId }) => {
  const input = parseSearchParams(timelineInputSchema, request)
  return jsonResponse(await userTimeline(projectId, input))
})
