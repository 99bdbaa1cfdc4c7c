// POST /api/v1/monitors/backtest: how a monitor type with these params would have answered at
// every step of a past range; nothing is recorded or sent (docs/monitors.md).
import { withProject } from '@/lib/auth/with-project'
import { badRequest, jsonResponse } from '@/lib/http/errors'
import { readJson } from '@/lib/http/read-body'
import { describeIssues } from '@/lib/ingest/span-schema'
import { backtest, backtestSchema } from '@/lib/monitors/backtest'

export const dynamic = 'force-dynamic'

export const POST = withProject('read', async ({ request, projectId }) => {
  const parsed = backtestSchema.safeParse(await readJson(request, 64 * 1024))
  if (!parsed.success) throw badRequest(describeIssues(parsed.error))
  return jsonResponse(await backtest(projectId, parsed.data))
})
