'use server'

// What the span inspector loads on demand: one span in full with its payloads cut to a preview,
// and a whole payload when asked for. Arguments come from the browser, so they are checked.
import { readSpan } from '@/lib/traces/merged-spans'
import { requireTraceAccessInAction } from '@/lib/auth/action-auth'
import { spanToApi, type ApiSpan } from '@/lib/traces/span-api'

/** Characters of each payload sent with the span; the rest loads when asked for. */
const PREVIEW_CHARS = 20_000

export type InspectedSpan = ApiSpan & { input_chars: number; output_chars: number }

const ID = /^[A-Za-z0-9._:-]{1,128}$/

async function checkAccess(projectId: unknown, traceId: unknown, spanId: unknown, shareToken: unknown): Promise<void> {
  if (typeof traceId !== 'string' || !ID.test(traceId)) throw new Error('invalid trace id')
  if (typeof spanId !== 'string' || !ID.test(spanId)) throw new Error('invalid span id')
  await requireTraceAccessInAction(projectId, traceId, shareToken)
}

/** `shareToken` is set when the trace is shown through a share link instead of a session. */
export async function loadSpanAction(projectId: string, traceId: string, spanId: string, shareToken?: string | null): Promise<InspectedSpan | null> {
  await checkAccess(projectId, traceId, spanId, shareToken)
  const span = await readSpan(projectId, traceId, spanId, PREVIEW_CHARS)
  if (!span) return null
  const { input_chars, output_chars, ...record } = span
  return { ...spanToApi(record), input_chars: Number(input_chars), output_chars: Number(output_chars) }
}

export async function loadPayloadAction(
  projectId: string,
  traceId: string,
  spanId: string,
  field: 'input' | 'output',
  shareToken?: string | null,
): Promise<string | null> {
  if (field !== 'input' && field !== 'output') throw new Error('field must be input or output')
  await checkAccess(projectId, traceId, spanId, shareToken)
  const span = await readSpan(projectId, traceId, spanId)
  return span ? span[field] : null
}
