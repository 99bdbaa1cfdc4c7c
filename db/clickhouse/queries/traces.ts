// Trace reads: the paged list of traces in a time range and every span of one trace.
import { z } from 'zod'
import { dateToClickhouse } from '@/lib/time/nanos'
import { queryClickhouse } from '../query'
import { SPAN_COLUMNS, type SpanRecord } from './spans-select'

const isoDate = z.iso.datetime({ offset: true, message: 'must be an ISO-8601 date-time such as 2026-11-27T08:00:00Z' }).transform((v) => new Date(v))

export const listTracesInputSchema = z.object({
  from: isoDate.optional(),
  to: isoDate.optional(),
  tenant_id: z.string().max(256).optional(),
  user_id: z.string().max(256).optional(),
  session_id: z.string().max(256).optional(),
  model: z.string().max(256).optional(),
  status: z.enum(['ok', 'error', 'unset'], { message: 'must be ok, error or unset' }).optional(),
  limit: z.coerce.number().int().min(1).max(500, 'must be at most 500').default(50),
  cursor: z.string().max(512).optional(),
})
export type ListTracesInput = z.input<typeof listTracesInputSchema>

export interface TraceListRow {
  trace_id: string
  name: string
  start_ns: string
  end_ns: string
  span_count: number
  error_count: number
  tenant_id: string
  user_id: string
  session_id: string
  models: string[]
  model_calls: Array<[string, string, number, number, number, number | null]>
}

export interface TracePage {
  rows: TraceListRow[]
  next_cursor: string | null
  from: Date
  to: Date
}

export class InvalidCursorError extends Error {}

function encodeCursor(startNs: string, traceId: string): string {
  return Buffer.from(JSON.stringify([startNs, traceId])).toString('base64url')
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    if (Array.isArray(value) && /^\d+$/.test(value[0]) && typeof value[1] === 'string') return [value[0], value[1]]
  } catch {
    // fall through
  }
  throw new InvalidCursorError('cursor is not one this API returned')
}

export async function listTraces(projectId: string, input: z.output<typeof listTracesInputSchema>): Promise<TracePage> {
  const to = input.to ?? new Date()
  const from = input.from ?? new Date(to.getTime() - 24 * 3600_000)
  const params: Record<string, unknown> = { from: dateToClickhouse(from), to: dateToClickhouse(to), limit: input.limit + 1 }
  const spanFilters: string[] = []
  if (input.tenant_id) (spanFilters.push('tenant_id = {tenant_id:String}'), (params.tenant_id = input.tenant_id))
  if (input.user_id) (spanFilters.push('user_id = {user_id:String}'), (params.user_id = input.user_id))
  if (input.session_id) (spanFilters.push('session_id = {session_id:String}'), (params.session_id = input.session_id))
  if (input.model) (spanFilters.push('(model_requested = {model:String} OR model_resolved = {model:String})'), (params.model = input.model))
  if (input.status) (spanFilters.push('status = {status:String}'), (params.status = input.status))

  const range = `project_id = {project_id:String} AND start_time >= {from:DateTime64(3, 'UTC')} AND start_time < {to:DateTime64(3, 'UTC')}`
  const having: string[] = []
  if (input.cursor) {
    const [cursorNs, cursorTrace] = decodeCursor(input.cursor)
    params.cursor_ns = cursorNs
    params.cursor_trace = cursorTrace
    having.push(`(toUnixTimestamp64Nano(trace_start), trace_id) < ({cursor_ns:Int64}, {cursor_trace:String})`)
  }
  // Phase 1: the page of trace ids (cheap aggregates only). Phase 2: their details.
  const page = await queryClickhouse<{ trace_id: string }>({
    tag: 'traces.list.page',
    projectId,
    query: `SELECT trace_id, min(start_time) AS trace_start
      FROM spans
      WHERE ${range}
      ${spanFilters.length > 0 ? `AND trace_id IN (SELECT trace_id FROM spans WHERE ${range} AND ${spanFilters.join(' AND ')})` : ''}
      GROUP BY trace_id
      ${having.length > 0 ? `HAVING ${having.join(' AND ')}` : ''}
      ORDER BY trace_start DESC, trace_id DESC
      LIMIT {limit:UInt32}`,
    params,
  })
  const hasMore = page.length > input.limit
  const ids = page.slice(0, input.limit).map((row) => row.trace_id)
  if (ids.length === 0) return { rows: [], next_cursor: null, from, to }

  const details = await queryClickhouse<TraceListRow>({
    tag: 'traces.list.details',
    projectId,
    query: `SELECT trace_id,
        argMin(name, (parent_span_id != '', start_time)) AS name,
        toString(min(toUnixTimestamp64Nano(start_time))) AS start_ns,
        toString(max(toUnixTimestamp64Nano(end_time))) AS end_ns,
        count() AS span_count,
        countIf(status = 'error') AS error_count,
        anyIf(tenant_id, tenant_id != '') AS tenant_id,
        anyIf(user_id, user_id != '') AS user_id,
        anyIf(session_id, session_id != '') AS session_id,
        arraySort(groupUniqArrayIf(if(model_resolved != '', model_resolved, model_requested), kind = 'llm' AND (model_resolved != '' OR model_requested != ''))) AS models,
        groupArrayIf((span_id, parent_span_id, input_tokens, output_tokens, cache_read_tokens, cost_usd), kind = 'llm') AS model_calls
      FROM spans
      WHERE project_id = {project_id:String} AND trace_id IN {ids:Array(String)}
      GROUP BY trace_id`,
    params: { ids },
  })
  const byId = new Map(details.map((row) => [row.trace_id, row]))
  const rows = ids.map((id) => byId.get(id)).filter((row): row is TraceListRow => row !== undefined)
  const last = rows[rows.length - 1]
  return { rows, next_cursor: hasMore && last ? encodeCursor(last.start_ns, last.trace_id) : null, from, to }
}

export const MAX_TRACE_SPANS = 20_000

export async function getTraceSpans(projectId: string, traceId: string, limit = MAX_TRACE_SPANS): Promise<{ spans: SpanRecord[]; truncated: boolean }> {
  const rows = await queryClickhouse<SpanRecord>({
    tag: 'traces.get',
    projectId,
    query: `SELECT ${SPAN_COLUMNS}
      FROM spans
      WHERE project_id = {project_id:String} AND trace_id = {trace_id:String}
      ORDER BY start_time, span_id
      LIMIT 1 BY span_id
      LIMIT {limit:UInt32}`,
    params: { trace_id: traceId, limit: limit + 1 },
  })
  return { spans: rows.slice(0, limit), truncated: rows.length > limit }
}
