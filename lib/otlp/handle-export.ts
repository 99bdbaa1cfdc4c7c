// OTLP exports over HTTP (POST /v1/traces, /v1/logs and their /api/public/otel aliases) and
// gRPC (lib/otlp/grpc-server.ts) end here: decode the body of one signal, store it through the
// same validation and writers as the native API, answer per the OTLP spec. A success means every
// accepted span or record is in ClickHouse.
import { env } from '@/lib/config/env'
import { resolveProject } from '@/lib/auth/with-project'
import { HttpError, unsupportedMediaType } from '@/lib/http/errors'
import { assertJsonValueCount } from '@/lib/http/json-limits'
import { readBody } from '@/lib/http/read-body'
import { isOverloadedError } from '@/lib/ingest/batch-writer'
import { countIngest } from '@/lib/observability/metrics'
import { logFailure } from '@/lib/observability/logger'
import { projectSettings } from '@/lib/projects/project-settings'
import { storesReady } from '@/lib/runtime/stores'
import { decodeJson, decodeLogsJson } from './decode-json'
import { decodeLogsProtobuf, decodeProtobuf } from './decode-protobuf'
import { ingestLogs } from './ingest-logs'
import { ingestOtlp, type OtlpIngestResult } from './ingest-otlp'
import { OtlpDecodeError } from './otlp-span'
import { otlpError, otlpSuccess, requestFormat, type OtlpFormat, type OtlpSignal } from './respond'

/** Decodes and stores one export body of `signal` for a project, arrived over `transport`. */
export async function ingestExport(projectId: string, signal: OtlpSignal, format: OtlpFormat, body: Uint8Array, transport: 'http' | 'grpc'): Promise<OtlpIngestResult> {
  // A JSON body's values are counted before it is parsed: a huge one costs no more than the count.
  if (format === 'json') assertJsonValueCount(body)
  let result: OtlpIngestResult
  if (signal === 'logs') result = await ingestLogs(projectId, format === 'json' ? await decodeLogsJson(body) : await decodeLogsProtobuf(body))
  else {
    const decoded = format === 'json' ? await decodeJson(body) : await decodeProtobuf(body)
    const settings = await projectSettings(projectId)
    result = await ingestOtlp(projectId, decoded, { tenantAttribute: settings.tenantAttribute })
  }
  countIngest(signal === 'logs' ? 'logs' : transport === 'grpc' ? 'otlp_grpc' : 'otlp_http', result.accepted, result.problems)
  return result
}

export async function handleOtlpExport(request: Request, signal: OtlpSignal): Promise<Response> {
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
    return otlpSuccess(format, await ingestExport(projectId, signal, requested, body, 'http'), signal)
  } catch (error) {
    if (error instanceof OtlpDecodeError) return otlpError(format, 400, error.message)
    if (error instanceof HttpError) return otlpError(format, error.status, error.message, error.headers)
    if (isOverloadedError(error)) return otlpError(format, 503, error.message, { 'Retry-After': String(error.retryAfterSeconds) })
    logFailure(`OTLP ${signal} request failed`, error)
    return otlpError(format, 500, 'internal error; see the server log')
  }
}
