import { z } from 'zod'
import { withProject } from '@/lib/auth/with-project'
import { badRequest, jsonResponse, notFound } from '@/lib/http/errors'
import { originFromHeaders } from '@/lib/http/request-origin'
import { readOptionalJson } from '@/lib/http/read-body'
import { describeIssues } from '@/lib/ingest/span-schema'
import { getView } from '@/lib/views/saved-views'
import { createShareLink } from '@/lib/views/share-links'

export const dynamic = 'force-dynamic'

const shareSchema = z
  .object({
    expires_at: z.iso
      .datetime({ offset: true, message: 'expires_at must be an ISO-8601 date-time' })
      .transform((value) => new Date(value))
      .refine((date) => date.getTime() > Date.now(), 'expires_at must be in the future')
      .optional(),
  })
  .strict()

export const POST = withProject<{ viewId: string }>('write', async ({ request, projectId, params, caller }) => {
  const parsed = shareSchema.safeParse(await readOptionalJson(request, 16 * 1024))
  if (!parsed.success) throw badRequest(describeIssues(parsed.error))
  const view = await getView(projectId, params.viewId)
  if (!view) throw notFound(`view ${params.viewId} not found in this project`)
  const { token, link } = await createShareLink(view, parsed.data.expires_at, caller.kind === 'user' ? caller.user.id : undefined)
  const origin = originFromHeaders(request.headers)
  return jsonResponse(
    { id: link.id, url: `${origin}/s/${token}`, token, view_id: view.id, expires_at: link.expiresAt?.toISOString() ?? null },
    201,
  )
})
