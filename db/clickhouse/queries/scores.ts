// Scores attached to one trace (evaluation results from the scores API and from OTLP
// `gen_ai.evaluation.result` events), newest version of each score id once.
import { queryClickhouse } from '../query'
import type { ScoreRow } from '../rows'

/** A score as reads select it (timestamp as ISO-8601). */
export type ScoreRecord = Omit<ScoreRow, 'project_id'>

export const MAX_TRACE_SCORES = 5_000

export async function getTraceScores(projectId: string, traceId: string): Promise<ScoreRecord[]> {
  return queryClickhouse<ScoreRecord>({
    tag: 'scores.by-trace',
    projectId,
    query: `SELECT score_id, trace_id, span_id, name, value, label, source, evaluator, run_id, comment,
        formatDateTime(timestamp, '%Y-%m-%dT%H:%i:%S.%fZ', 'UTC') AS timestamp
      FROM scores
      WHERE project_id = {project_id:String} AND trace_id = {trace_id:String}
      ORDER BY timestamp, score_id, ingested_at DESC
      LIMIT 1 BY score_id
      LIMIT {limit:UInt32}`,
    params: { trace_id: traceId, limit: MAX_TRACE_SCORES },
  })
}
