// Validates and stores spans and scores for one project. Each item is judged on its own: the
// valid ones are written and the invalid ones come back with their index and a reason, so bad
// input never costs the good data sent with it. Every way in (native API, OTLP, demo loader)
// comes through validateSpans/storeSpans, so cleaning, limits and span identity live here once.
import type { z } from 'zod'
import { env } from '@/lib/config/env'
import { describeStoreError } from '@/db/clickhouse/errors'
import { ITEMS_PER_CHECK, TimeSlice } from '@/lib/runtime/time-slice'
import { nanosToIso } from '@/lib/time/nanos'
import { cleanItem } from './clean-values'
import { assertItemCount } from './limits'
import { describeIssues, spanInputSchema, spanPartSchema, type SpanInput, type SpanPartInput } from './span-schema'
import { toSpanRow, type PromptSnapshotRow, type SpanRow } from './span-row'
import { scoreInputSchema, toScoreRow, type ScoreRow } from './score-schema'
import { writeSpanParts, type SpanPart } from './span-parts'
import { writeSnapshots, writers } from './writers'
import { projectSettings } from '@/lib/projects/project-settings'
import { compileRules, hasRules, redactSpan, type CompiledRules, type RedactionRule } from '@/lib/recorder/redaction'
import { samplingOn } from '@/lib/recorder/sampling-policy'

export interface Rejection {
  index: number
  error: string
}

export interface IngestResult {
  accepted: number
  rejected: Rejection[]
}

/** A valid span and its index in the request. */
export interface IndexedSpan {
  index: number
  span: SpanInput
}

const NANOS_PER_DAY = 86_400n * 1_000_000_000n

function retentionCutoff(): bigint {
  return BigInt(Date.now()) * 1_000_000n - BigInt(env().FLIGHTLINE_RETENTION_DAYS) * NANOS_PER_DAY
}

const notStored = (error: unknown) => `not stored: the database refused it (${describeStoreError(error)})`

/**
 * Cleans and validates each item, in time slices; `accept` takes a valid item, or refuses it
 * with a reason. Returns the rejections.
 */
async function validateEach<T>(items: readonly unknown[], schema: z.ZodType<T>, accept: (value: T, index: number) => string | undefined): Promise<Rejection[]> {
  const rejected: Rejection[] = []
  const slice = new TimeSlice()
  for (let index = 0; index < items.length; index++) {
    if (index % ITEMS_PER_CHECK === 0) await slice.next()
    const cleaned = cleanItem(items[index])
    if (!cleaned.ok) {
      rejected.push({ index, error: cleaned.error })
      continue
    }
    const parsed = schema.safeParse(cleaned.item)
    const problem = parsed.success ? accept(parsed.data, index) : describeIssues(parsed.error)
    if (problem !== undefined) rejected.push({ index, error: problem })
  }
  return rejected
}

/**
 * Validates raw span objects; returns the valid spans (with their request index) and rejections.
 * With `partial`, the items are parts of spans (spanPartSchema): the same cleaning and checks on
 * the fields they carry, so every way in goes through this one validation.
 */
export async function validateSpans(items: readonly unknown[]): Promise<{ spans: IndexedSpan[]; rejected: Rejection[] }>
export async function validateSpans(items: readonly unknown[], options: { partial: true }): Promise<{ spans: { index: number; span: SpanPartInput }[]; rejected: Rejection[] }>
export async function validateSpans(items: readonly unknown[], options?: { partial: true }): Promise<{ spans: { index: number; span: SpanInput | SpanPartInput }[]; rejected: Rejection[] }> {
  const spans: { index: number; span: SpanInput | SpanPartInput }[] = []
  const cutoff = retentionCutoff()
  const schema: z.ZodType<SpanInput | SpanPartInput> = options?.partial ? spanPartSchema : spanInputSchema
  const rejected = await validateEach(items, schema, (span, index) => {
    if (span.start_time !== undefined && span.start_time < cutoff) {
      return `start_time ${nanosToIso(span.start_time)} is older than the retention window (${env().FLIGHTLINE_RETENTION_DAYS} days) and would be dropped`
    }
    spans.push({ index, span })
    return undefined
  })
  return { spans, rejected }
}

/**
 * Stores validated spans. A span is identified by (project, trace_id, span_id): a repeat of the
 * same span within the request is acknowledged once, and a repeat with different content is
 * rejected in favour of the first. Returns those rejections and the spans the store refused, by
 * request index; every other span is stored.
 */
export async function storeSpans(projectId: string, spans: readonly IndexedSpan[]): Promise<Rejection[]> {
  const limits = { maxPayloadBytes: env().FLIGHTLINE_MAX_PAYLOAD_BYTES }
  const { redaction, sampling } = await recorderPolicy(projectId)
  const rejected: Rejection[] = []
  const rows: SpanRow[] = []
  /** Request index of each row. */
  const owners: number[] = []
  const snapshots: PromptSnapshotRow[] = []
  const firstRow = new Map<string, number>()
  const slice = new TimeSlice()
  for (let i = 0; i < spans.length; i++) {
    if (i % ITEMS_PER_CHECK === 0) await slice.next()
    const { index } = spans[i]
    let span = spans[i].span
    let redactions: Record<string, number> | undefined
    if (redaction) ({ span, counts: redactions } = redactSpan(span, redaction))
    const { row, snapshot } = toSpanRow(projectId, span, limits)
    if (redactions && Object.keys(redactions).length > 0) row.redactions = redactions
    const key = `${row.trace_id}\0${row.span_id}`
    const earlier = firstRow.get(key)
    if (earlier !== undefined) {
      if (JSON.stringify(rows[earlier]) !== JSON.stringify(row)) {
        rejected.push({
          index,
          error: `span_id '${row.span_id}' of trace '${row.trace_id}' already appears at index ${owners[earlier]} of this request with different content; a span is stored once per trace_id and span_id, and the first one is kept`,
        })
      }
      continue
    }
    firstRow.set(key, rows.length)
    rows.push(row)
    owners.push(index)
    if (snapshot) snapshots.push(snapshot)
  }

  // Snapshots first: a span never names a prompt hash whose text is not stored.
  const refusedSnapshots = await writeSnapshots(snapshots)
  let writable = rows
  let writableOwners = owners
  if (refusedSnapshots.size > 0) {
    writable = []
    writableOwners = []
    rows.forEach((row, i) => {
      const refused = refusedSnapshots.get(row.system_prompt_hash)
      if (refused === undefined) {
        writable.push(row)
        writableOwners.push(owners[i])
      } else {
        rejected.push({ index: owners[i], error: `system_prompt ${notStored(refused)}` })
      }
    })
  }
  // While the project samples, spans wait in held_spans until their trace is judged whole
  // (lib/recorder/sampling-decider.ts); stored there durably, so the 2xx still means stored.
  const failures = await (sampling ? writers().held : writers().spans).write(writable)
  for (const failure of failures) rejected.push({ index: writableOwners[failure.index], error: notStored(failure.error) })
  return rejected
}

/**
 * What the project's settings ask of ingest before rows are written: its compiled redaction
 * rules and whether it samples. Read from the settings cache (lib/projects/project-settings.ts).
 */
async function recorderPolicy(projectId: string): Promise<{ redaction?: CompiledRules; sampling: boolean }> {
  const settings = await projectSettings(projectId)
  const rules = settings.redaction?.rules as RedactionRule[] | undefined
  const compiled = rules && rules.length > 0 ? compileRules(rules) : undefined
  return { redaction: compiled && hasRules(compiled) ? compiled : undefined, sampling: samplingOn(settings.sampling) }
}

/**
 * Stores parts of spans (GenAI log records, Langfuse creates and updates; see span-parts.ts),
 * validated with validateSpans(items, { partial: true }). Every way in that does not write a
 * whole span writes through here, beside storeSpans: a step added to storeSpans before the write
 * (redaction, sampling) belongs here too.
 */
export async function storeParts(projectId: string, parts: readonly SpanPart[]): Promise<Rejection[]> {
  // Redacted like spans. Parts carry no counts of their own: the span written from them
  // (promoted, or merged when read) shows the text as redacted here.
  const { redaction } = await recorderPolicy(projectId)
  if (redaction) parts = parts.map((part) => ({ ...part, fields: redactSpan(part.fields, redaction).span }))
  const failures = await writeSpanParts(projectId, parts)
  return failures.map((failure) => ({ index: failure.index, error: notStored(failure.error) }))
}

export async function ingestSpans(projectId: string, items: readonly unknown[]): Promise<IngestResult> {
  assertItemCount(items.length, 'spans')
  const { spans, rejected } = await validateSpans(items)
  const refused = await storeSpans(projectId, spans)
  return { accepted: spans.length - refused.length, rejected: [...rejected, ...refused].sort((a, b) => a.index - b.index) }
}

export async function ingestScores(projectId: string, items: readonly unknown[]): Promise<IngestResult> {
  assertItemCount(items.length, 'scores')
  const rows: ScoreRow[] = []
  const owners: number[] = []
  const cutoff = retentionCutoff()
  const rejected = await validateEach(items, scoreInputSchema, (score, index) => {
    if (score.timestamp !== undefined && score.timestamp < cutoff) return `timestamp is older than the retention window (${env().FLIGHTLINE_RETENTION_DAYS} days)`
    rows.push(toScoreRow(projectId, score))
    owners.push(index)
    return undefined
  })
  const failures = await writers().scores.write(rows)
  for (const failure of failures) rejected.push({ index: owners[failure.index], error: notStored(failure.error) })
  return { accepted: rows.length - failures.length, rejected: rejected.sort((a, b) => a.index - b.index) }
}
