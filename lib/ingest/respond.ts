// The native ingest API's answers: 200 when everything was stored, 207 with the rejected
// items (and why) when only some were. Past MAX_LISTED_REJECTIONS, the answer lists the first
// ones and counts all of them by reason, so a request of 50,000 bad items gets a short answer.
import { jsonResponse } from '@/lib/http/errors'
import type { IngestResult, Rejection } from './ingest'
import { MAX_LISTED_REJECTIONS } from './limits'

/** An error without the parts that name one item (quoted values, `got ...`, indexes), for counting. */
export function rejectionReason(error: string): string {
  return error
    .replace(/\s*\(got [^)]*\)/g, '')
    .replace(/'[^']*'|"[^"]*"/g, '…')
    .replace(/\bindex \d+/g, 'index …')
}

export function summariseRejections(rejected: readonly Rejection[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const rejection of rejected) {
    const reason = rejectionReason(rejection.error)
    counts[reason] = (counts[reason] ?? 0) + 1
  }
  return counts
}

export function ingestResponse(result: IngestResult): Response {
  if (result.rejected.length === 0) return jsonResponse({ accepted: result.accepted })
  if (result.rejected.length <= MAX_LISTED_REJECTIONS) return jsonResponse({ accepted: result.accepted, rejected: result.rejected }, 207)
  return jsonResponse(
    {
      accepted: result.accepted,
      rejected: result.rejected.slice(0, MAX_LISTED_REJECTIONS),
      rejected_total: result.rejected.length,
      rejected_by_reason: summariseRejections(result.rejected),
    },
    207,
  )
}
