// Deletion on request (POST /api/v1/deletions): everything of one user, session, tenant or trace
// in one project, from every table that holds it, with an audit row that says who asked, what
// kind of subject (its value only as a sha256), when, and how many rows went.
//
// The subject's traces are found first (any span, held span or span part naming it), and whole
// traces are deleted: spans, held_spans, span_parts, trace_stats, trace_touches, trace_cycles,
// scores, sampling_decisions, the prompt snapshots no remaining span uses, and the subject's
// contribution to the model-call rollups (the blocks it touched are recomputed from the spans
// that remain, with the rollup refresher paused so no pass runs in between).
// Requests run one at a time in the background; one that was under way when the process stopped
// runs again at start-up (every step can be repeated).
import { createHash, randomUUID } from 'node:crypto'
import { and, desc, eq, inArray } from 'drizzle-orm'
import { z } from 'zod'
import { postgres } from '@/db/postgres/client'
import { deletions, type Deletion } from '@/db/postgres/schema'
import { commandProject, queryClickhouse } from '@/db/clickhouse/query'
import { rollupTable, MODEL_CALL_FIRST_SEEN } from '@/db/clickhouse/queries/derived-tables'
import { ROLLUPS } from '@/db/clickhouse/queries/analytics/rollups'
import { rollupWatermark } from '@/db/clickhouse/queries/rollup-progress'
import { withBackgroundWritersStill } from '@/lib/runtime/hold-writers'
import type { Caller } from '@/lib/auth/with-project'

export const SUBJECT_TYPES = ['user_id', 'session_id', 'trace_id', 'tenant_id'] as const
export type SubjectType = (typeof SUBJECT_TYPES)[number]

export const deletionRequestSchema = z
  .object(
    {
      user_id: z.string().min(1).max(256).optional(),
      session_id: z.string().min(1).max(256).optional(),
      trace_id: z.string().min(1).max(128).optional(),
      tenant_id: z.string().min(1).max(256).optional(),
    },
    { message: 'body must be a JSON object naming one subject: {"user_id"|"session_id"|"trace_id"|"tenant_id": "..."}' },
  )
  .strict()
  .transform((value, ctx) => {
    const named = SUBJECT_TYPES.filter((type) => value[type] !== undefined)
    if (named.length !== 1) {
      ctx.addIssue({ code: 'custom', message: `name exactly one subject of ${SUBJECT_TYPES.join(', ')} (got ${named.length})` })
      return z.NEVER
    }
    return { type: named[0], value: value[named[0]]! }
  })

export type DeletionSubject = z.output<typeof deletionRequestSchema>

export function subjectHash(value: string): string {
  return createHash('sha256').update(value).digest('hex')
}

export function describeCaller(caller: Caller): string {
  if (caller.kind === 'admin') return 'admin token'
  if (caller.kind === 'user') return `user:${caller.user.email}`
  if (caller.kind === 'key') return `key:${caller.keyId ?? 'unknown'}`
  return 'share link'
}

/** The subject's value while its request is queued or running: never written anywhere. */
const pendingValues = new Map<string, DeletionSubject>()

export async function requestDeletion(projectId: string, subject: DeletionSubject, caller: Caller): Promise<Deletion> {
  const id = `del_${randomUUID().replace(/-/g, '').slice(0, 20)}`
  const [row] = await postgres()
    .insert(deletions)
    .values({ id, projectId, subjectType: subject.type, subjectHash: subjectHash(subject.value), requestedBy: describeCaller(caller), status: 'pending' })
    .returning()
  pendingValues.set(id, subject)
  enqueue(id)
  return row
}

export async function getDeletion(projectId: string, id: string): Promise<Deletion | undefined> {
  const [row] = await postgres()
    .select()
    .from(deletions)
    .where(and(eq(deletions.id, id), eq(deletions.projectId, projectId)))
    .limit(1)
  return row
}

export async function listDeletions(projectId: string, limit = 200): Promise<Deletion[]> {
  return postgres().select().from(deletions).where(eq(deletions.projectId, projectId)).orderBy(desc(deletions.createdAt)).limit(limit)
}

export function deletionToApi(row: Deletion) {
  return {
    id: row.id,
    status: row.status,
    subject: { type: row.subjectType, sha256: row.subjectHash },
    requested_by: row.requestedBy,
    requested_at: row.createdAt.toISOString(),
    finished_at: row.finishedAt?.toISOString() ?? null,
    traces: row.traces,
    rows_removed: row.rowsRemoved,
    rows_removed_total: Object.values(row.rowsRemoved).reduce((a, b) => a + b, 0),
    error: row.error,
  }
}

let queue: Promise<void> = Promise.resolve()

function enqueue(id: string): void {
  queue = queue.then(() => runDeletion(id).catch((error) => console.error(`[flightline] deletion ${id} failed:`, error)))
}

/** Resolves when every queued deletion has run (tests, shutdown). */
export function deletionsIdle(): Promise<void> {
  return queue
}

/**
 * Requests that never finished (the process stopped): their subject values were held only in
 * memory, so they are marked failed with a note to send them again. Called at start-up.
 */
export async function failInterruptedDeletions(): Promise<void> {
  await postgres()
    .update(deletions)
    .set({ status: 'failed', error: 'interrupted by a restart before it finished; send the request again', finishedAt: new Date() })
    .where(inArray(deletions.status, ['pending', 'running']))
}

async function runDeletion(id: string): Promise<void> {
  const subject = pendingValues.get(id)
  const [row] = await postgres().select().from(deletions).where(eq(deletions.id, id)).limit(1)
  if (!row || !subject) return
  await postgres().update(deletions).set({ status: 'running' }).where(eq(deletions.id, id))
  try {
    const { traces, rows } = await deleteSubject(row.projectId, subject)
    await postgres().update(deletions).set({ status: 'done', traces, rowsRemoved: rows, finishedAt: new Date() }).where(eq(deletions.id, id))
  } catch (error) {
    await postgres()
      .update(deletions)
      .set({ status: 'failed', error: error instanceof Error ? error.message : String(error), finishedAt: new Date() })
      .where(eq(deletions.id, id))
  } finally {
    pendingValues.delete(id)
  }
}

/** Tables keyed by trace whose rows of the subject's traces go. */
const TRACE_TABLES = ['held_spans', 'span_parts', 'spans', 'trace_stats', 'trace_touches', 'trace_cycles', 'scores', 'sampling_decisions']

const TRACES_PER_ROUND = 5_000

async function count(projectId: string, tag: string, query: string, params: Record<string, unknown>): Promise<number> {
  const [row] = await queryClickhouse<{ n: string }>({ tag, projectId, query, params })
  return Number(row?.n ?? 0)
}

/** Deletes everything of the subject in the project; returns traces and rows removed per table. */
export async function deleteSubject(projectId: string, subject: DeletionSubject): Promise<{ traces: number; rows: Record<string, number> }> {
  const column = subject.type
  const traceIds = await queryClickhouse<{ trace_id: string }>({
    tag: 'deletion.traces',
    projectId,
    query: `SELECT DISTINCT trace_id FROM (
        SELECT trace_id FROM spans WHERE project_id = {project_id:String} AND ${column} = {value:String}
        UNION ALL SELECT trace_id FROM held_spans WHERE project_id = {project_id:String} AND ${column} = {value:String}
        UNION ALL SELECT trace_id FROM span_parts WHERE project_id = {project_id:String} AND JSONExtractString(fields, {column:String}) = {value:String}
        UNION ALL SELECT trace_id FROM scores WHERE project_id = {project_id:String} AND {column:String} = 'trace_id' AND trace_id = {value:String}
      )`,
    params: { value: subject.value, column },
  })
  const ids = traceIds.map((r) => r.trace_id)
  if (column === 'trace_id' && !ids.includes(subject.value)) ids.push(subject.value)
  const rows: Record<string, number> = {}
  const add = (table: string, n: number) => {
    if (n > 0) rows[table] = (rows[table] ?? 0) + n
  }
  // With the writers still: no promotion or sampling release writes a deleted trace back, and the
  // rollup blocks are recomputed with no pass folding in between.
  await withBackgroundWritersStill(async () => {
    for (let i = 0; i < ids.length; i += TRACES_PER_ROUND) await deleteTraces(projectId, ids.slice(i, i + TRACES_PER_ROUND), add)
  })
  return { traces: traceIds.length, rows }
}

async function deleteTraces(projectId: string, ids: string[], add: (table: string, n: number) => void): Promise<void> {
  const params = { ids }
  const inTraces = `project_id = {project_id:String} AND trace_id IN {ids:Array(String)}`
  // What the rollups and snapshots need to know, read before the spans go.
  const touched = await queryClickhouse<{ hashes: string[]; tenants: string[]; blocks: string[]; days: string[] }>({
    tag: 'deletion.touched',
    projectId,
    query: `SELECT groupUniqArrayIf(system_prompt_hash, system_prompt_hash != '') AS hashes,
        groupUniqArrayIf(toString(tenant_id), kind = 'llm') AS tenants,
        groupUniqArrayIf(toString(toStartOfFifteenMinutes(start_time)), kind = 'llm') AS blocks,
        groupUniqArrayIf(toString(toDate(start_time)), kind = 'llm') AS days
      FROM spans WHERE ${inTraces}`,
    params,
  })
  const { hashes = [], tenants = [], blocks = [], days = [] } = touched[0] ?? {}

  for (const table of TRACE_TABLES) {
    const n = await count(projectId, `deletion.count.${table}`, `SELECT count() AS n FROM ${table} WHERE ${inTraces}`, params)
    if (n === 0) continue
    await commandProject({ tag: `deletion.${table}`, projectId, query: `DELETE FROM ${table} WHERE ${inTraces}`, params })
    add(table, n)
  }

  if (hashes.length > 0) {
    const orphaned = await queryClickhouse<{ hash: string }>({
      tag: 'deletion.orphaned-snapshots',
      projectId,
      query: `SELECT hash FROM prompt_snapshots WHERE project_id = {project_id:String} AND hash IN {hashes:Array(String)}
          AND hash NOT IN (SELECT system_prompt_hash FROM spans WHERE project_id = {project_id:String} AND system_prompt_hash IN {hashes:Array(String)})
          AND hash NOT IN (SELECT system_prompt_hash FROM held_spans WHERE project_id = {project_id:String} AND system_prompt_hash IN {hashes:Array(String)})`,
      params: { hashes },
    })
    if (orphaned.length > 0) {
      const gone = orphaned.map((r) => r.hash)
      const n = await count(projectId, 'deletion.count.snapshots', `SELECT count() AS n FROM prompt_snapshots WHERE project_id = {project_id:String} AND hash IN {gone:Array(String)}`, { gone })
      await commandProject({ tag: 'deletion.snapshots', projectId, query: `DELETE FROM prompt_snapshots WHERE project_id = {project_id:String} AND hash IN {gone:Array(String)}`, params: { gone } })
      add('prompt_snapshots', n)
    }
  }

  // Rollups: the blocks the subject's model calls were in, recomputed from the spans left that
  // the refresher had folded (ingested up to its watermark); later ones it folds itself.
  const watermark = await rollupWatermark()
  for (const rollup of ROLLUPS) {
    const keys = rollup.blockSeconds === 86_400 ? days : blocks
    if (keys.length === 0) continue
    const block = rollup.keys[0]
    const blockType = rollup.blockSeconds === 86_400 ? 'Date' : `DateTime('UTC')`
    await recompute(
      projectId,
      rollupTable(rollup),
      `${block.name} IN {keys:Array(${blockType})}`,
      `${block.raw} IN {keys:Array(${blockType})}`,
      { keys, watermark },
      add,
    )
  }
  if (tenants.length > 0) {
    await recompute(projectId, MODEL_CALL_FIRST_SEEN, `tenant_id IN {tenants:Array(String)}`, `tenant_id IN {tenants:Array(String)}`, { tenants, watermark }, add)
  }
}

async function recompute(
  projectId: string,
  table: { table: string; columns: string[]; select: (spans: string) => string },
  rollupWhere: string,
  spansWhere: string,
  params: Record<string, unknown>,
  add: (table: string, n: number) => void,
): Promise<void> {
  const where = `project_id = {project_id:String} AND ${rollupWhere}`
  const before = await count(projectId, `deletion.count.${table.table}`, `SELECT count() AS n FROM ${table.table} WHERE ${where}`, params)
  if (before === 0) return
  await commandProject({ tag: `deletion.${table.table}`, projectId, query: `DELETE FROM ${table.table} WHERE ${where}`, params })
  await commandProject({
    tag: `deletion.recompute.${table.table}`,
    projectId,
    query: `INSERT INTO ${table.table} (${table.columns.join(', ')}) ${table.select(`(SELECT * FROM spans WHERE project_id = {project_id:String} AND ${spansWhere} AND ingested_at <= {watermark:DateTime64(3, 'UTC')})`)}`,
    params,
    // The same rows may have been inserted before: this insert must not be taken for a repeat.
    settings: { insert_deduplicate: 0 },
  })
  add(`${table.table} (recomputed)`, before)
}
