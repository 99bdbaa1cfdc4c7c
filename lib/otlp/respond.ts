// OTLP/HTTP answers, encoded like the request (protobuf or JSON):
//   200 ExportTraceServiceResponse, empty on full success, with partialSuccess
//       {rejectedSpans, errorMessage} when some spans were not stored (clients do not retry it);
//   4xx/5xx google.rpc.Status {code, message}; 503 (and 429) carry Retry-After.
import { ExportTraceServiceResponse, RpcStatus } from './otlp-proto'
import type { OtlpIngestResult } from './ingest-otlp'

export type OtlpFormat = 'protobuf' | 'json'

const CONTENT_TYPE: Record<OtlpFormat, string> = { protobuf: 'application/x-protobuf', json: 'application/json' }

/** The request's encoding; `undefined` for a content type OTLP does not define. */
export function requestFormat(request: Request): OtlpFormat | undefined {
  const type = (request.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase()
  if (type === 'application/x-protobuf' || type === 'application/protobuf') return 'protobuf'
  if (type === 'application/json') return 'json'
  return undefined
}

export function otlpSuccess(format: OtlpFormat, result: OtlpIngestResult): Response {
  const partial = result.rejected > 0 || result.errorMessage !== ''
  if (format === 'json') {
    const body = partial ? { partialSuccess: { rejectedSpans: result.rejected, errorMessage: result.errorMessage } } : {}
    return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': CONTENT_TYPE.json } })
  }
  const message = ExportTraceServiceResponse.create(partial ? { partialSuccess: { rejectedSpans: result.rejected, errorMessage: result.errorMessage } } : {})
  return new Response(Buffer.from(ExportTraceServiceResponse.encode(message).finish()), { status: 200, headers: { 'Content-Type': CONTENT_TYPE.protobuf } })
}

// google.rpc.Code values for the HTTP statuses we answer with.
const RPC_CODE: Record<number, number> = { 400: 3, 401: 16, 403: 7, 404: 5, 413: 8, 415: 3, 429: 8, 500: 13, 503: 14 }

export function otlpError(format: OtlpFormat, status: number, message: string, headers: Record<string, string> = {}): Response {
  const code = RPC_CODE[status] ?? 2
  if (format === 'json') {
    return new Response(JSON.stringify({ code, message, details: [] }), { status, headers: { ...headers, 'Content-Type': CONTENT_TYPE.json } })
  }
  const body = Buffer.from(RpcStatus.encode(RpcStatus.create({ code, message })).finish())
  return new Response(body, { status, headers: { ...headers, 'Content-Type': CONTENT_TYPE.protobuf } })
}
