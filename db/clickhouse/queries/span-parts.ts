// Reads of span_parts (migration 0044): the parts of one trace (or one span) for the trace view,
// and the Langfuse observations that settled and wait to be written to spans.
import { queryClickhouse, querySystem } from '../query'

/** A stored part: `fields` is the partial span as JSON text; times as nanosecond digit strings. */
export interface StoredPart {
  trace_id: string
  span_id: string
  source: string
  part_id: string
  time_ns: string
  /** Arrival order among parts stored in the same insert. */
  seq: string
  fields: string
  ingested_at: string
}

const PART_COLUMNS = `trace_id, span_id, source, part_id,
  toString(toUnixTimestamp64Nano(time)) AS time_ns, toString(seq) AS seq, fields,
  formatDateTime(ingested_at, '%Y-%m-%dT%H:%i:%S.%fZ') AS ingested_at`

/** The parts of one trace, each once (a re-sent part collapses), oldest first. */
export function getTraceParts(projectId: string, traceId: string, spanId?: string): Promise<StoredPart[]> {
  return queryClickhouse<StoredPart>({
    tag: 'span-parts.trace',
    projectId,
    query: `SELECT ${PART_COLUMNS}
      FROM span_parts
      WHERE project_id = {project_id:String} AND trace_id = {trace_id:String}${spanId !== undefined ? ' AND span_id IN ({span_id:String}, {trace_id:String})' : ''}
      ORDER BY time, ingested_at, seq
      LIMIT 1 BY span_id, source, part_id
      LIMIT 100000`,
    params: { trace_id: traceId, ...(spanId !== undefined ? { span_id: spanId } : {}) },
  })
}

export interface SettledObservation {
  project_id: string
  trace_id: string
  span_id: string
}

/**
 * Langfuse observations (and traces) that are ready to be written to spans and were not yet:
 * nothing new arrived for `settleSeconds` and either an end time is known or `maxWaitSeconds`
 * passed since the last part. Instance-wide (the promoter serves every project).
 */
export function findSettledObservations(settleSeconds: number, maxWaitSeconds: number, limit: number): Promise<SettledObservation[]> {
  return querySystem<SettledObservation>(
    'span-parts.settled',
    `SELECT project_id, trace_id, span_id
     FROM span_parts
     WHERE source IN ('langfuse', 'promoted') AND time >= now64(9) - INTERVAL 2 DAY
     GROUP BY project_id, trace_id, span_id
     HAVING countIf(source = 'promoted') = 0
        AND maxIf(ingested_at, source = 'langfuse') < now64(3) - toIntervalMillisecond({settle_ms:UInt32})
        AND (maxIf(ended, source = 'langfuse')
             OR maxIf(ingested_at, source = 'langfuse') < now64(3) - toIntervalSecond({max_wait:UInt32}))
     ORDER BY min(ingested_at)
     LIMIT {limit:UInt32}`,
    { settle_ms: Math.round(settleSeconds * 1000), max_wait: maxWaitSeconds, limit },
  )
}
