// Judges held traces, off the request path. While a project samples, ingest writes its spans to
// held_spans (durably: a 2xx means stored). A pass takes the traces that went quiet (no span for
// FLIGHTLINE_SAMPLING_WINDOW_SECONDS, or held longer than FLIGHTLINE_SAMPLING_MAX_WAIT_SECONDS),
// judges each whole (sampling-policy.ts), and then, per project:
//   1. moves the kept traces' spans into spans with their sample_weight, skipping spans already
//      there (so a pass repeated after a crash adds nothing twice);
//   2. records every judgement in sampling_decisions (one row per trace, replaced on repeat);
//   3. deletes the judged spans from held_spans, only those that were visible when the pass
//      began and older than any held insert still running in this process.
// A crash between the steps repeats them on the next pass; nothing kept is lost.
import { env } from '@/lib/config/env'
import { commandProject, insertRows, queryClickhouse, querySystem } from '@/db/clickhouse/query'
import { oldestHeldInsertStart, trackSpanInsert } from '@/lib/ingest/writers'
import { projectSettings } from '@/lib/projects/project-settings'
import { judgeTrace, reweighByPass, type HeldTrace, type Judgement } from './sampling-policy'

const TRACES_PER_PASS = 20_000

interface QuietTrace extends HeldTrace {
  project_id: string
  spans: string
}

/** Columns moved from held_spans to spans: all of spans' but the two set on the move. */
let movedColumns: string[] | undefined

async function columnsToMove(): Promise<string[]> {
  if (movedColumns) return movedColumns
  const rows = await querySystem<{ name: string }>(
    'sampling.columns',
    `SELECT name FROM system.columns WHERE database = currentDatabase() AND table = 'held_spans' AND default_kind NOT IN ('MATERIALIZED', 'ALIAS') ORDER BY position`,
  )
  movedColumns = rows.map((r) => r.name).filter((name) => name !== 'ingested_at' && name !== 'sample_weight')
  return movedColumns
}

function chTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '')
}

export interface DecisionPass {
  judged: number
  kept: number
  dropped: number
  more: boolean
}

/** One pass over the traces that went quiet. */
export async function decideHeldTraces(): Promise<DecisionPass> {
  const config = env()
  const [{ now }] = await querySystem<{ now: string }>('sampling.now', `SELECT toUnixTimestamp64Milli(now64(3)) AS now`)
  let through = Number(now)
  const oldest = oldestHeldInsertStart()
  if (oldest !== undefined) through = Math.min(through, oldest - 1)
  const quiet = await querySystem<QuietTrace>(
    'sampling.quiet-traces',
    `SELECT project_id, trace_id, countIf(status = 'error') AS errors,
        (toUnixTimestamp64Milli(max(end_time)) - toUnixTimestamp64Milli(min(start_time))) AS duration_ms,
        arrayFilter(t -> t != '', groupUniqArray(toString(tenant_id))) AS tenants, toString(uniqExact(span_id)) AS spans
     FROM held_spans
     WHERE ingested_at <= {through:DateTime64(3, 'UTC')}
     GROUP BY project_id, trace_id
     HAVING max(ingested_at) < {quiet_before:DateTime64(3, 'UTC')} OR min(ingested_at) < {waited_before:DateTime64(3, 'UTC')}
     LIMIT {limit:UInt32}`,
    {
      through: chTime(through),
      quiet_before: chTime(Number(now) - config.FLIGHTLINE_SAMPLING_WINDOW_SECONDS * 1000),
      waited_before: chTime(Number(now) - config.FLIGHTLINE_SAMPLING_MAX_WAIT_SECONDS * 1000),
      limit: TRACES_PER_PASS,
    },
  )
  const byProject = new Map<string, QuietTrace[]>()
  for (const trace of quiet) {
    const list = byProject.get(trace.project_id) ?? []
    list.push({ ...trace, errors: Number(trace.errors), duration_ms: Number(trace.duration_ms) })
    byProject.set(trace.project_id, list)
  }
  let kept = 0
  let dropped = 0
  for (const [projectId, traces] of byProject) {
    const result = await decideProject(projectId, traces, chTime(through))
    kept += result.kept
    dropped += result.dropped
  }
  return { judged: quiet.length, kept, dropped, more: quiet.length === TRACES_PER_PASS }
}

/** Ordinary traces judged but not yet counted by any kept trace's weight, per project (reweighByPass). */
const uncounted = new Map<string, number>()

async function decideProject(projectId: string, traces: QuietTrace[], through: string): Promise<{ kept: number; dropped: number }> {
  const policy = (await projectSettings(projectId)).sampling
  const ids = traces.map((t) => t.trace_id)
  const earlier = new Map(
    (
      await queryClickhouse<{ trace_id: string; kept: boolean; reason: Judgement['reason']; sample_weight: number }>({
        tag: 'sampling.earlier',
        projectId,
        query: `SELECT trace_id, kept, reason, sample_weight FROM sampling_decisions FINAL WHERE project_id = {project_id:String} AND trace_id IN {ids:Array(String)}`,
        params: { ids },
      })
    ).map((row) => [row.trace_id, { kept: Boolean(row.kept), reason: row.reason, sample_weight: Number(row.sample_weight) } satisfies Judgement]),
  )
  const judged = traces.map((trace) => ({ trace, judgement: judgeTrace(policy, trace, earlier.get(trace.trace_id)) }))
  reweighByPass(uncounted, projectId, judged.filter((j) => !earlier.has(j.trace.trace_id)).map((j) => j.judgement))
  const keep = judged.filter((j) => j.judgement.kept)
  if (keep.length > 0) {
    const columns = (await columnsToMove()).join(', ')
    const keptIds = keep.map((j) => j.trace.trace_id)
    const keys = await queryClickhouse<{ project_id: string; trace_id: string; span_id: string; start_time: string }>({
      tag: 'sampling.kept-keys',
      projectId,
      query: `SELECT project_id, trace_id, span_id, toString(start_time) AS start_time FROM held_spans
        WHERE project_id = {project_id:String} AND trace_id IN {ids:Array(String)} LIMIT 1 BY trace_id, span_id`,
      params: { ids: keptIds },
    })
    await trackSpanInsert(keys, () =>
      commandProject({
        tag: 'sampling.keep',
        projectId,
        query: `INSERT INTO spans (${columns}, sample_weight)
          SELECT ${columns}, transform(trace_id, {ids:Array(String)}, {weights:Array(Float64)}, 1.0) AS sample_weight
          FROM held_spans
          WHERE project_id = {project_id:String} AND trace_id IN {ids:Array(String)}
            AND (trace_id, span_id) NOT IN (SELECT trace_id, span_id FROM spans WHERE project_id = {project_id:String} AND trace_id IN {ids:Array(String)})
          ORDER BY ingested_at DESC
          LIMIT 1 BY trace_id, span_id`,
        params: { ids: keptIds, weights: keep.map((j) => j.judgement.sample_weight) },
      }),
    )
  }
  await insertRows(
    'sampling_decisions',
    judged.map(({ trace, judgement }) => ({
      project_id: projectId,
      trace_id: trace.trace_id,
      kept: judgement.kept,
      reason: judgement.reason,
      sample_weight: judgement.sample_weight,
      spans: Number(trace.spans),
    })),
  )
  await commandProject({
    tag: 'sampling.release',
    projectId,
    query: `DELETE FROM held_spans WHERE project_id = {project_id:String} AND trace_id IN {ids:Array(String)} AND ingested_at <= {through:DateTime64(3, 'UTC')}`,
    params: { ids, through },
  })
  return { kept: keep.length, dropped: judged.length - keep.length }
}
