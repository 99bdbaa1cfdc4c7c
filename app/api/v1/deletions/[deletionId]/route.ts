import { withProject } from '@/lib/auth/with-project'
import { jsonResponse, notFound } from '@/lib/http/errors'
import { deletionToApi, getDeletion } from '@/lib/recorder/deletions'

export const dynamic = 'force-dynamic'

/** One deletion: status (pending, running, done, failed) and rows removed per table. */
export const GET = withProject<{ deletionId: string }>('delete', async ({ params, projectId }) => {
  const row = await getDeletion(projectId, params.deletionId)
  if (!row) throw notFound(`deletion ${params.deletionId} not found in this project`)
  return jsonResponse(deletionToApi(row))
})
