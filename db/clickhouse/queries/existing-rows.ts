// Finds which rows of an ingest batch are already stored, so a re-sent span or score is
// acknowledged without being written (and counted) twice. The batch's own time window bounds
// the lookup to the partitions and hour ranges the batch touches.
import { querySystem } from '../query'

export interface SpanKey {
  project_id: string
  trace_id: string
  span_id: string
  start_time: string
}

export async function findStoredSpanKeys(keys: readonly SpanKey[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set()
  let min = keys[0].start_time
  let max = keys[0].start_time
  for (const key of keys) {
    if (key.start_time < min) min = key.start_time
    if (key.start_time > max) max = key.start_time
  }
  const rows = await querySystem<{ k: string }>(
    'ingest.existing-spans',
    `SELECT concat(project_id, '\\0', trace_id, '\\0', span_id) AS k
     FROM spans
     WHERE project_id IN {projects:Array(String)}
       AND start_time >= {min:DateTime64(9, 'UTC')} AND start_time <= {max:DateTime64(9, 'UTC')}
       AND trace_id IN {traces:Array(String)}`,
    {
      projects: [...new Set(keys.map((k) => k.project_id))],
      traces: [...new Set(keys.map((k) => k.trace_id))],
      min,
      max,
    },
  )
  return new Set(rows.map((row) => row.k))
}

/** The latest start_time stored ('1970-01-01 00:00:00.000000000' when none), from part min/max indexes. */
export async function latestStoredSpanStart(): Promise<string> {
  const [row] = await querySystem<{ latest: string }>('ingest.latest-span-start', `SELECT toString(max(start_time)) AS latest FROM spans`)
  return row.latest
}

export interface ScoreKey {
  project_id: string
  score_id: string
  timestamp: string
}

export async function findStoredScoreKeys(keys: readonly ScoreKey[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set()
  const rows = await querySystem<{ k: string }>(
    'ingest.existing-scores',
    `SELECT concat(project_id, '\\0', score_id) AS k FROM scores
     WHERE project_id IN {projects:Array(String)} AND score_id IN {ids:Array(String)}`,
    { projects: [...new Set(keys.map((k) => k.project_id))], ids: [...new Set(keys.map((k) => k.score_id))] },
  )
  return new Set(rows.map((row) => row.k))
}

export async function findStoredSnapshotKeys(keys: readonly { project_id: string; hash: string }[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set()
  const rows = await querySystem<{ k: string }>(
    'ingest.existing-snapshots',
    `SELECT concat(project_id, '\\0', hash) AS k FROM prompt_snapshots
     WHERE project_id IN {projects:Array(String)} AND hash IN {hashes:Array(String)}`,
    { projects: [...new Set(keys.map((k) => k.project_id))], hashes: [...new Set(keys.map((k) => k.hash))] },
  )
  return new Set(rows.map((row) => row.k))
}
