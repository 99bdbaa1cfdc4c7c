// Validates and stores spans and scores for one project. Each item is judged on its own: the
// valid ones are written and the invalid ones come back with their index and a reason, so bad
// input never costs the good data sent with it.
import { env } from '@/lib/config/env'
import { nanosToIso } from '@/lib/time/nanos'
import { describeIssues, spanInputSchema, spanPartSchema, type SpanInput, type SpanPartInput } from './span-schema'
import { toSpanRow, type PromptSnapshotRow, type SpanRow } from './span-row'
import { scoreInputSchema, toScoreRow, type ScoreRow } from './score-schema'
import { writeSpanParts, type SpanPart } from './span-parts'
import { writeSnapshots, writers } from './writers'

export interface Rejection {
  index: number
  error: string
}

export interface IngestResult {
  accepted: number
  rejected: Rejection[]
}

const NANOS_PER_DAY = 86_400n * 1_000_000_000n

function retentionCutoff(): bigint {
  return BigInt(Date.now()) * 1_000_000n - BigInt(env().FLIGHTLINE_RETENTION_DAYS) * NANOS_PER_DAY
}

/**
 * Validates raw span objects; returns the valid spans (with their request index) and rejections.
 * With `partial`, the items are parts of spans (spanPartSchema): the same checks on the fields
 * they carry, so every way in goes through this one validation.
 */
export function validateSpans(items: readonly unknown[]): { spans: { index: number; span: SpanInput }[]; rejected: Rejection[] }
export function validateSpans(items: readonly unknown[], options: { partial: true }): { spans: { index: number; span: SpanPartInput }[]; rejected: Rejection[] }
export function validateSpans(items: readonly unknown[], options?: { partial: true }): { spans: { index: number; span: SpanInput | SpanPartInput }[]; rejected: Rejection[] } {
  const spans: { index: number; span: SpanInput | SpanPartInput }[] = []
  const rejected: Rejection[] = []
  const cutoff = retentionCutoff()
  const schema = options?.partial ? spanPartSchema : spanInputSchema
  items.forEach((item, index) => {
    const parsed = schema.safeParse(item)
    if (!parsed.success) {
      rejected.push({ index, error: describeIssues(parsed.error) })
    } else if (parsed.data.start_time !== undefined && parsed.data.start_time < cutoff) {
      rejected.push({
        index,
        error: `start_time ${nanosToIso(parsed.data.start_time!)} is older than the retention window (${env().FLIGHTLINE_RETENTION_DAYS} days) and would be dropped`,
      })
    } else {
      spans.push({ index, span: parsed.data })
    }
  })
  return { spans, rejected }
}

export async function storeSpans(projectId: string, spans: readonly SpanInput[]): Promise<void> {
  const limits = { maxPayloadBytes: env().FLIGHTLINE_MAX_PAYLOAD_BYTES }
  const rows: SpanRow[] = []
  const snapshots: PromptSnapshotRow[] = []
  for (const span of spans) {
    const { row, snapshot } = toSpanRow(projectId, span, limits)
    rows.push(row)
    if (snapshot) snapshots.push(snapshot)
  }
  // Snapshots first: a span never names a prompt hash whose text is not stored.
  await writeSnapshots(snapshots)
  await writers().spans.write(rows)
}

/**
 * Stores parts of spans (GenAI log records, Langfuse creates and updates; see span-parts.ts),
 * validated with validateSpans(items, { partial: true }). Every way in that does not write a
 * whole span writes through here, beside storeSpans: a step added to storeSpans before the write
 * (redaction, sampling) belongs here too.
 */
export async function storeParts(projectId: string, parts: readonly SpanPart[]): Promise<void> {
  await writeSpanParts(projectId, parts)
}

export async function ingestSpans(projectId: string, items: readonly unknown[]): Promise<IngestResult> {
  const { spans, rejected } = validateSpans(items)
  await storeSpans(
    projectId,
    spans.map((s) => s.span),
  )
  return { accepted: spans.length, rejected }
}

export async function ingestScores(projectId: string, items: readonly unknown[]): Promise<IngestResult> {
  const rows: ScoreRow[] = []
  const rejected: Rejection[] = []
  const cutoff = retentionCutoff()
  items.forEach((item, index) => {
    const parsed = scoreInputSchema.safeParse(item)
    if (!parsed.success) rejected.push({ index, error: describeIssues(parsed.error) })
    else if (parsed.data.timestamp !== undefined && parsed.data.timestamp < cutoff)
      rejected.push({ index, error: `timestamp is older than the retention window (${env().FLIGHTLINE_RETENTION_DAYS} days)` })
    else rows.push(toScoreRow(projectId, parsed.data))
  })
  await writers().scores.write(rows)
  return { accepted: rows.length, rejected }
}
