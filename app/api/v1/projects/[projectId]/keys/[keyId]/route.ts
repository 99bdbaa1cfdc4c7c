import { answer, requireAdmin } from '@/lib/auth/with-project'
import { revokeApiKey } from '@/lib/auth/api-keys'
import { notFound } from '@/lib/http/errors'

export const dynamic = 'force-dynamic'

export function DELETE(request: Request, { params }: { params: Promise<{ projectId: string; keyId: string }> }) {
  return answer(async () => {
    await requireAdmin(request)
    const { projectId, keyId } = await params
    if (!(await revokeApiKey(projectId, keyId))) throw notFound(`no active key ${keyId} in project ${projectId}`)
    return new Response(null, { status: 204 })
  })
}
