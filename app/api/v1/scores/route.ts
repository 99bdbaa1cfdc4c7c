import { env } from '@/lib/config/env'
import { withProject } from '@/lib/auth/with-project'
import { badRequest } from '@/lib/http/errors'
import { readJson } from '@/lib/http/read-body'
import { ingestScores } from '@/lib/ingest/ingest'
import { ingestResponse } from '@/lib/ingest/respond'
import { scoresRequestSchema } from '@/lib/ingest/score-schema'

export const dynamic = 'force-dynamic'

export const POST = withProject('ingest', async ({ request, projectId }) => {
  const parsed = scoresRequestSchema.safeParse(await readJson(request, env().FLIGHTLINE_MAX_BODY_BYTES))
  if (!parsed.success) throw badRequest('body must be a JSON object {"scores": [...]} with an array of scores')
  return ingestResponse(await ingestScores(projectId, parsed.data.scores))
})
