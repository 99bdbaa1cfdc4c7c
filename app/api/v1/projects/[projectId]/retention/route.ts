import { withPathProject } from '@/lib/auth/with-project'
import { env } from '@/lib/config/env'
import { badRequest, jsonResponse, notFound } from '@/lib/http/errors'
import { readJson } from '@/lib/http/read-body'
import { describeIssues } from '@/lib/ingest/span-schema'
import { changeProjectSettings, projectSettings } from '@/lib/projects/project-settings'
import { applyProjectRetention, retentionSchema } from '@/lib/recorder/retention'
import { retentionToApi } from '@/lib/recorder/settings-api'

export const dynamic = 'force-dynamic'

export const GET = withPathProject('read', async ({ projectId }) => jsonResponse(retentionToApi(await projectSettings(projectId))))

/**
 * (admin) `{"retention_days": n | null}`, at most the instance maximum. The answer comes as soon as
 * the setting is saved; the deletes it implies start at once in the background (a mutation per
 * table can take a while), then run hourly.
 */
export const PUT = withPathProject('admin', async ({ request, projectId }) => {
  const parsed = retentionSchema(env().FLIGHTLINE_RETENTION_DAYS).safeParse(await readJson(request, 64 * 1024))
  if (!parsed.success) throw badRequest(describeIssues(parsed.error))
  const days = parsed.data.retention_days
  const settings = await changeProjectSettings(projectId, ({ retentionDays: _, ...s }) => (days === null ? s : { ...s, retentionDays: days }))
  if (!settings) throw notFound(`project ${projectId} does not exist`)
  void applyProjectRetention(projectId, settings.retentionDays).catch((error) => console.error(`[flightline] retention of project ${projectId} failed; the hourly pass retries it:`, error))
  return jsonResponse(retentionToApi(settings))
})
