// Stores one decoded OTLP export for a project: every span is mapped to the native span shape
// and goes through the same validation and writer as the native API. Spans that cannot be
// stored are counted and named in the answer's partialSuccess; the others are stored.
import { ingestScores, storeSpans, validateSpans } from '@/lib/ingest/ingest'
import { assertItemCount } from '@/lib/ingest/limits'
import { ITEMS_PER_CHECK, TimeSlice } from '@/lib/runtime/time-slice'
import type { MappingOptions } from './map-attributes'
import type { OtlpExport } from './otlp-span'
import { describeSpan, toNativeSpan } from './to-native-span'

export interface OtlpIngestResult {
  accepted: number
  rejected: number
  /** Empty when everything was stored; else why spans were rejected (and score warnings). */
  errorMessage: string
  /** One message per rejected item (for the rejection counters). */
  problems: readonly string[]
}

const MAX_LISTED_PROBLEMS = 10

export async function ingestOtlp(projectId: string, request: OtlpExport, options: MappingOptions = {}): Promise<OtlpIngestResult> {
  const items: Record<string, unknown>[] = []
  const names: string[] = []
  const scoresOf: Record<string, unknown>[][] = []
  const problems: string[] = []
  let total = 0
  for (const resourceSpans of request) for (const scopeSpans of resourceSpans.scopeSpans) total += scopeSpans.spans.length
  assertItemCount(total, 'spans')
  const slice = new TimeSlice()
  let seen = 0
  for (const resourceSpans of request) {
    for (const scopeSpans of resourceSpans.scopeSpans) {
      for (const span of scopeSpans.spans) {
        if (seen++ % ITEMS_PER_CHECK === 0) await slice.next()
        const result = toNativeSpan(span, resourceSpans.resource, scopeSpans.scope, options)
        if (!result.span) {
          problems.push(`${describeSpan(span)}: ${result.problem}`)
          continue
        }
        items.push(result.span)
        names.push(describeSpan(span))
        scoresOf.push(result.scores)
      }
    }
  }

  const { spans, rejected } = await validateSpans(items)
  for (const rejection of rejected) problems.push(`${names[rejection.index]}: ${rejection.error}`)
  const refused = await storeSpans(projectId, spans)
  for (const rejection of refused) problems.push(`${names[rejection.index]}: ${rejection.error}`)
  const refusedIndexes = new Set(refused.map((r) => r.index))
  const stored = refused.length === 0 ? spans : spans.filter((s) => !refusedIndexes.has(s.index))

  const warnings: string[] = []
  const scores = stored.flatMap((s) => scoresOf[s.index])
  if (scores.length > 0) {
    const scored = await ingestScores(projectId, scores)
    for (const r of scored.rejected) warnings.push(`evaluation event on trace ${String(scores[r.index].trace_id)} not stored as a score: ${r.error}`)
  }

  const rejectedCount = total - stored.length
  const parts: string[] = []
  if (rejectedCount > 0) {
    const listed = problems.slice(0, MAX_LISTED_PROBLEMS).join('; ')
    const more = problems.length > MAX_LISTED_PROBLEMS ? `; and ${problems.length - MAX_LISTED_PROBLEMS} more` : ''
    parts.push(`${rejectedCount} of ${total} spans rejected: ${listed}${more}`)
  }
  if (warnings.length > 0) parts.push(warnings.slice(0, MAX_LISTED_PROBLEMS).join('; '))
  return { accepted: stored.length, rejected: rejectedCount, errorMessage: parts.join('. '), problems }
}
