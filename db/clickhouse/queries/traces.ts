// Trace reads: the paged, filtered and sorted list of traces in a time range (from the per-trace
// aggregate `trace_stats`, migration 0020), every span of one trace, its outline (spans without
// payloads, for the explorer), and one span in full.
import { z } from 'zod'
import { SPAN_KINDS } from '@/lib/ingest/span-schema'
import { queryTimeParam, relativeRangeMs } from '@/lib/time/range'
import { dateToClickhouse } from '@/lib/time/nanos'
import { queryClickhouse, type QueryParams } from '../query'
import { CALL_COST, MODEL, PRICE_INDEX } from './analytics/model-calls'
import { SPAN_COLUMNS, type SpanRecord } from './spans-select'
import { TRACE_STATS_COLUMNS, traceStatsSelect } from './derived-tables'
import { blocksAfterWatermark } from './rollup-progress'

const isoDate = queryTimeParam.transform((v) => new Date(v))
const flag = z.enum(['true', 'false', '1', '0'], { message: 'must be true or false' }).transform((v) => v === 'true' || v === '1')

export const TRACE_SORTS = ['time', 'duration', 'cost', 'tokens', 'spans', 'errors'] as const
export type TraceSort = (typeof TRACE_SORTS)[number]

export const listTracesInputSchema = z.object({
  /** Relative range such as 24h, used when neither from nor to is given. */
  range: z
    .string()
    .max(16)
    .refine((v) => relativeRangeMs(v) !== undefined, 'must look like 15m, 24h or 7d')
    .optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  tenant_id: z.string().max(256).optional(),
  user_id: z.string().max(256).optional(),
  session_id: z.string().max(256).optional(),
  model: z.string().max(256).optional(),
  /** Traces with at least one span of this kind. */
  kind: z.enum(SPAN_KINDS, { message: `must be one of ${SPAN_KINDS.join(', ')}` }).optional(),
  /** Traces with at least one span of this status. */
  status: z.enum(['ok', 'error', 'unset'], { message: 'must be ok, error or unset' }).optional(),
  errors_only: flag.optional(),
  /** Traces whose aggregated call graph has a cycle (re-entry). */
  has_cycle: flag.optional(),
  /** Case-insensitive text in any span's input, output, status message or name. */
  q: z.string().trim().min(1, 'must not be empty').max(256, 'must be at most 256 characters').optional(),
  /** Traces that cost at least this many USD (reported cost, else the price table's). */
  min_cost: z.coerce.number({ message: 'must be a number of USD' }).min(0, 'must be at least 0').optional(),
  sort: z.enum(TRACE_SORTS, { message: `must be one of ${TRACE_SORTS.join(', ')}` }).default('time'),
  order: z.enum(['asc', 'desc'], { message: 'must be asc or desc' }).default('desc'),
  limit: z.coerce.number().int().min(1).max(500, 'must be at most 500').default(50),
  cursor: z.string().max(512).optional(),
})
export type ListTracesInput = z.input<typeof listTracesInputSchema>
export type ListTracesQuery = z.output<typeof listTracesInputSchema>

export interface TraceListRow {
  trace_id: string
  name: string
  start_ns: string
  end_ns: string
  span_count: string | number
  error_count: string | number
  tenant_ids: string[]
  user_ids: string[]
  session_ids: string[]
  models: string[]
  kind_bits: number
  input_tokens: string | number
  output_tokens: string | number
  cache_read_tokens: string | number
  cost_usd: number
  /** Counted model calls priced from the price table (they reported no cost), and those with no price either. */
  estimated_cost_calls: number
  unpriced_cost_calls: number
  model_call_count: string | number
  service_name: string
  /** The trace's first error (the errored span that ended first, where the failure happened rather than the parents it propagated to): type, message, span name; null without errors. */
  first_error: { type: string; message: string; span_name: string } | null
  cycle: TraceCycleSummary | null
}

/**
 * The price table as query parameters (lib/analytics/costs.ts priceParams): per serving model,
 * USD per token of uncached input, cache read, cache write and output.
 */
export interface PriceParams {
  price_models: string[]
  price_input: number[]
  price_cache_read: number[]
  price_cache_write: number[]
  price_output: number[]
}

export interface TraceCycleSummary {
  cycle_count: number
  reentries: number
  max_depth: number
  top_cycle: string[]
}

export interface TracePage {
  rows: TraceListRow[]
  next_cursor: string | null
  from: Date
  to: Date
  /** How many traces match the filters in the range (all pages). */
  total: number
}

export interface TraceHistogram {
  bucket_seconds: number
  buckets: { t: string; traces: number; errors: number }[]
}

export class InvalidCursorError extends Error {}

// Enum values of spans.kind and spans.status (migrations/clickhouse/0001_spans.sql), which
// trace_stats stores as bit masks.
const KIND_BIT: Record<(typeof SPAN_KINDS)[number], number> = {
  other: 0,
  llm: 1,
  tool: 2,
  retriever: 3,
  reranker: 4,
  embedding: 5,
  guardrail: 6,
  agent: 7,
  chain: 8,
  eval: 9,
}
const STATUS_BIT = { unset: 0, ok: 1, error: 2 } as const

export function kindsFromBits(bits: number): string[] {
  return SPAN_KINDS.filter((kind) => (Number(bits) >> KIND_BIT[kind]) & 1)
}

// The per-trace aggregates, merged over a trace's partial rows. Model-call totals skip wrapper
// calls: a model call that is the direct parent of another model call (the trace view, which has
// the whole tree, also sees wrappers through non-tool spans: lib/traces/model-call-totals.ts).
const AGGREGATES = {
  start: 'min(trace_start)',
  end: 'max(trace_end)',
  span_count: 'sum(span_count)',
  error_count: 'sum(error_count)',
}
const LEAF_CALLS = `arrayFilter(c -> NOT has(arrayIntersect(calls.1, calls.2), c.1), groupArrayArray(model_calls) AS calls)`

interface SortSpec {
  expr: string
  type: 'Int64' | 'UInt64' | 'Float64'
  /** Extra SELECT expressions the sort expression needs. */
  needs?: string
}

const SORTS: Record<TraceSort, SortSpec> = {
  time: { expr: 'toUnixTimestamp64Nano(start)', type: 'Int64' },
  duration: { expr: 'toUnixTimestamp64Nano(end) - toUnixTimestamp64Nano(start)', type: 'Int64' },
  spans: { expr: 'span_count', type: 'UInt64' },
  errors: { expr: 'error_count', type: 'UInt64' },
  tokens: { expr: 'arraySum(leaves.3) + arraySum(leaves.4)', type: 'UInt64', needs: `${LEAF_CALLS} AS leaves` },
  // The cost every page shows (reported, else priced): joined from the raw spans (TRACE_COSTS).
  cost: { expr: 'trace_cost', type: 'Float64' },
}

/** Spans of the list's range: the hours trace_stats rows cover (`hour >= hour of from, < to`). */
const SPANS_IN_LIST_RANGE = `project_id = {project_id:String} AND toStartOfHour(start_time) >= toStartOfHour({from:DateTime64(3, 'UTC')}) AND toStartOfHour(start_time) < {to:DateTime64(3, 'UTC')}`


/**
 * Per trace: its cost over the counted model calls (the same leaf rule as LEAF_CALLS), and how
 * many of those calls were estimated (1) or could not be priced (2).
 */
function traceCosts(extraWhere = ''): string {
  return `SELECT trace_id,
      groupUniqArray((cityHash64(span_id), cityHash64(parent_span_id), ifNull(call_cost, 0), toUInt8(multiIf(cost_usd IS NOT NULL, 0, call_cost IS NOT NULL, 1, 2)))) AS cost_calls,
      arrayFilter(c -> NOT has(arrayMap(p -> tupleElement(p, 2), cost_calls), tupleElement(c, 1)), cost_calls) AS cost_leaves,
      round(arraySum(arrayMap(c -> tupleElement(c, 3), cost_leaves)), 9) AS trace_cost,
      arrayCount(c -> tupleElement(c, 4) = 1, cost_leaves) AS estimated_cost_calls,
      arrayCount(c -> tupleElement(c, 4) = 2, cost_leaves) AS unpriced_cost_calls
    FROM (
      SELECT trace_id, span_id, parent_span_id, cost_usd, ${CALL_COST} AS call_cost
      FROM (
        SELECT trace_id, span_id, parent_span_id, cost_usd, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,
          ${PRICE_INDEX} AS price_index
        FROM spans
        WHERE ${SPANS_IN_LIST_RANGE} AND kind = 'llm' ${extraWhere}
      )
    )
    GROUP BY trace_id`
}

interface Cursor {
  sort: TraceSort
  order: 'asc' | 'desc'
  value: string
  trace_id: string
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.sort, cursor.order, cursor.value, cursor.trace_id])).toString('base64url')
}

function decodeCursor(text: string, sort: TraceSort, order: 'asc' | 'desc'): Cursor {
  let value: unknown
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'))
  } catch {
    throw new InvalidCursorError('cursor is not one this API returned')
  }
  // Cursors of the first API version: [start ns, trace id] of a time-descending list.
  if (Array.isArray(value) && value.length === 2) value = ['time', 'desc', ...value]
  if (!Array.isArray(value) || value.length !== 4 || typeof value[2] !== 'string' || typeof value[3] !== 'string') {
    throw new InvalidCursorError('cursor is not one this API returned')
  }
  const [cursorSort, cursorOrder, cursorValue, traceId] = value as [string, string, string, string]
  if (cursorSort !== sort || cursorOrder !== order) {
    throw new InvalidCursorError(`cursor belongs to a list sorted by ${cursorSort} ${cursorOrder}, not ${sort} ${order}: start again without it`)
  }
  const pattern = SORTS[sort].type === 'Float64' ? /^-?\d+(\.\d+)?(e[-+]?\d+)?$/i : /^-?\d{1,20}$/
  if (!pattern.test(cursorValue)) throw new InvalidCursorError('cursor is not one this API returned')
  return { sort, order, value: cursorValue, trace_id: traceId }
}

export function resolveListRange(input: Pick<ListTracesQuery, 'from' | 'to' | 'range'>, now = new Date()): { from: Date; to: Date } {
  const to = input.to ?? now
  const fallbackMs = (input.range && !input.from && !input.to ? relativeRangeMs(input.range) : undefined) ?? 24 * 3600_000
  const from = input.from ?? new Date(to.getTime() - fallbackMs)
  return { from, to }
}

/**
 * trace_stats rows of the hours from {from} to {to}, exact to the last insert: the rollup
 * refresher trails ingest by a few seconds, so the traces that received spans since its
 * watermark ({fresh_traces}, see freshTraces) are aggregated from spans by the very same SELECT.
 */
const TRACE_STATS_SOURCE = `(
    SELECT ${TRACE_STATS_COLUMNS.join(', ')} FROM trace_stats
    WHERE project_id = {project_id:String} AND hour >= toStartOfHour({from:DateTime64(3, 'UTC')}) AND hour < {to:DateTime64(3, 'UTC')}
      AND trace_id NOT IN {fresh_traces:Array(String)}
    UNION ALL
    ${traceStatsSelect(`(SELECT * FROM spans WHERE project_id = {project_id:String} AND trace_id IN {fresh_traces:Array(String)}
      AND start_time >= toStartOfHour({from:DateTime64(3, 'UTC')}) AND toStartOfHour(start_time) < {to:DateTime64(3, 'UTC')})`)}
  )`

const HOUR_MS = 3600_000

/** Traces with spans in the hours of [from, to) ingested after the rollup watermark. */
function freshTraces(projectId: string, from: Date, to: Date): Promise<string[]> {
  return blocksAfterWatermark(projectId, 'trace_id', {
    from: dateToClickhouse(new Date(Math.floor(from.getTime() / HOUR_MS) * HOUR_MS)),
    to: dateToClickhouse(new Date(Math.ceil(to.getTime() / HOUR_MS) * HOUR_MS)),
  })
}

/** The filtered traces of the list (one row per trace), with what sorting and the histogram need. */
async function filteredTraces(projectId: string, input: ListTracesQuery, from: Date, to: Date, prices: PriceParams) {
  const sort = SORTS[input.sort]
  const params: QueryParams = { from: dateToClickhouse(from), to: dateToClickhouse(to), fresh_traces: await freshTraces(projectId, from, to), ...prices }
  const where = [`project_id = {project_id:String}`, `hour >= toStartOfHour({from:DateTime64(3, 'UTC')})`, `hour < {to:DateTime64(3, 'UTC')}`]
  const having = [`start >= {from:DateTime64(3, 'UTC')}`, `start < {to:DateTime64(3, 'UTC')}`]
  const select = [`${AGGREGATES.start} AS start`, `${AGGREGATES.error_count} AS error_count`]
  if (input.sort === 'duration') select.push(`${AGGREGATES.end} AS end`)
  if (input.sort === 'spans') select.push(`${AGGREGATES.span_count} AS span_count`)
  if (sort.needs) select.push(sort.needs)

  const member = (name: string, column: string, value: string | undefined) => {
    if (!value) return
    having.push(`has(groupUniqArrayArray(${column}), {${name}:String})`)
    params[name] = value
  }
  member('tenant_id', 'tenants', input.tenant_id)
  member('user_id', 'users', input.user_id)
  member('session_id', 'sessions', input.session_id)
  member('model', 'model_names', input.model)
  if (input.kind) (having.push(`bitTest(groupBitOr(kinds), {kind_bit:UInt8})`), (params.kind_bit = KIND_BIT[input.kind]))
  if (input.status) (having.push(`bitTest(groupBitOr(statuses), {status_bit:UInt8})`), (params.status_bit = STATUS_BIT[input.status]))
  if (input.errors_only) having.push('error_count > 0')
  if (input.has_cycle) {
    where.push(`trace_id IN (SELECT trace_id FROM trace_cycles WHERE project_id = {project_id:String}
      AND trace_start >= toStartOfHour({from:DateTime64(3, 'UTC')}) AND trace_start < {to:DateTime64(3, 'UTC')} AND cycle_count > 0)`)
  }
  if (input.q) {
    params.q = input.q
    where.push(`trace_id IN (SELECT trace_id FROM spans WHERE project_id = {project_id:String}
      AND start_time >= toStartOfHour({from:DateTime64(3, 'UTC')}) AND start_time < {to:DateTime64(3, 'UTC')}
      AND (positionCaseInsensitiveUTF8(input, {q:String}) > 0 OR positionCaseInsensitiveUTF8(output, {q:String}) > 0
        OR positionCaseInsensitiveUTF8(status_message, {q:String}) > 0 OR positionCaseInsensitiveUTF8(name, {q:String}) > 0))`)
  }
  // Cost comes from the raw spans, joined only when the sort or a filter needs it.
  const needsCost = input.sort === 'cost' || input.min_cost !== undefined
  const outerWhere: string[] = []
  if (input.min_cost !== undefined) {
    params.min_cost = input.min_cost
    outerWhere.push('trace_cost >= {min_cost:Float64}')
  }
  const source = `(SELECT trace_id, ${select.join(', ')}
      FROM ${TRACE_STATS_SOURCE}
      WHERE ${where.join(' AND ')}
      GROUP BY trace_id
      HAVING ${having.join(' AND ')}) AS t
    ${needsCost ? `LEFT JOIN (${traceCosts()}) AS c USING (trace_id)` : ''}`
  return { sort, params, source, outerWhere }
}

export async function listTraces(projectId: string, input: ListTracesQuery, prices: PriceParams): Promise<TracePage> {
  const { from, to } = resolveListRange(input)
  const { sort, params, source, outerWhere } = await filteredTraces(projectId, input, from, to, prices)
  const pageWhere = [...outerWhere]
  const comparison = input.order === 'desc' ? '<' : '>'
  if (input.cursor) {
    const cursor = decodeCursor(input.cursor, input.sort, input.order)
    params.cursor_value = cursor.value
    params.cursor_trace = cursor.trace_id
    pageWhere.push(`(${sort.expr}, trace_id) ${comparison} ({cursor_value:${sort.type}}, {cursor_trace:String})`)
  }
  const direction = input.order === 'desc' ? 'DESC' : 'ASC'

  // Phase 1: the page of trace ids (computing only what the filters and the sort need), and the
  // number of traces that match.
  const [page, [counted]] = await Promise.all([
    queryClickhouse<{ trace_id: string; sort_value: string | number }>({
      tag: 'traces.list.page',
      projectId,
      query: `SELECT trace_id, toString(${sort.expr}) AS sort_value
        FROM ${source}
        ${pageWhere.length > 0 ? `WHERE ${pageWhere.join(' AND ')}` : ''}
        ORDER BY ${sort.expr} ${direction}, trace_id ${direction}
        LIMIT {limit:UInt32}`,
      params: { ...params, limit: input.limit + 1 },
    }),
    queryClickhouse<{ total: string | number }>({
      tag: 'traces.list.count',
      projectId,
      query: `SELECT count() AS total FROM ${source} ${outerWhere.length > 0 ? `WHERE ${outerWhere.join(' AND ')}` : ''}`,
      params,
    }),
  ])
  const total = Number(counted?.total ?? 0)
  const hasMore = page.length > input.limit
  const pageRows = page.slice(0, input.limit)
  if (pageRows.length === 0) return { rows: [], next_cursor: null, from, to, total }

  // Phase 2: everything the list shows, for that page only: the aggregates, the root span, the
  // first error and the cost from the raw spans, and the cycles found in it.
  const ids = pageRows.map((row) => row.trace_id)
  const rangeParams = { ids, from: params.from, to: params.to }
  const [details, facts, costs, cycles] = await Promise.all([
    queryClickhouse<Omit<TraceListRow, 'cycle' | 'cost_usd' | 'estimated_cost_calls' | 'unpriced_cost_calls' | 'service_name' | 'first_error'>>({
      tag: 'traces.list.details',
      projectId,
      query: `SELECT trace_id,
          min(root).3 AS name,
          toString(toUnixTimestamp64Nano(min(trace_start))) AS start_ns,
          toString(toUnixTimestamp64Nano(max(trace_end))) AS end_ns,
          sum(span_count) AS span_count,
          sum(error_count) AS error_count,
          arraySort(groupUniqArrayArray(tenants)) AS tenant_ids,
          arraySort(groupUniqArrayArray(users)) AS user_ids,
          arraySort(groupUniqArrayArray(sessions)) AS session_ids,
          arraySort(groupUniqArrayArray(models)) AS models,
          groupBitOr(kinds) AS kind_bits,
          ${LEAF_CALLS} AS leaves,
          arraySum(leaves.3) AS input_tokens,
          arraySum(leaves.4) AS output_tokens,
          arraySum(leaves.5) AS cache_read_tokens,
          length(leaves) AS model_call_count
        FROM ${TRACE_STATS_SOURCE}
        WHERE trace_id IN {ids:Array(String)}
        GROUP BY trace_id`,
      params: { ...rangeParams, fresh_traces: params.fresh_traces },
    }),
    queryClickhouse<{ trace_id: string; root_service: string; first_error_type: string; first_error_message: string; first_error_span: string; errors: string | number }>({
      tag: 'traces.list.facts',
      projectId,
      query: `SELECT trace_id,
          argMin(toString(service_name), (parent_span_id != '', start_time)) AS root_service,
          countIf(status = 'error') AS errors,
          argMinIf((toString(error_type), status_message, toString(name)), (end_time, start_time), status = 'error') AS first_error,
          tupleElement(first_error, 1) AS first_error_type, tupleElement(first_error, 2) AS first_error_message, tupleElement(first_error, 3) AS first_error_span
        FROM spans
        WHERE ${SPANS_IN_LIST_RANGE} AND trace_id IN {ids:Array(String)}
        GROUP BY trace_id`,
      params: rangeParams,
    }),
    queryClickhouse<{ trace_id: string; trace_cost: number; estimated_cost_calls: string | number; unpriced_cost_calls: string | number }>({
      tag: 'traces.list.costs',
      projectId,
      query: traceCosts('AND trace_id IN {ids:Array(String)}'),
      params: { ...rangeParams, ...prices },
    }),
    readTraceCycles(projectId, ids),
  ])
  const byId = new Map(details.map((row) => [row.trace_id, row]))
  const factsOf = new Map(facts.map((row) => [row.trace_id, row]))
  const costOf = new Map(costs.map((row) => [row.trace_id, row]))
  const rows = ids
    .map((id) => byId.get(id))
    .filter((row) => row !== undefined)
    .map((row): TraceListRow => {
      const fact = factsOf.get(row.trace_id)
      const cost = costOf.get(row.trace_id)
      return {
        ...row,
        cost_usd: Number(cost?.trace_cost ?? 0),
        estimated_cost_calls: Number(cost?.estimated_cost_calls ?? 0),
        unpriced_cost_calls: Number(cost?.unpriced_cost_calls ?? 0),
        service_name: fact?.root_service ?? '',
        first_error: fact && Number(fact.errors) > 0 ? { type: fact.first_error_type, message: fact.first_error_message, span_name: fact.first_error_span } : null,
        cycle: cycles.get(row.trace_id) ?? null,
      }
    })
  const last = pageRows[pageRows.length - 1]
  return {
    rows,
    next_cursor: hasMore ? encodeCursor({ sort: input.sort, order: input.order, value: String(last.sort_value), trace_id: last.trace_id }) : null,
    from,
    to,
    total,
  }
}

/** Whether this trace is in the list (its filters and range), on any page. */
export async function traceInList(projectId: string, input: ListTracesQuery, prices: PriceParams, traceId: string): Promise<boolean> {
  const { from, to } = resolveListRange(input)
  const { params, source, outerWhere } = await filteredTraces(projectId, { ...input, cursor: undefined }, from, to, prices)
  const rows = await queryClickhouse<{ found: number }>({
    tag: 'traces.list.member',
    projectId,
    query: `SELECT 1 AS found FROM ${source} WHERE ${[...outerWhere, 'trace_id = {member_trace_id:String}'].join(' AND ')} LIMIT 1`,
    params: { ...params, member_trace_id: traceId },
  })
  return rows.length > 0
}

/** The trace of the same session (or user) that started last before `before`, within 7 days. */
export async function previousTraceOf(projectId: string, who: { session_id?: string; user_id?: string }, before: Date): Promise<string | undefined> {
  const [column, value] = who.session_id ? ['sessions', who.session_id] : who.user_id ? ['users', who.user_id] : []
  if (!column || !value) return undefined
  const [row] = await queryClickhouse<{ trace_id: string }>({
    tag: 'traces.previous',
    projectId,
    query: `SELECT trace_id FROM trace_stats
      WHERE project_id = {project_id:String} AND hour >= toStartOfHour({from:DateTime64(3, 'UTC')}) AND hour <= {before:DateTime64(3, 'UTC')}
      GROUP BY trace_id
      HAVING has(groupUniqArrayArray(${column}), {who:String}) AND min(trace_start) < {before_exact:DateTime64(9, 'UTC')}
      ORDER BY min(trace_start) DESC
      LIMIT 1`,
    params: { from: dateToClickhouse(new Date(before.getTime() - 7 * 86_400_000)), before: dateToClickhouse(before), before_exact: dateToClickhouse(before), who: value },
  })
  return row?.trace_id
}

/** Bucket lengths of the list's histogram: the smallest that gives at most `maxBuckets`. */
const HISTOGRAM_STEPS = [60, 300, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 604800]

export function histogramBucketSeconds(from: Date, to: Date, maxBuckets = 120): number {
  const seconds = Math.max(1, (to.getTime() - from.getTime()) / 1000)
  return HISTOGRAM_STEPS.find((step) => seconds / step <= maxBuckets) ?? HISTOGRAM_STEPS[HISTOGRAM_STEPS.length - 1]
}

/** Matching traces and traces with errors per time bucket (by trace start), over the list's filters. */
export async function traceHistogram(projectId: string, input: ListTracesQuery, prices: PriceParams): Promise<TraceHistogram> {
  const { from, to } = resolveListRange(input)
  const { params, source, outerWhere } = await filteredTraces(projectId, { ...input, sort: input.sort === 'cost' ? 'cost' : 'time' }, from, to, prices)
  const bucket = histogramBucketSeconds(from, to)
  const rows = await queryClickhouse<{ t: string; traces: string | number; errors: string | number }>({
    tag: 'traces.list.histogram',
    projectId,
    query: `SELECT formatDateTime(toStartOfInterval(start, INTERVAL {bucket:UInt32} SECOND), '%Y-%m-%dT%H:%i:%SZ', 'UTC') AS t,
        count() AS traces, countIf(error_count > 0) AS errors
      FROM ${source}
      ${outerWhere.length > 0 ? `WHERE ${outerWhere.join(' AND ')}` : ''}
      GROUP BY t
      ORDER BY t`,
    params: { ...params, bucket },
  })
  return { bucket_seconds: bucket, buckets: rows.map((row) => ({ t: row.t, traces: Number(row.traces), errors: Number(row.errors) })) }
}

/**
 * Time of the project's newest trace start, or null when it has none: the newest trace the rollup
 * has folded, or a newer one among the spans that started since (the rollup trails ingest by a
 * few seconds, and a project's first spans are not folded yet at all).
 */
export async function latestTraceStart(projectId: string): Promise<Date | null> {
  const [row] = await queryClickhouse<{ latest: string | null }>({
    tag: 'traces.latest',
    projectId,
    query: `WITH (SELECT max(trace_start) FROM trace_stats WHERE project_id = {project_id:String}) AS folded
      SELECT if(count() = 0, NULL, formatDateTime(max(trace_start), '%Y-%m-%dT%H:%i:%SZ', 'UTC')) AS latest
      FROM (SELECT min(start_time) AS trace_start FROM spans
        WHERE project_id = {project_id:String} AND start_time >= folded
        GROUP BY trace_id)`,
  })
  return row?.latest ? new Date(row.latest) : null
}

/** Every model name (requested or resolved) in the list's range, to price the serving models. */
export async function listModelNames(projectId: string, from: Date, to: Date): Promise<string[]> {
  const [row] = await queryClickhouse<{ names: string[] }>({
    tag: 'traces.model-names',
    projectId,
    query: `SELECT groupUniqArrayArray(model_names) AS names FROM ${TRACE_STATS_SOURCE}`,
    params: { from: dateToClickhouse(from), to: dateToClickhouse(to), fresh_traces: await freshTraces(projectId, from, to) },
  })
  return row?.names ?? []
}

/** The newest cycle computation of each of these traces that has a cycle. */
export async function readTraceCycles(projectId: string, traceIds: string[]): Promise<Map<string, TraceCycleSummary>> {
  if (traceIds.length === 0) return new Map()
  const rows = await queryClickhouse<TraceCycleSummary & { trace_id: string }>({
    tag: 'traces.cycles',
    projectId,
    query: `SELECT trace_id,
        argMax(cycle_count, computed_at) AS cycle_count,
        argMax(reentries, computed_at) AS reentries,
        argMax(max_depth, computed_at) AS max_depth,
        argMax(top_cycle, computed_at) AS top_cycle
      FROM trace_cycles
      WHERE project_id = {project_id:String} AND trace_id IN {ids:Array(String)}
      GROUP BY trace_id`,
    params: { ids: traceIds },
  })
  return new Map(
    rows.map((row) => [
      row.trace_id,
      { cycle_count: Number(row.cycle_count), reentries: Number(row.reentries), max_depth: Number(row.max_depth), top_cycle: row.top_cycle },
    ]),
  )
}

/** Whether the project has stored any span at all (to tell a new project from an empty range). */
export async function projectHasSpans(projectId: string): Promise<boolean> {
  const rows = await queryClickhouse<{ found: number }>({
    tag: 'traces.any',
    projectId,
    query: `SELECT 1 AS found FROM spans WHERE project_id = {project_id:String} LIMIT 1`,
  })
  return rows.length > 0
}

export const MAX_TRACE_SPANS = 20_000

/** Spans of one trace in start order, each span once, at most `limit` of them. */
async function readTraceRows<T>(tag: string, projectId: string, traceId: string, columns: string, limit: number): Promise<{ spans: T[]; truncated: boolean }> {
  const rows = await queryClickhouse<T>({
    tag,
    projectId,
    // A span written twice (retried export, a part promoted into it) is read as its latest write.
    query: `SELECT * EXCEPT (_start, _ingested) FROM (
        SELECT ${columns}, spans.start_time AS _start, spans.ingested_at AS _ingested
        FROM spans
        WHERE project_id = {project_id:String} AND trace_id = {trace_id:String}
        ORDER BY span_id, _ingested DESC
        LIMIT 1 BY span_id
      )
      ORDER BY _start, span_id
      LIMIT {limit:UInt32}`,
    params: { trace_id: traceId, limit: limit + 1 },
  })
  return { spans: rows.slice(0, limit), truncated: rows.length > limit }
}

/** Every span of a trace in full, each with its serving model (which prices it). */
export function getTraceSpans(projectId: string, traceId: string, limit = MAX_TRACE_SPANS): Promise<{ spans: (SpanRecord & { serving_model: string })[]; truncated: boolean }> {
  return readTraceRows<SpanRecord & { serving_model: string }>('traces.get', projectId, traceId, `${SPAN_COLUMNS}, ${MODEL} AS serving_model`, limit)
}

/** A span as the explorer's tree, timeline and graph need it: no payloads, attributes or params. */
export interface SpanOutline {
  span_id: string
  parent_span_id: string
  name: string
  kind: string
  start_ns: string
  end_ns: string
  duration_ms: number
  status: 'unset' | 'ok' | 'error'
  tenant_id: string
  user_id: string
  session_id: string
  agent_name: string
  tool_name: string
  model_requested: string
  model_resolved: string
  serving_model: string
  input_tokens: number
  output_tokens: number
  cache_read_tokens: number
  cache_write_tokens: number
  cost_usd: number | null
  retry_attempt: number
  retry_of: string
  schema_valid: boolean | null
  prompt_name: string
  prompt_version: string
  temperature: number | null
  input_truncated: number
  output_truncated: number
}

const OUTLINE_COLUMNS = `span_id, parent_span_id, name, kind,
  toString(toUnixTimestamp64Nano(start_time)) AS start_ns,
  toString(toUnixTimestamp64Nano(end_time)) AS end_ns,
  duration_ms, status, tenant_id, user_id, session_id, agent_name, tool_name, model_requested, model_resolved,
  ${MODEL} AS serving_model, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_usd, retry_attempt, retry_of, schema_valid,
  prompt_name, prompt_version, temperature,
  input_original_bytes > 0 AS input_truncated, output_original_bytes > 0 AS output_truncated`

export function getTraceOutline(projectId: string, traceId: string, limit = MAX_TRACE_SPANS): Promise<{ spans: SpanOutline[]; truncated: boolean }> {
  return readTraceRows<SpanOutline>('traces.outline', projectId, traceId, OUTLINE_COLUMNS, limit)
}

/**
 * One span in full. With `payloadChars`, input and output are cut to that many characters
 * (input_chars / output_chars give their whole length) so a huge payload can load lazily.
 */
export async function getSpan(
  projectId: string,
  traceId: string,
  spanId: string,
  payloadChars?: number,
): Promise<(SpanRecord & { input_chars: number; output_chars: number }) | undefined> {
  const columns = payloadChars
    ? SPAN_COLUMNS.replace(
        'input, output,',
        'substringUTF8(input, 1, {payload_chars:UInt32}) AS input, substringUTF8(output, 1, {payload_chars:UInt32}) AS output,',
      )
    : SPAN_COLUMNS
  const [row] = await queryClickhouse<SpanRecord & { input_chars: number; output_chars: number }>({
    tag: 'traces.span',
    projectId,
    query: `SELECT ${columns}, lengthUTF8(spans.input) AS input_chars, lengthUTF8(spans.output) AS output_chars
      FROM spans
      WHERE project_id = {project_id:String} AND trace_id = {trace_id:String} AND span_id = {span_id:String}
      ORDER BY ingested_at DESC
      LIMIT 1`,
    params: { trace_id: traceId, span_id: spanId, ...(payloadChars ? { payload_chars: payloadChars } : {}) },
  })
  return row
}

export interface TraceFacets {
  tenants: string[]
  models: string[]
}

/** The most frequent tenants and models in a range, to suggest in the list's filters. */
export async function listTraceFacets(projectId: string, from: Date, to: Date): Promise<TraceFacets> {
  const [row] = await queryClickhouse<TraceFacets>({
    tag: 'traces.facets',
    projectId,
    query: `SELECT
        arraySort(topKArray(50)(tenants)) AS tenants,
        arraySort(topKArray(50)(model_names)) AS models
      FROM ${TRACE_STATS_SOURCE}`,
    params: { from: dateToClickhouse(from), to: dateToClickhouse(to), fresh_traces: await freshTraces(projectId, from, to) },
  })
  return row ?? { tenants: [], models: [] }
}
