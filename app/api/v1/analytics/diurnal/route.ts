import { withProject } from '@/lib/auth/with-project'
import { diurnalAnswer, diurnalInputSchema, diurnalReport } from '@/lib/analytics/diurnal'
import { jsonResponse } from '@/lib/http/errors'
import { parseSearchParams } from '@/lib/http/search-params'

export const dynamic = 'force-dynamic'

export const GET = withProject('read', async ({ request, projectId }) => {
  const input = parseSearchParams(diurnalInputSchema, request)
  return jsonResponse(diurnalAnswer(await diurnalReport(projectId, input)))
})
