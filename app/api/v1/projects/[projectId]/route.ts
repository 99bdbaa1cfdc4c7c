import { answer, requireAdmin } from '@/lib/auth/with-project'
import { badRequest, jsonResponse, notFound } from '@/lib/http/errors'
import { readJson } from '@/lib/http/read-body'
import { describeIssues } from '@/lib/ingest/span-schema'
import { projectSettingsPatchSchema, settingsToApi, updateProjectSettings } from '@/lib/projects/project-settings'

export const dynamic = 'force-dynamic'

/** (admin) Change a project's settings: `{"tenant_attribute": "app.customer_id" | null}`. */
export function PATCH(request: Request, context: { params: Promise<{ projectId: string }> }) {
  return answer(async () => {
    await requireAdmin(request)
    const { projectId } = await context.params
    const parsed = projectSettingsPatchSchema.safeParse(await readJson(request, 64 * 1024))
    if (!parsed.success) throw badRequest(describeIssues(parsed.error))
    const settings = await updateProjectSettings(projectId, parsed.data)
    if (!settings) throw notFound(`project ${projectId} does not exist`)
    return jsonResponse({ id: projectId, settings: settingsToApi(settings) })
  })
}
