// Reads and writes of the cycle index (migration 0021): the touched-trace log, the span trees
// of touched traces, the found cycles and how far the indexer has read.
import { insertRows, queryClickhouse, querySystem } from '../query'
import { MAX_TRACE_SPANS } from './traces'

/** A position in trace_touches: (touched_at, project_id, trace_id), the table's sort key. */
export interface TouchCursor {
  touched_at: string
  project_id: string
  trace_id: string
}

export const START_OF_TOUCHES: TouchCursor = { touched_at: '1970-01-01 00:00:00.000', project_id: '', trace_id: '' }

export async function readIndexProgress(): Promise<TouchCursor> {
  const [row] = await querySystem<TouchCursor>(
    'traces.cycles.progress',
    `SELECT touched_at, project_id, trace_id FROM trace_cycle_progress WHERE id = 0 ORDER BY updated_at DESC LIMIT 1`,
  )
  return row ?? START_OF_TOUCHES
}

export async function writeIndexProgress(cursor: TouchCursor): Promise<void> {
  await insertRows('trace_cycle_progress', [{ id: 0, ...cursor }])
}

/**
 * Touches after `cursor`, oldest first, up to the rollup watermark: the rollup refresher writes
 * the touches of a window before it moves the watermark past it, so none can appear behind it.
 */
export async function readTouchesAfter(cursor: TouchCursor, limit: number, upTo: string): Promise<TouchCursor[]> {
  return querySystem<TouchCursor>(
    'traces.cycles.touches',
    `SELECT touched_at, project_id, trace_id
      FROM trace_touches
      WHERE (touched_at, project_id, trace_id) > ({touched_at:DateTime64(3, 'UTC')}, {project_id:String}, {trace_id:String})
        AND touched_at <= {up_to:DateTime64(3, 'UTC')}
      ORDER BY touched_at, project_id, trace_id
      LIMIT {limit:UInt32}`,
    { ...cursor, up_to: upTo, limit },
  )
}

export interface TreeSpan {
  trace_id: string
  span_id: string
  parent_span_id: string
  name: string
  kind: string
  tool_name: string
  agent_name: string
  model_requested: string
  model_resolved: string
  start_ns: string
}

/** The span trees (no payloads) of several traces of one project. */
export async function readSpanTrees(projectId: string, traceIds: string[]): Promise<TreeSpan[]> {
  return queryClickhouse<TreeSpan>({
    tag: 'traces.cycles.trees',
    projectId,
    query: `SELECT * FROM (
        SELECT trace_id, span_id, parent_span_id, toString(name) AS name, toString(kind) AS kind, toString(tool_name) AS tool_name,
          toString(agent_name) AS agent_name, toString(model_requested) AS model_requested, toString(model_resolved) AS model_resolved,
          toString(toUnixTimestamp64Nano(start_time)) AS start_ns
        FROM spans
        WHERE project_id = {project_id:String} AND trace_id IN {ids:Array(String)}
        LIMIT 1 BY trace_id, span_id)
      LIMIT {per_trace:UInt32} BY trace_id`,
    params: { ids: traceIds, per_trace: MAX_TRACE_SPANS },
  })
}

export interface TraceCycleRow {
  project_id: string
  trace_id: string
  trace_start: string
  cycle_count: number
  reentries: number
  max_depth: number
  top_cycle: string[]
}

export async function writeTraceCycles(rows: TraceCycleRow[]): Promise<void> {
  await insertRows('trace_cycles', rows)
}
