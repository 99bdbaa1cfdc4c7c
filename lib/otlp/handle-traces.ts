// POST /v1/traces (and its alias /api/public/otel/v1/traces): authenticate like the native API,
// read the body under the size and gzip-bomb limits, decode, store, answer in the request's
// encoding. A 200 means every accepted span is in ClickHouse.
import { env } from '@/lib/config/env'
import { resolveProject } from '@/lib/auth/with-project'
import { HttpError, unsupportedMediaType } from '@/lib/http/errors'
import { assertJsonValueCount } from '@/lib/http/json-limits'
import { readBody } from '@/lib/http/read-body'
import { OverloadedError } from '@/lib/ingest/batch-writer'
import { projectSettings } from '@/lib/projects/project-settings'
import { storesReady } from '@/lib/runtime/stores'
import { decodeJson } from './decode-json'
import { decodeProtobuf } from './decode-protobuf'
import { ingestOtlp } from './ingest-otlp'
import { OtlpDecodeError } from './otlp-span'
import { otlpError, otlpSuccess, requestFormat, type OtlpFormat } from './respond'

export async function handleOtlpTraces(request: Request): Promise<Response> {
  const requested = requestFormat(request)
  // Errors about the content type itself are answered in JSON: there is no other shared language.
  const format: OtlpFormat = requested ?? 'json'
  try {
    await storesReady()
    const { projectId } = await resolveProject(request, 'ingest')
    if (!requested) {
      throw unsupportedMediaType(`Content-Type '${request.headers.get('content-type') ?? ''}' is not OTLP; send application/x-protobuf or application/json`)
    }
    const body = await readBody(request, env().FLIGHTLINE_MAX_BODY_BYTES)
    if (requested === 'json') assertJsonValueCount(body)
    const decoded = requested === 'json' ? await decodeJson(body) : await decodeProtobuf(body)
    const settings = await projectSettings(projectId)
    const result = await ingestOtlp(projectId, decoded, { tenantAttribute: settings.tenantAttribute })
    return otlpSuccess(format, result)
  } catch (error) {
    if (error instanceof OtlpDecodeError) return otlpError(format, 400, error.message)
    if (error instanceof HttpError) return otlpError(format, error.status, error.message, error.headers)
    if (error instanceof OverloadedError) return otlpError(format, 503, error.message, { 'Retry-After': String(error.retryAfterSeconds) })
    console.error('[flightline] OTLP request failed:', error)
    return otlpError(format, 500, 'internal error; see the server log')
  }
}
