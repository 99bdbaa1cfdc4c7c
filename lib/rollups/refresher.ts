// Keeps every table derived from spans (trace stats, trace touches, the analytics rollups: see
// db/clickhouse/queries/derived-tables.ts) current, off the insert path. A pass takes the spans
// ingested after the watermark, up to a few seconds ago, and inserts each table's rows for them;
// then it moves the watermark. Exactly once, across crashes:
//   1. it records its window (watermark, pending_to] before inserting anything;
//   2. each table's insert carries a token naming the table and the window, so the engine drops
//      an insert it already holds;
//   3. a process that starts and finds a window recorded but not committed repeats exactly that
//      window, and only then moves on.
// No gaps: a window ends `settleMs` before the engine's clock and before the start of any span
// insert still running in this process (a row's ingested_at is taken when its insert starts, but
// it becomes visible only when the insert ends).
// Readers do not wait for it: they read from spans whatever it has not reached yet.
import os from 'node:os'
import { DERIVED_TABLES, type DerivedTable } from '@/db/clickhouse/queries/derived-tables'
import { capWindow, engineNow, insertDerivedRows, readRollupProgress, writeRollupProgress, type RollupProgress } from '@/db/clickhouse/queries/rollup-progress'
import { oldestSpanInsertStart } from '@/lib/ingest/writers'
import { PeriodicTask } from '@/lib/runtime/periodic-task'
import { metrics } from '@/lib/observability/metrics'

export interface RefresherOptions {
  intervalMs: number
  /** How far behind the engine's clock a window ends (covers inserts of other processes). */
  settleMs: number
  /** Spans per pass at most (a catch-up runs several passes back to back). */
  maxWindowRows: number
  tables: DerivedTable[]
  /** Test hook: runs between two tables' inserts of a pass. */
  betweenTables?: (table: string) => Promise<void>
  /**
   * With a ClickHouse server other processes may run a refresher by mistake: a pass leaves the
   * work to a process that wrote the bookmark less than this long ago (0: never, as with the
   * embedded engine, which no other process can open).
   */
  yieldToOthersMs: number
}

const DEFAULTS: RefresherOptions = { intervalMs: 2000, settleMs: 2000, maxWindowRows: 500_000, tables: DERIVED_TABLES, yieldToOthersMs: 0 }

/** ClickHouse DateTime64(3) text for a JS time. */
function chTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '')
}

function chMs(text: string): number {
  return Date.parse(`${text.replace(' ', 'T')}Z`)
}

export interface PassResult {
  /** The window folded, or undefined when there was nothing to do. */
  window?: { from: string; to: string; repeated: boolean }
  /** True when the pass stopped at maxWindowRows and more is waiting. */
  more: boolean
}

export class RollupRefresher {
  private readonly options: RefresherOptions
  private readonly holder = `${os.hostname()}:${process.pid}`
  private readonly task: PeriodicTask
  private warned = false

  constructor(options: Partial<RefresherOptions> = {}) {
    this.options = { ...DEFAULTS, ...options }
    this.task = new PeriodicTask('rollup refresh', this.options.intervalMs, async () => (await this.timedPass()).more)
  }

  start(): void {
    this.task.start()
  }

  stop(): Promise<void> {
    return this.task.stop()
  }

  /** Why the last pass failed, until one succeeds. */
  get error(): string | undefined {
    return this.task.error
  }

  /** A pass, counted in the rollup pass metrics. */
  private async timedPass(): Promise<PassResult> {
    const m = metrics()
    const done = m.rollupPassDuration.startTimer()
    try {
      return await this.pass()
    } catch (error) {
      m.rollupPassFailures.inc()
      throw error
    } finally {
      done()
    }
  }

  /** One pass: repeats an unfinished window, or folds the next one. */
  async pass(): Promise<PassResult> {
    const progress = await readRollupProgress()
    if (!progress) throw new Error('rollup_progress has no row: the ClickHouse migrations did not run')
    const { writer } = progress
    if (this.options.yieldToOthersMs > 0 && writer.holder !== this.holder && writer.holder !== 'migration' && writer.age_seconds * 1000 < this.options.yieldToOthersMs) {
      if (!this.warned) console.warn(`[flightline] ${writer.holder} is refreshing the rollups too: set FLIGHTLINE_ROLLUP_REFRESHER=0 on all processes but one; this one waits`)
      this.warned = true
      return { more: false }
    }
    if (progress.pending_to !== progress.watermark) {
      await this.fold(progress, progress.pending_to)
      return { window: { from: progress.watermark, to: progress.pending_to, repeated: true }, more: true }
    }
    let end = chMs(await engineNow()) - this.options.settleMs
    const oldest = oldestSpanInsertStart()
    if (oldest !== undefined) end = Math.min(end, oldest - 1)
    if (end <= chMs(progress.watermark)) return { more: false }
    const wanted = chTime(end)
    const to = await capWindow(progress.watermark, wanted, this.options.maxWindowRows)
    const started = { ...progress, seq: progress.seq + 1, pending_to: to }
    await writeRollupProgress(started, this.holder)
    await this.fold(started, to)
    return { window: { from: progress.watermark, to, repeated: false }, more: to !== wanted }
  }

  private async fold(progress: RollupProgress, to: string): Promise<void> {
    for (const table of this.options.tables) {
      await insertDerivedRows(table, progress.watermark, to)
      await this.options.betweenTables?.(table.table)
    }
    await writeRollupProgress({ seq: progress.seq + 1, watermark: to, pending_to: to }, this.holder)
  }

  /** Runs passes until the watermark is within one settle period of now (tests, benchmarks). */
  async catchUp(): Promise<void> {
    for (;;) {
      const result = await this.pass()
      if (!result.more) return
    }
  }
}

const GLOBAL_KEY = Symbol.for('flightline.rollup-refresher')

/** Starts the process's refresher once (safe under dev hot reload). */
export function startRollupRefresher(options: Partial<RefresherOptions> = {}): RollupRefresher {
  const slot = globalThis as Record<symbol, RollupRefresher | undefined>
  slot[GLOBAL_KEY] ??= new RollupRefresher(options)
  slot[GLOBAL_KEY].start()
  return slot[GLOBAL_KEY]
}

export function rollupRefresher(): RollupRefresher | undefined {
  return (globalThis as Record<symbol, RollupRefresher | undefined>)[GLOBAL_KEY]
}

export function stopRollupRefresher(): Promise<void> {
  return rollupRefresher()?.stop() ?? Promise.resolve()
}

/**
 * Stops the refresher once its running pass is over, so its tables and its bookmark hold still
 * (a backup copies them one after the other); the returned function starts it again.
 */
export async function pauseRollupRefresher(): Promise<() => void> {
  const refresher = rollupRefresher()
  if (!refresher) return () => {}
  await refresher.stop()
  return () => refresher.start()
}
