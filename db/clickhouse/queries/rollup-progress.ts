// The rollup refresher's bookmark (rollup_progress, migration 0040), its passes over the spans
// ingested in a window, and what readers need to stay exact while it runs behind: the watermark
// and the blocks or traces that received spans after it.
import { commandSystem, queryClickhouse, querySystem } from '../query'
import type { DerivedTable } from './derived-tables'

export interface RollupProgress {
  seq: number
  /** Every span with ingested_at <= watermark is in every derived table, once. */
  watermark: string
  /** End of the pass under way; equal to watermark when none is. */
  pending_to: string
}

/** ClickHouse DateTime64(3) text, as the engine prints it. */
export type ChTime = string

/** Who wrote the bookmark last, and how many seconds ago. */
export interface ProgressWriter {
  holder: string
  age_seconds: number
}

export async function readRollupProgress(): Promise<(RollupProgress & { writer: ProgressWriter }) | undefined> {
  const [row] = await querySystem<{ seq: string; watermark: string; pending_to: string; holder: string; age_ms: string }>(
    'rollups.progress',
    `SELECT seq, toString(watermark) AS watermark, toString(pending_to) AS pending_to, holder, toString(dateDiff('millisecond', updated_at, now64(3))) AS age_ms
     FROM rollup_progress WHERE id = 0 ORDER BY seq DESC LIMIT 1`,
  )
  if (!row) return undefined
  return { seq: Number(row.seq), watermark: row.watermark, pending_to: row.pending_to, writer: { holder: row.holder, age_seconds: Number(row.age_ms) / 1000 } }
}

export async function writeRollupProgress(progress: RollupProgress, holder: string): Promise<void> {
  // Through commandSystem rather than a JSON insert so the row carries no stale dedup token and
  // is never taken for a repeat of an earlier identical row.
  await commandSystem(
    'rollups.progress.write',
    `INSERT INTO rollup_progress (id, seq, watermark, pending_to, holder)
     VALUES (0, {seq:UInt64}, {watermark:DateTime64(3, 'UTC')}, {pending_to:DateTime64(3, 'UTC')}, {holder:String})`,
    { seq: progress.seq, watermark: progress.watermark, pending_to: progress.pending_to, holder },
    // On a cluster the bookmark moves only once it is on its shard.
    { distributed_foreground_insert: 1 },
  )
}

/** The engine's clock (ingested_at is set by the engine, so windows are measured on its clock). */
export async function engineNow(): Promise<ChTime> {
  const [row] = await querySystem<{ now: string }>('rollups.now', `SELECT toString(now64(3)) AS now`)
  return row.now
}

/**
 * Where a window after `from` ends so that it holds at most about `maxRows` spans: `to` itself
 * when the window is small enough, else the ingested_at of the maxRows-th span (a whole insert
 * shares one ingested_at, so a window can still hold more than one oversized insert).
 */
export async function capWindow(from: ChTime, to: ChTime, maxRows: number): Promise<ChTime> {
  const [row] = await querySystem<{ end: string | null }>(
    'rollups.window',
    `SELECT toString(max(ingested_at)) AS end FROM (
       SELECT ingested_at FROM spans
       WHERE ingested_at > {from:DateTime64(3, 'UTC')} AND ingested_at <= {to:DateTime64(3, 'UTC')}
       ORDER BY ingested_at LIMIT {max_rows:UInt32})`,
    { from, to, max_rows: maxRows },
  )
  const count = await querySystem<{ n: string }>(
    'rollups.window.count',
    `SELECT count() AS n FROM spans WHERE ingested_at > {from:DateTime64(3, 'UTC')} AND ingested_at <= {to:DateTime64(3, 'UTC')}`,
    { from, to },
  )
  if (Number(count[0].n) <= maxRows || !row?.end) return to
  return row.end
}

/** The spans ingested in (from, to], each span once (two replicas racing may both store one). */
const WINDOW = `(SELECT * FROM spans
  WHERE ingested_at > {from:DateTime64(3, 'UTC')} AND ingested_at <= {to:DateTime64(3, 'UTC')}
  LIMIT 1 BY project_id, trace_id, span_id)`

/**
 * Inserts a derived table's rows for the spans ingested in (from, to]. The token names the
 * table and the window, so the same window inserted again (a pass repeated after a crash) is
 * dropped by the engine; the insert is squashed into one block so the token covers all of it.
 */
export async function insertDerivedRows(table: DerivedTable, from: ChTime, to: ChTime): Promise<void> {
  await commandSystem(
    `rollups.refresh.${table.table}`,
    `INSERT INTO ${table.table} (${table.columns.join(', ')}) ${table.select(WINDOW)}`,
    { from, to },
    {
      insert_deduplicate: 1,
      insert_deduplication_token: `rollup:${table.table}:${from}:${to}`,
      min_insert_block_size_rows: '1000000000',
      min_insert_block_size_bytes: '1000000000000',
      max_insert_threads: '1',
      distributed_foreground_insert: 1,
    },
  )
}

/** The committed watermark, as a scalar subquery (1970 before the first pass, so nothing is skipped). */
export const WATERMARK_SQL = `(SELECT watermark FROM rollup_progress WHERE id = 0 ORDER BY seq DESC LIMIT 1)`

/** The committed watermark; the cycle indexer reads no touch beyond it. */
export async function rollupWatermark(): Promise<ChTime> {
  const progress = await readRollupProgress()
  return progress?.watermark ?? '1970-01-01 00:00:00.000'
}

/**
 * Blocks (values of `blockExpr` over spans, e.g. toStartOfFifteenMinutes(start_time)) of the
 * project's spans in [from, to) that received spans after the watermark. A pass under way
 * writes only into such blocks, so every other block of a derived table is complete: readers
 * take these blocks from spans and all others from the derived table.
 */
export async function blocksAfterWatermark(projectId: string, blockExpr: string, range: { from: string; to: string }, where = 'true'): Promise<string[]> {
  const rows = await queryClickhouse<{ b: string }>({
    tag: 'rollups.stale-blocks',
    projectId,
    query: `SELECT DISTINCT toString(${blockExpr}) AS b FROM spans
      WHERE project_id = {project_id:String} AND ingested_at > ${WATERMARK_SQL}
        AND start_time >= {from:DateTime64(3, 'UTC')} AND start_time < {to:DateTime64(3, 'UTC')} AND (${where})`,
    params: range,
  })
  return rows.map((row) => row.b)
}

export interface RefreshLag {
  watermark: string
  /** Seconds the watermark is behind the engine's clock. */
  lag_seconds: number
}

export async function readRefreshLag(): Promise<RefreshLag | undefined> {
  const [row] = await querySystem<{ watermark_iso: string; lag_ms: string }>(
    'rollups.lag',
    `SELECT toString(watermark) AS watermark_iso, toString(dateDiff('millisecond', watermark, now64(3))) AS lag_ms
     FROM rollup_progress WHERE id = 0 ORDER BY seq DESC LIMIT 1`,
  )
  return row ? { watermark: `${row.watermark_iso.replace(' ', 'T')}Z`, lag_seconds: Math.max(0, Number(row.lag_ms) / 1000) } : undefined
}
