import { withProject } from '@/lib/auth/with-project'
import { notFound } from '@/lib/http/errors'
import { revokeShareToken } from '@/lib/views/share-links'

export const dynamic = 'force-dynamic'

export const DELETE = withProject<{ token: string }>('write', async ({ projectId, params }) => {
  if (!(await revokeShareToken(projectId, params.token))) throw notFound('no active share link with this token in this project')
  return new Response(null, { status: 204 })
})
