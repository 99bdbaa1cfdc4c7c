// The documented bounds on one ingest request (README, docs/api.md). They keep the work one
// request can cause small enough that it never holds the server for long.
import { payloadTooLarge } from '@/lib/http/errors'

/** Most spans (or scores) in one request, on every way in. */
export const MAX_ITEMS_PER_REQUEST = 50_000

/** Most rejections listed one by one in an answer; past it, the answer counts them by reason. */
export const MAX_LISTED_REJECTIONS = 100

export function assertItemCount(count: number, what: 'spans' | 'scores' | 'log records' | 'events'): void {
  if (count > MAX_ITEMS_PER_REQUEST) {
    throw payloadTooLarge(
      `a request may hold at most ${MAX_ITEMS_PER_REQUEST.toLocaleString('en-US')} ${what}; this one holds more. Send them in smaller requests`,
    )
  }
}
