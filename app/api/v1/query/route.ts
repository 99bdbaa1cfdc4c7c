import { withProject } from '@/lib/auth/with-project'
import { describeQueryIssues, queryInputSchema, runQuery } from '@/lib/analytics/query-engine'
import { badRequest, jsonResponse } from '@/lib/http/errors'
import { readJson } from '@/lib/http/read-body'

export const dynamic = 'force-dynamic'

export const POST = withProject('read', async ({ request, projectId }) => {
  const parsed = queryInputSchema.safeParse(await readJson(request, 64 * 1024))
  if (!parsed.success) throw badRequest(describeQueryIssues(parsed.error))
  return jsonResponse(await runQuery(projectId, parsed.data))
})
