// Parts of spans that arrive apart from the span's own row, and the one rule that merges them.
//
// Spans are immutable rows that analytics sum as they are inserted, so a later fact about a span
// is never written as a second spans row. It is stored as a part (table span_parts) instead:
//   'log'       a GenAI log record naming the span: its input/output messages and an event.
//               Merged when the span is read: the records' messages fill the span's input and
//               output when the span has none, and every record is listed among its events,
//               whichever of span and records arrived first. Records whose span never arrives
//               show as a span of their own on their trace.
//   'langfuse'  one Langfuse create/update event of an observation (or a trace). Merged field by
//               field in event-time order, the newest value winning. The promoter writes the
//               merged observation to spans once it settled (lib/ingest/part-promoter.ts) and
//               marks it with a 'promoted' part; until then, and for updates that arrive after
//               that, the trace view merges the parts at read time.
// Parts are validated like spans (validateSpans with `partial`) and stored with storeParts, next
// to storeSpans in ingest.ts, so what applies to spans before they are written applies to them.
import { env } from '@/lib/config/env'
import { insertRows } from '@/db/clickhouse/query'
import type { StoredPart } from '@/db/clickhouse/queries/span-parts'
import { nanosToClickhouse } from '@/lib/time/nanos'
import { isRowDataError } from '@/db/clickhouse/errors'
import { BatchWriter, type RowFailure } from './batch-writer'
import { fitPayload } from './payload'
import type { SpanPartInput } from './span-schema'

export type { StoredPart }

export type PartSource = 'log' | 'langfuse' | 'promoted'

/**
 * A 'promoted' part's id: this prefix and the ingested_at of the newest part the spans row was
 * built from; parts stored after it are merged at read time.
 */
export const PROMOTED_THROUGH = 'through:'

export interface SpanPart {
  source: PartSource
  /** Unique per span and source: the event id, or a hash of a log record. Re-sent parts collapse. */
  part_id: string
  /** When the fact happened (event or record time): orders the parts of a span. */
  time: bigint
  fields: SpanPartInput
}

interface SpanPartRow {
  project_id: string
  trace_id: string
  span_id: string
  source: PartSource
  part_id: string
  time: string
  seq: string
  ended: boolean
  fields: string
}

const SEQ_KEY = Symbol.for('flightline.span-parts-seq')

/** Counts up for every part this process stores: keeps arrival order among parts of one insert. */
function nextSeq(): bigint {
  const slot = globalThis as Record<symbol, bigint | undefined>
  const next = (slot[SEQ_KEY] ?? BigInt(Date.now()) * 1000n) + 1n
  slot[SEQ_KEY] = next
  return next
}

const GLOBAL_KEY = Symbol.for('flightline.span-parts-writer')

function partsWriter(): BatchWriter<SpanPartRow> {
  const slot = globalThis as Record<symbol, BatchWriter<SpanPartRow> | undefined>
  slot[GLOBAL_KEY] ??= new BatchWriter<SpanPartRow>({
    name: 'span_parts',
    maxBatchRows: env().FLIGHTLINE_BATCH_MAX_ROWS,
    maxPendingRows: env().FLIGHTLINE_MAX_PENDING_ROWS,
    // No lookup of stored rows: a re-sent part has the same key and is read once (LIMIT 1 BY).
    insert: (rows) => insertRows('span_parts', rows),
    // A failed insert whose rows may be the cause is split until only the failing parts fail.
    isRowError: isRowDataError,
  })
  return slot[GLOBAL_KEY]
}

/** Parts handed to the writer and not yet written. */
export function spanPartsPendingRows(): number {
  return partsWriter().pendingRows
}

/** Resolves once every queued part is written (shutdown). */
export function drainSpanParts(): Promise<void> {
  return partsWriter().drain()
}

function partJson(fields: SpanPartInput, maxPayloadBytes: number): string {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue
    if (key === 'input' || key === 'output') out[key] = fitPayload(value, maxPayloadBytes).text
    else out[key] = value
  }
  return JSON.stringify(out, (_, value) => (typeof value === 'bigint' ? value.toString() : value))
}

/**
 * Writes validated parts; resolves once they are in ClickHouse, with the parts the store refused
 * (by index in `parts`). Callers go through storeParts (ingest.ts).
 */
export async function writeSpanParts(projectId: string, parts: readonly SpanPart[]): Promise<RowFailure[]> {
  if (parts.length === 0) return []
  const maxPayloadBytes = env().FLIGHTLINE_MAX_PAYLOAD_BYTES
  return partsWriter().write(
    parts.map((part) => ({
      project_id: projectId,
      trace_id: part.fields.trace_id,
      span_id: part.fields.span_id,
      source: part.source,
      part_id: part.part_id,
      time: nanosToClickhouse(part.time),
      seq: nextSeq().toString(),
      ended: part.fields.end_time !== undefined,
      fields: partJson(part.fields, maxPayloadBytes),
    })),
  )
}

function parseFields(part: StoredPart): Record<string, unknown> {
  try {
    const value = JSON.parse(part.fields) as unknown
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
  } catch {
    return {}
  }
}

/** Compares non-negative integers written as digit strings. */
function compareDigits(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0)
}

/** Parts in the order they happened (event time), then in the order they arrived. */
export function inEventOrder(parts: readonly StoredPart[]): StoredPart[] {
  return [...parts].sort(
    (a, b) => compareDigits(a.time_ns, b.time_ns) || (a.ingested_at < b.ingested_at ? -1 : a.ingested_at > b.ingested_at ? 1 : 0) || compareDigits(a.seq, b.seq),
  )
}

/**
 * Fields the first event sets for good (as Langfuse keeps a trace's timestamp and an
 * observation's start time): `trace.update()` re-sends trace-create with the time of the update.
 */
const FIRST_WINS = new Set(['start_time', 'kind'])

/**
 * Folds Langfuse parts of one span into one partial native span: field by field, the newest
 * value wins (the start time and kind: the first); attributes are merged key by key. `base`
 * holds defaults, or with `baseIsStored` the span as already written.
 */
export function foldUpdates(parts: readonly StoredPart[], base: Record<string, unknown> = {}, { baseIsStored = false } = {}): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base }
  // A stored span's start and kind came from earlier events; a default base's do not.
  const firstSet = new Set<string>(baseIsStored ? [...FIRST_WINS].filter((key) => key in base) : [])
  for (const part of inEventOrder(parts)) {
    for (const [key, value] of Object.entries(parseFields(part))) {
      if (value === undefined || value === null) continue
      if (FIRST_WINS.has(key)) {
        if (!firstSet.has(key)) out[key] = value
        firstSet.add(key)
      } else if ((key === 'attributes' || key === 'resource') && typeof value === 'object' && !Array.isArray(value)) {
        out[key] = { ...((out[key] as Record<string, unknown> | undefined) ?? {}), ...(value as Record<string, unknown>) }
      } else {
        out[key] = value
      }
    }
  }
  return out
}

export interface LogEvent {
  name: string
  time?: string
  attributes: Record<string, unknown>
}

/** The events that log parts carry, in time order (one per record). */
export function logEvents(parts: readonly StoredPart[]): LogEvent[] {
  const events: LogEvent[] = []
  for (const part of inEventOrder(parts)) {
    const list = parseFields(part).events
    if (Array.isArray(list)) for (const event of list) if (event && typeof event === 'object') events.push(event as LogEvent)
  }
  return events
}
