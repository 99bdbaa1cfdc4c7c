import { env } from '@/lib/config/env'
import { withProject } from '@/lib/auth/with-project'
import { badRequest } from '@/lib/http/errors'
import { readJson } from '@/lib/http/read-body'
import { ingestSpans } from '@/lib/ingest/ingest'
import { ingestResponse } from '@/lib/ingest/respond'
import { countIngest } from '@/lib/observability/metrics'
import { spansRequestSchema } from '@/lib/ingest/span-schema'

export const dynamic = 'force-dynamic'

export const POST = withProject('ingest', async ({ request, projectId }) => {
  const parsed = spansRequestSchema.safeParse(await readJson(request, env().FLIGHTLINE_MAX_BODY_BYTES))
  if (!parsed.success) throw badRequest('body must be a JSON object {"spans": [...]} with an array of spans')
  const result = await ingestSpans(projectId, parsed.data.spans)
  countIngest('native', result.accepted, result.rejected.map((r) => r.error))
  return ingestResponse(result)
})
