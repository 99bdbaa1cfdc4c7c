// HTTP errors with a status and a message that names what is wrong; route wrappers turn them
// into JSON answers `{"error": "...", "code": "..."}`.
export class HttpError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: string,
    message: string,
    public readonly headers: Record<string, string> = {},
  ) {
    super(message)
    this.name = 'HttpError'
  }
}

export const badRequest = (message: string) => new HttpError(400, 'bad_request', message)
export const unauthorized = (message: string) => new HttpError(401, 'unauthorized', message, { 'WWW-Authenticate': 'Bearer realm="flightline"' })
export const forbidden = (message: string) => new HttpError(403, 'forbidden', message)
export const notFound = (message: string) => new HttpError(404, 'not_found', message)
export const payloadTooLarge = (message: string) => new HttpError(413, 'payload_too_large', message)
export const unsupportedMediaType = (message: string) => new HttpError(415, 'unsupported_media_type', message)
export const serviceUnavailable = (message: string, retryAfterSeconds: number) =>
  new HttpError(503, 'overloaded', message, { 'Retry-After': String(retryAfterSeconds) })

export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } })
}

export function errorResponse(error: HttpError): Response {
  return jsonResponse({ error: error.message, code: error.code }, error.status, error.headers)
}
