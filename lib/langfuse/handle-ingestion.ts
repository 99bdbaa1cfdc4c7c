// POST /api/public/ingestion: authenticate like every ingest route, read the batch under the
// body limit, answer 207 {successes, errors} as Langfuse does (the SDK retries a batch only on
// network errors and 5xx), 400 for a body that is not a batch, 401/403, 413, 503 + Retry-After.
import { env } from '@/lib/config/env'
import { resolveProject } from '@/lib/auth/with-project'
import { HttpError, jsonResponse } from '@/lib/http/errors'
import { readJson } from '@/lib/http/read-body'
import { isOverloadedError } from '@/lib/ingest/batch-writer'
import { describeIssues } from '@/lib/ingest/span-schema'
import { projectSettings } from '@/lib/projects/project-settings'
import { storesReady } from '@/lib/runtime/stores'
import { logFailure } from '@/lib/observability/logger'
import { countIngest } from '@/lib/observability/metrics'
import { ingestionRequestSchema, ingestLangfuseBatch } from './ingestion'

export async function handleLangfuseIngestion(request: Request): Promise<Response> {
  try {
    await storesReady()
    const { projectId } = await resolveProject(request, 'ingest')
    const parsed = ingestionRequestSchema.safeParse(await readJson(request, env().FLIGHTLINE_MAX_BODY_BYTES))
    if (!parsed.success) return jsonResponse({ message: describeIssues(parsed.error), error: 'invalid_request' }, 400)
    const settings = await projectSettings(projectId)
    const result = await ingestLangfuseBatch(projectId, parsed.data.batch, { tenantAttribute: settings.tenantAttribute })
    countIngest('langfuse', result.successes.length, result.errors.map((e) => e.message))
    return jsonResponse(result, 207)
  } catch (error) {
    if (error instanceof HttpError) return jsonResponse({ message: error.message, error: error.code }, error.status, error.headers)
    if (isOverloadedError(error)) return jsonResponse({ message: error.message, error: 'overloaded' }, 503, { 'Retry-After': String(error.retryAfterSeconds) })
    logFailure('Langfuse ingestion failed', error)
    return jsonResponse({ message: 'internal error; see the server log', error: 'internal' }, 500)
  }
}
