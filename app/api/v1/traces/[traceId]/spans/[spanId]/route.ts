import { withProject } from '@/lib/auth/with-project'
import { jsonResponse, notFound } from '@/lib/http/errors'
import { readSpan } from '@/lib/traces/merged-spans'
import { spanToApi } from '@/lib/traces/span-api'

export const dynamic = 'force-dynamic'

/** One span in full, payloads included: for clients that list a trace's outline first. */
export const GET = withProject<{ traceId: string; spanId: string }>('read', async ({ params, projectId }) => {
  const span = await readSpan(projectId, params.traceId, params.spanId)
  if (!span) throw notFound(`span ${params.spanId} of trace ${params.traceId} not found in this project`)
  const { input_chars: _inputChars, output_chars: _outputChars, ...record } = span
  return jsonResponse(spanToApi(record))
})
