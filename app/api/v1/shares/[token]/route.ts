import { withProject } from '@/lib/auth/with-project'
import { answer } from '@/lib/auth/with-project'
import { HttpError, jsonResponse, notFound } from '@/lib/http/errors'
import { resolveShareToken, revokeShareToken } from '@/lib/views/share-links'

export const dynamic = 'force-dynamic'

export const DELETE = withProject<{ token: string }>('write', async ({ projectId, params }) => {
  if (!(await revokeShareToken(projectId, params.token))) throw notFound('no active share link with this token in this project')
  return new Response(null, { status: 204 })
})

/**
 * Whether a share link works, without any of its data: 200 with the view's name, 404 for a
 * token that never existed, 410 for a revoked or expired one. Needs no credentials (the token
 * is the credential) and is what the /s/<token> page checks first.
 */
export function GET(_: Request, { params }: { params: Promise<{ token: string }> }) {
  return answer(async () => {
    const resolved = await resolveShareToken((await params).token)
    if (resolved.status === 'unknown') throw notFound('no share link with this token')
    if (resolved.status === 'gone') throw new HttpError(410, resolved.reason, `this share link was ${resolved.reason}`)
    return jsonResponse({ status: 'active', view: { name: resolved.view.name }, expires_at: resolved.link.expiresAt?.toISOString() ?? null })
  })
}
