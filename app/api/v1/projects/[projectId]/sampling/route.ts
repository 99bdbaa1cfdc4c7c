import { withPathProject } from '@/lib/auth/with-project'
import { badRequest, jsonResponse, notFound } from '@/lib/http/errors'
import { readJson } from '@/lib/http/read-body'
import { describeIssues } from '@/lib/ingest/span-schema'
import { changeProjectSettings, projectSettings } from '@/lib/projects/project-settings'
import { samplingPutSchema } from '@/lib/recorder/sampling-policy'
import { samplingByDay, samplingToApi } from '@/lib/recorder/settings-api'

export const dynamic = 'force-dynamic'

/** The sampling policy, and per day the traces it kept and dropped. */
export const GET = withPathProject('read', async ({ projectId }) =>
  jsonResponse({ ...samplingToApi(await projectSettings(projectId)), by_day: await samplingByDay(projectId) }),
)

/** (admin) `{"rate": 0..1, "keep_errors": true, "keep_slower_than_ms": null, "keep_tenants": []}`; rate 1 turns sampling off. */
export const PUT = withPathProject('admin', async ({ request, projectId }) => {
  const parsed = samplingPutSchema.safeParse(await readJson(request, 256 * 1024))
  if (!parsed.success) throw badRequest(describeIssues(parsed.error))
  const settings = await changeProjectSettings(projectId, (s) => ({ ...s, sampling: { ...parsed.data, updatedAt: new Date().toISOString() } }))
  if (!settings) throw notFound(`project ${projectId} does not exist`)
  return jsonResponse({ ...samplingToApi(settings), by_day: await samplingByDay(projectId) })
})
