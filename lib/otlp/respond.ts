// OTLP/HTTP answers, encoded like the request (protobuf or JSON):
//   200 Export{Trace,Logs}ServiceResponse, empty on full success, with partialSuccess
//       {rejectedSpans / rejectedLogRecords, errorMessage} when some were not stored (not retried);
//   4xx/5xx google.rpc.Status {code, message}; 503 (and 429) carry Retry-After.
import { ExportLogsServiceResponse, ExportTraceServiceResponse, RpcStatus } from './otlp-proto'
import type { OtlpIngestResult } from './ingest-otlp'

export type OtlpFormat = 'protobuf' | 'json'

/** The OTLP signals Flightline accepts. */
export type OtlpSignal = 'traces' | 'logs'

const CONTENT_TYPE: Record<OtlpFormat, string> = { protobuf: 'application/x-protobuf', json: 'application/json' }

/** The request's encoding; `undefined` for a content type OTLP does not define. */
export function requestFormat(request: Request): OtlpFormat | undefined {
  const type = (request.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase()
  if (type === 'application/x-protobuf' || type === 'application/protobuf') return 'protobuf'
  if (type === 'application/json') return 'json'
  return undefined
}

/** The Export*ServiceResponse of a signal: empty, or with partialSuccess. */
export function exportResponse(signal: OtlpSignal, result: OtlpIngestResult): Record<string, unknown> {
  const partial = result.rejected > 0 || result.errorMessage !== ''
  if (!partial) return {}
  const rejectedKey = signal === 'traces' ? 'rejectedSpans' : 'rejectedLogRecords'
  return { partialSuccess: { [rejectedKey]: result.rejected, errorMessage: result.errorMessage } }
}

/** The response message encoded as protobuf (HTTP and gRPC alike). */
export function encodeExportResponse(signal: OtlpSignal, result: OtlpIngestResult): Buffer {
  const type = signal === 'traces' ? ExportTraceServiceResponse : ExportLogsServiceResponse
  return Buffer.from(type.encode(type.create(exportResponse(signal, result))).finish())
}

export function otlpSuccess(format: OtlpFormat, result: OtlpIngestResult, signal: OtlpSignal = 'traces'): Response {
  if (format === 'json') {
    return new Response(JSON.stringify(exportResponse(signal, result)), { status: 200, headers: { 'Content-Type': CONTENT_TYPE.json } })
  }
  return new Response(new Uint8Array(encodeExportResponse(signal, result)), { status: 200, headers: { 'Content-Type': CONTENT_TYPE.protobuf } })
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
