import { withProject } from '@/lib/auth/with-project'
import { componentsAnswer, componentsInputSchema, componentsReport } from '@/lib/analytics/components'
import { jsonResponse } from '@/lib/http/errors'
import { parseSearchParams } from '@/lib/http/search-params'

export const dynamic = 'force-dynamic'

export const GET = withProject('read', async ({ request, projectId }) => {
  const input = parseSearchParams(componentsInputSchema, request)
  return jsonResponse(componentsAnswer(await componentsReport(projectId, input)))
})
