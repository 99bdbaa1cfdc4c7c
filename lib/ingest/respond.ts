// The native ingest API's answers: 200 when everything was stored, 207 with the rejected
// items (and why) when only some were.
import { jsonResponse } from '@/lib/http/errors'
import type { IngestResult } from './ingest'

export function ingestResponse(result: IngestResult): Response {
  if (result.rejected.length === 0) return jsonResponse({ accepted: result.accepted })
  return jsonResponse({ accepted: result.accepted, rejected: result.rejected }, 207)
}
