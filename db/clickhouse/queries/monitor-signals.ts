// What two monitor types read that no analytics view aggregates yet: traces with a cycle in a
// window (from trace_cycles, which the cycle indexer keeps), and the mean of a score by name.
import { dateToClickhouse } from '@/lib/time/nanos'
import { queryClickhouse } from '../query'

export interface CycleWindowRow {
  traces: string
  max_depth: number
  /** The trace with the deepest cycle ('' when none). */
  deepest_trace: string
  top_cycle: string[]
}

/** Traces that started in [from, to) and have a cycle in their call graph. */
export async function cyclesInWindow(projectId: string, window: { from: Date; to: Date }): Promise<CycleWindowRow> {
  const [row] = await queryClickhouse<CycleWindowRow>({
    tag: 'monitors.cycles',
    projectId,
    query: `SELECT count() AS traces, max(depth) AS max_depth, argMax(trace_id, depth) AS deepest_trace, argMax(cycle, depth) AS top_cycle
      FROM (
        SELECT trace_id, argMax(max_depth, computed_at) AS depth, argMax(top_cycle, computed_at) AS cycle
        FROM trace_cycles
        WHERE project_id = {project_id:String} AND trace_start >= {from:DateTime64(3, 'UTC')} AND trace_start < {to:DateTime64(3, 'UTC')}
        GROUP BY trace_id
      )`,
    params: { from: dateToClickhouse(window.from), to: dateToClickhouse(window.to) },
  })
  return row ?? { traces: '0', max_depth: 0, deepest_trace: '', top_cycle: [] }
}

export interface ScoreMeanRow {
  name: string
  scores: string
  mean: number
  /** Sample variance of the values (0 for one value). */
  variance: number
}

/** Mean and variance of the numeric values per score name (or of one name) over [from, to); re-sent scores count once. */
export function scoreMeans(projectId: string, window: { from: Date; to: Date }, name?: string): Promise<ScoreMeanRow[]> {
  return queryClickhouse<ScoreMeanRow>({
    tag: 'monitors.score-means',
    projectId,
    query: `SELECT name, count() AS scores, avg(v) AS mean, if(count() > 1, varSamp(v), 0) AS variance
      FROM (
        SELECT name, score_id, argMax(value, ingested_at) AS v
        FROM scores
        WHERE project_id = {project_id:String} AND timestamp >= {from:DateTime64(3, 'UTC')} AND timestamp < {to:DateTime64(3, 'UTC')}
          AND ({name:String} = '' OR name = {name:String})
        GROUP BY name, score_id
      )
      WHERE v IS NOT NULL
      GROUP BY name`,
    params: { from: dateToClickhouse(window.from), to: dateToClickhouse(window.to), name: name ?? '' },
  })
}
