import { withProject } from '@/lib/auth/with-project'
import { badRequest, jsonResponse } from '@/lib/http/errors'
import { readJson } from '@/lib/http/read-body'
import { describeIssues } from '@/lib/ingest/span-schema'
import { deletionRequestSchema, deletionToApi, listDeletions, requestDeletion } from '@/lib/recorder/deletions'

export const dynamic = 'force-dynamic'

/** Deletes everything of one subject: `{"user_id"|"session_id"|"trace_id"|"tenant_id": "..."}` → 202 `{id}`. */
export const POST = withProject('delete', async ({ request, projectId, caller }) => {
  const parsed = deletionRequestSchema.safeParse(await readJson(request, 64 * 1024))
  if (!parsed.success) throw badRequest(describeIssues(parsed.error))
  const row = await requestDeletion(projectId, parsed.data, caller)
  return jsonResponse({ id: row.id, status: row.status }, 202)
})

/** The audit log: every deletion of the project, newest first, without the deleted content. */
export const GET = withProject('delete', async ({ projectId }) => jsonResponse({ deletions: (await listDeletions(projectId)).map(deletionToApi) }))
