import { withPathProject } from '@/lib/auth/with-project'
import { badRequest, jsonResponse, notFound } from '@/lib/http/errors'
import { readJson } from '@/lib/http/read-body'
import { describeIssues } from '@/lib/ingest/span-schema'
import { changeProjectSettings, projectSettings } from '@/lib/projects/project-settings'
import { redactionPutSchema } from '@/lib/recorder/redaction'
import { redactionToApi } from '@/lib/recorder/settings-api'

export const dynamic = 'force-dynamic'

/** The project's redaction rules (anyone who may read the project). */
export const GET = withPathProject('read', async ({ projectId }) => jsonResponse(redactionToApi(await projectSettings(projectId))))

/** (admin) Replaces the rules: `{"rules": [{"detector": "email"}, {"name", "pattern", "flags", "replacement", "fields"}]}`. */
export const PUT = withPathProject('admin', async ({ request, projectId }) => {
  const parsed = redactionPutSchema.safeParse(await readJson(request, 256 * 1024))
  if (!parsed.success) throw badRequest(describeIssues(parsed.error))
  const settings = await changeProjectSettings(projectId, (s) => ({ ...s, redaction: { rules: parsed.data, updatedAt: new Date().toISOString() } }))
  if (!settings) throw notFound(`project ${projectId} does not exist`)
  return jsonResponse(redactionToApi(settings))
})
