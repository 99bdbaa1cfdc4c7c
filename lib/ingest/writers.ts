// The process's three ingest writers (spans, scores, prompt snapshots). Each batch is first
// cleared of rows already stored or repeated within the batch, then inserted in one statement.
import { env } from '@/lib/config/env'
import { clickhouseMode } from '@/db/clickhouse/client'
import { insertRows } from '@/db/clickhouse/query'
import { findStoredScoreKeys, findStoredSnapshotKeys, findStoredSpanKeys, latestStoredSpanStart } from '@/db/clickhouse/queries/existing-rows'
import { isRowDataError } from '@/db/clickhouse/errors'
import { BatchWriter } from './batch-writer'
import { RecentSpanKeys, type SpanKeyRow } from './recent-span-keys'
import { compactRow, type PromptSnapshotRow, type SpanRow } from './span-row'
import type { ScoreRow } from './score-schema'

function uniqueBy<Row>(rows: Row[], key: (row: Row) => string): Map<string, Row> {
  const seen = new Map<string, Row>()
  for (const row of rows) {
    const k = key(row)
    if (!seen.has(k)) seen.set(k, row)
  }
  return seen
}

/**
 * Keys of rows being inserted right now, per table, with the insert's outcome. With two inserts
 * in flight, a re-sent row could otherwise pass the stored-rows check of a second batch before
 * the first batch's insert lands; a batch that shares keys with an earlier one in flight waits
 * for it, then checks.
 */
const inFlight = new Map<string, Map<string, Promise<unknown>>>()

/**
 * When each span insert of this process began (Date.now()), while it runs. The rollup refresher
 * never reads past the oldest: an insert's rows carry the engine's clock at its start but become
 * visible only when it ends.
 */
const spanInsertsRunning = new Map<symbol, number>()

/** The same for inserts into held_spans (spans of traces not yet judged by sampling). */
const heldInsertsRunning = new Map<symbol, number>()

function oldestOf(running: Map<symbol, number>): number | undefined {
  let oldest: number | undefined
  for (const started of running.values()) if (oldest === undefined || started < oldest) oldest = started
  return oldest
}

export function oldestSpanInsertStart(): number | undefined {
  return oldestOf(spanInsertsRunning)
}

export function oldestHeldInsertStart(): number | undefined {
  return oldestOf(heldInsertsRunning)
}

async function tracked<T>(running: Map<symbol, number>, insert: () => Promise<T>): Promise<T> {
  const id = Symbol('insert')
  running.set(id, Date.now())
  try {
    return await insert()
  } finally {
    running.delete(id)
  }
}

/**
 * Runs an insert into spans made outside the writers (sampling moves kept traces there) of the
 * spans `keys` name: the refresher waits for it like for any span insert, and the recent span
 * keys learn them, so a later re-send of one is found stored.
 */
export async function trackSpanInsert<T>(keys: readonly SpanKeyRow[], insert: () => Promise<T>): Promise<T> {
  const recent = await recentSpanKeys()
  try {
    const result = await tracked(spanInsertsRunning, insert)
    recent?.add(keys)
    return result
  } catch (error) {
    recent?.forget(keys)
    throw error
  }
}

async function insertSpans(rows: readonly object[]): Promise<void> {
  const id = Symbol('insert')
  spanInsertsRunning.set(id, Date.now())
  const recent = await recentSpanKeys()
  try {
    await insertRows('spans', rows)
    recent?.add(rows as SpanKeyRow[])
  } catch (error) {
    recent?.forget(rows as SpanKeyRow[])
    throw error
  } finally {
    spanInsertsRunning.delete(id)
  }
}

const RECENT_KEYS = Symbol.for('flightline.recent-span-keys')

/**
 * The process's recent span keys (lib/ingest/recent-span-keys.ts) with the embedded engine, the
 * only writer of its spans; undefined with a ClickHouse server, where other replicas write too.
 */
function recentSpanKeys(): Promise<RecentSpanKeys | undefined> {
  const slot = globalThis as Record<symbol, Promise<RecentSpanKeys | undefined> | undefined>
  slot[RECENT_KEYS] ??=
    clickhouseMode(env()) === 'embedded'
      ? latestStoredSpanStart().then(
          (latest) => new RecentSpanKeys(`${latest}0`),
          (error) => {
            slot[RECENT_KEYS] = undefined
            throw error
          },
        )
      : Promise.resolve(undefined)
  return slot[RECENT_KEYS]
}

/** Which spans of a batch are stored: the spans table is asked only about those the recent keys cannot vouch for. */
async function findStoredSpans(rows: SpanRow[]): Promise<Set<string>> {
  const recent = await recentSpanKeys()
  const unsure = recent ? rows.filter((row) => !recent.certainlyNew(row)) : rows
  return findStoredSpanKeys(unsure)
}

async function insertFresh<Row>(table: string, rows: Row[], key: (row: Row) => string, stored: (rows: Row[]) => Promise<Set<string>>) {
  const unique = uniqueBy(rows, key)
  const candidates = [...unique.values()]
  const tableKeys = inFlight.get(table) ?? new Map<string, Promise<unknown>>()
  inFlight.set(table, tableKeys)
  // Registered synchronously, before any await, so every later batch sees this one.
  const earlier = new Set<Promise<unknown>>()
  for (const k of unique.keys()) {
    const pending = tableKeys.get(k)
    if (pending) earlier.add(pending)
  }
  let done!: () => void
  const mine = new Promise<void>((resolve) => (done = resolve))
  for (const k of unique.keys()) tableKeys.set(k, mine)
  try {
    if (earlier.size > 0) await Promise.allSettled(earlier)
    const already = await stored(candidates)
    const fresh = already.size === 0 ? candidates : candidates.filter((row) => !already.has(key(row)))
    const compacted = fresh.map((row) => compactRow(row as object))
    await (table === 'spans' ? insertSpans(compacted) : insertRows(table, compacted))
  } finally {
    for (const k of unique.keys()) if (tableKeys.get(k) === mine) tableKeys.delete(k)
    done()
  }
}

const spanKey = (row: SpanRow) => `${row.project_id}\0${row.trace_id}\0${row.span_id}`
const scoreKey = (row: ScoreRow) => `${row.project_id}\0${row.score_id}`
const snapshotKey = (row: PromptSnapshotRow) => `${row.project_id}\0${row.hash}`

interface Writers {
  spans: BatchWriter<SpanRow>
  /** Spans of traces that sampling has not judged yet (lib/recorder/sampling-decider.ts). */
  held: BatchWriter<SpanRow>
  scores: BatchWriter<ScoreRow>
  snapshots: BatchWriter<PromptSnapshotRow>
  /** Snapshot keys this process already wrote: skips a lookup per span for a hot prompt. */
  knownSnapshots: Set<string>
}

const GLOBAL_KEY = Symbol.for('flightline.writers')

export function writers(): Writers {
  const slot = globalThis as Record<symbol, Writers | undefined>
  if (slot[GLOBAL_KEY]) return slot[GLOBAL_KEY]
  const config = env()
  // A failed insert whose rows may be the cause is split until only the failing rows fail.
  const common = { maxBatchRows: config.FLIGHTLINE_BATCH_MAX_ROWS, maxPendingRows: config.FLIGHTLINE_MAX_PENDING_ROWS, isRowError: isRowDataError }
  const created: Writers = {
    spans: new BatchWriter<SpanRow>({ name: 'spans', ...common, maxInFlight: config.FLIGHTLINE_INSERTS_IN_FLIGHT, insert: (rows) => insertFresh('spans', rows, spanKey, findStoredSpans) }),
    // No lookup of stored rows: a re-sent span collapses in held_spans and is moved once.
    held: new BatchWriter<SpanRow>({
      name: 'held_spans',
      ...common,
      insert: (rows) => tracked(heldInsertsRunning, () => insertRows('held_spans', rows.map((row) => compactRow(row)))),
    }),
    scores: new BatchWriter<ScoreRow>({ name: 'scores', ...common, insert: (rows) => insertFresh('scores', rows, scoreKey, findStoredScoreKeys) }),
    snapshots: new BatchWriter<PromptSnapshotRow>({
      name: 'prompt_snapshots',
      ...common,
      insert: (rows) => insertFresh('prompt_snapshots', rows, snapshotKey, findStoredSnapshotKeys),
    }),
    knownSnapshots: new Set(),
  }
  slot[GLOBAL_KEY] = created
  return created
}

/**
 * Writes snapshots this process has not seen yet; remembers them once durable. Returns the
 * hashes the store refused, with why.
 */
export async function writeSnapshots(snapshots: PromptSnapshotRow[]): Promise<Map<string, unknown>> {
  const w = writers()
  const refused = new Map<string, unknown>()
  const fresh = [...uniqueBy(snapshots, snapshotKey).values()].filter((s) => !w.knownSnapshots.has(snapshotKey(s)))
  if (fresh.length === 0) return refused
  const failures = await w.snapshots.write(fresh)
  for (const failure of failures) refused.set(fresh[failure.index].hash, failure.error)
  if (w.knownSnapshots.size > 100_000) w.knownSnapshots.clear()
  for (const s of fresh) if (!refused.has(s.hash)) w.knownSnapshots.add(snapshotKey(s))
  return refused
}
