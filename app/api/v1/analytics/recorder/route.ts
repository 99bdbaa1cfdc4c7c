import { withProject } from '@/lib/auth/with-project'
import { jsonResponse } from '@/lib/http/errors'
import { parseSearchParams } from '@/lib/http/search-params'
import { recorderInputSchema, recorderReport } from '@/lib/recorder/completeness'

export const dynamic = 'force-dynamic'

export const GET = withProject('read', async ({ request, projectId }) => {
  const range = parseSearchParams(recorderInputSchema, request)
  return jsonResponse(await recorderReport(projectId, range))
})
