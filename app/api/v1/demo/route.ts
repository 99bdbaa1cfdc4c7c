// "Load demo data": POST starts a background job that feeds the demo workload through the
// ingest path into the caller's project; GET reports its progress; DELETE stops it. Callers are
// the usual ones (a signed-in member with `?project=<id>`, a full API key, the admin token with
// `?project=<id>`). Sizes are bounded and a project runs one job at a time.
import { withProject } from '@/lib/auth/with-project'
import { badRequest, HttpError, jsonResponse } from '@/lib/http/errors'
import { readOptionalJson } from '@/lib/http/read-body'
import { describeIssues } from '@/lib/ingest/span-schema'
import { DemoJobConflictError, cancelDemoJob, demoJobRequestSchema, demoJobStatus, startDemoJob } from '@/lib/demo/demo-jobs'

export const dynamic = 'force-dynamic'

export const GET = withProject('read', async ({ projectId }) => jsonResponse(demoJobStatus(projectId) ?? { project_id: projectId, state: 'idle' }))

export const POST = withProject('write', async ({ request, projectId }) => {
  const parsed = demoJobRequestSchema.safeParse(await readOptionalJson(request, 4096))
  if (!parsed.success) throw badRequest(describeIssues(parsed.error))
  try {
    return jsonResponse(startDemoJob(projectId, parsed.data), 202)
  } catch (error) {
    if (error instanceof DemoJobConflictError) throw new HttpError(409, 'conflict', error.message)
    throw error
  }
})

export const DELETE = withProject('write', async ({ projectId }) => jsonResponse(cancelDemoJob(projectId) ?? { project_id: projectId, state: 'idle' }))
