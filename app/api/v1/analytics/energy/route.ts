import { withProject } from '@/lib/auth/with-project'
import { energyAnswer, energyInputSchema, energyReport } from '@/lib/analytics/energy'
import { jsonResponse } from '@/lib/http/errors'
import { parseSearchParams } from '@/lib/http/search-params'

export const dynamic = 'force-dynamic'

export const GET = withProject('read', async ({ request, projectId }) => {
  const input = parseSearchParams(energyInputSchema, request)
  return jsonResponse(energyAnswer(await energyReport(projectId, input)))
})
