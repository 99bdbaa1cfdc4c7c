// Keeps trace_cycles current (see migrations/clickhouse/0021_trace_cycles.sql): reads the
// traces touched by new inserts from trace_touches in order, loads each one's span tree, finds
// the cycles of its aggregated call graph (lib/graph) and records the traces that have one.
// Runs in every server process; running twice only writes the same rows twice. It reads the
// touches the rollup refresher has committed (lib/rollups/refresher.ts), so a trace's badge
// appears within about the rollups' freshness plus `intervalMs` of its spans being stored.
import {
  readIndexProgress,
  readSpanTrees,
  readTouchesAfter,
  writeIndexProgress,
  writeTraceCycles,
  type TouchCursor,
  type TraceCycleRow,
  type TreeSpan,
} from '@/db/clickhouse/queries/trace-cycles'
import { rollupWatermark } from '@/db/clickhouse/queries/rollup-progress'
import { analyzeTrace } from '@/lib/graph/find-cycles'
import { nanosToClickhouse } from '@/lib/time/nanos'
import { PeriodicTask } from '@/lib/runtime/periodic-task'

export interface CycleIndexerOptions {
  intervalMs: number
  /** Touches read per pass. */
  batchTouches: number
  /** Traces whose trees are loaded in one query. */
  tracesPerQuery: number
}

const DEFAULTS: CycleIndexerOptions = { intervalMs: 1000, batchTouches: 5000, tracesPerQuery: 200 }

/** The cycle summary of one trace's span tree, or undefined when it has no cycle. */
export function cycleRow(projectId: string, traceId: string, spans: TreeSpan[]): TraceCycleRow | undefined {
  if (spans.length === 0) return undefined
  const { cycles, nodes } = analyzeTrace(spans)
  if (cycles.length === 0) return undefined
  const labelOf = new Map(nodes.map((node) => [node.id, node.label]))
  let start = BigInt(spans[0].start_ns)
  for (const span of spans) if (BigInt(span.start_ns) < start) start = BigInt(span.start_ns)
  return {
    project_id: projectId,
    trace_id: traceId,
    trace_start: nanosToClickhouse(start),
    cycle_count: cycles.length,
    reentries: cycles.reduce((sum, cycle) => sum + cycle.reentries, 0),
    max_depth: Math.max(...cycles.map((cycle) => cycle.max_depth)),
    top_cycle: cycles[0].nodes.map((id) => labelOf.get(id) ?? id),
  }
}

/** Indexes the traces named by `touches`; returns how many had a cycle. */
export async function indexTouchedTraces(touches: TouchCursor[], tracesPerQuery = DEFAULTS.tracesPerQuery): Promise<number> {
  const byProject = new Map<string, Set<string>>()
  for (const touch of touches) {
    const set = byProject.get(touch.project_id)
    if (set) set.add(touch.trace_id)
    else byProject.set(touch.project_id, new Set([touch.trace_id]))
  }
  let found = 0
  for (const [projectId, traceIds] of byProject) {
    const ids = [...traceIds]
    for (let i = 0; i < ids.length; i += tracesPerQuery) {
      const spans = await readSpanTrees(projectId, ids.slice(i, i + tracesPerQuery))
      const byTrace = new Map<string, TreeSpan[]>()
      for (const span of spans) {
        const list = byTrace.get(span.trace_id)
        if (list) list.push(span)
        else byTrace.set(span.trace_id, [span])
      }
      const rows = [...byTrace].map(([traceId, traceSpans]) => cycleRow(projectId, traceId, traceSpans)).filter((row) => row !== undefined)
      await writeTraceCycles(rows)
      found += rows.length
    }
  }
  return found
}

export class CycleIndexer {
  private cursor?: TouchCursor
  private readonly options: CycleIndexerOptions
  private readonly task: PeriodicTask

  constructor(options: Partial<CycleIndexerOptions> = {}) {
    this.options = { ...DEFAULTS, ...options }
    this.task = new PeriodicTask('cycle indexer', this.options.intervalMs, () => this.pass(), 5)
  }

  start(): void {
    this.task.start()
  }

  stop(): Promise<void> {
    return this.task.stop()
  }

  /** One pass over new touches; true when more are waiting. */
  async pass(): Promise<boolean> {
    this.cursor ??= await readIndexProgress()
    const touches = await readTouchesAfter(this.cursor, this.options.batchTouches, await rollupWatermark())
    if (touches.length === 0) return false
    await indexTouchedTraces(touches, this.options.tracesPerQuery)
    const last = touches[touches.length - 1]
    await writeIndexProgress(last)
    this.cursor = last
    return touches.length === this.options.batchTouches
  }
}

const GLOBAL_KEY = Symbol.for('flightline.cycle-indexer')

/** Starts the process's indexer once (safe under dev hot reload). */
export function startCycleIndexer(): CycleIndexer {
  const slot = globalThis as Record<symbol, CycleIndexer | undefined>
  slot[GLOBAL_KEY] ??= new CycleIndexer()
  slot[GLOBAL_KEY].start()
  return slot[GLOBAL_KEY]
}

/** Stops the indexer after its running pass (backups); the returned function starts it again. */
export async function pauseCycleIndexer(): Promise<() => void> {
  const indexer = (globalThis as Record<symbol, CycleIndexer | undefined>)[GLOBAL_KEY]
  if (!indexer) return () => {}
  await indexer.stop()
  return () => indexer.start()
}

export function stopCycleIndexer(): Promise<void> {
  return (globalThis as Record<symbol, CycleIndexer | undefined>)[GLOBAL_KEY]?.stop() ?? Promise.resolve()
}
