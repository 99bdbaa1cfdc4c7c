// Writes Langfuse observations (and traces) to spans once they settled: no new create/update for
// FLIGHTLINE_UPDATE_SETTLE_SECONDS and an end time known (traces and events count as ended), or
// FLIGHTLINE_UPDATE_MAX_WAIT_SECONDS since the last part. The merged observation goes through
// validateSpans/storeSpans like any span (one row, counted once by every view), then a 'promoted'
// part records which parts it was built from; later updates stay parts and the trace view merges
// them (lib/traces/merged-spans.ts). Off the request path, restart-safe (the state is in
// ClickHouse). With replicas, run it in one process (FLIGHTLINE_PART_PROMOTER=0 elsewhere).
import { env } from '@/lib/config/env'
import { findSettledObservations, getTraceParts, type SettledObservation } from '@/db/clickhouse/queries/span-parts'
import { storeParts, storeSpans, validateSpans } from './ingest'
import { foldUpdates, PROMOTED_THROUGH, type SpanPart, type StoredPart } from './span-parts'

const BATCH = 2000

function maxTime(a: unknown, b: unknown): unknown {
  if (a === undefined) return b
  if (b === undefined) return a
  const x = String(a)
  const y = String(b)
  return x.length > y.length || (x.length === y.length && x > y) ? a : b
}

/** The native span of one settled observation (or trace root) of a trace. */
export function promotedSpan(traceId: string, spanId: string, parts: readonly StoredPart[]): Record<string, unknown> {
  const own = parts.filter((part) => part.span_id === spanId && part.source === 'langfuse')
  const root = spanId === traceId ? undefined : foldUpdates(parts.filter((part) => part.span_id === traceId && part.source === 'langfuse'))
  const span = foldUpdates(own, { trace_id: traceId, span_id: spanId, start_time: own[0]?.time_ns })
  span.name ??= spanId === traceId ? 'trace' : 'observation'
  if (spanId === traceId) {
    // A trace has no end of its own: it lasts as long as its observations known so far.
    let end = span.end_time ?? span.start_time
    for (const part of parts) {
      if (part.source !== 'langfuse' || part.span_id === traceId) continue
      const fields = JSON.parse(part.fields) as Record<string, unknown>
      end = maxTime(maxTime(end, fields.end_time), fields.start_time)
    }
    span.end_time = end
  } else if (root) {
    // The trace's user, session, tenant and tags belong to each of its observations.
    for (const key of ['user_id', 'session_id', 'tenant_id']) if (span[key] === undefined && root[key] !== undefined) span[key] = root[key]
  }
  return span
}

/** The 'promoted' mark of one span: it names the newest part the spans row was built from. */
function promotedMark(traceId: string, spanId: string, parts: readonly StoredPart[]): SpanPart {
  let through = ''
  let first: string | undefined
  for (const part of parts) {
    if (part.span_id !== spanId) continue
    first ??= part.time_ns
    if (part.source === 'langfuse' && part.ingested_at > through) through = part.ingested_at
  }
  return {
    source: 'promoted',
    part_id: `${PROMOTED_THROUGH}${through}`,
    time: BigInt(first ?? String(BigInt(Date.now()) * 1_000_000n)),
    fields: { trace_id: traceId, span_id: spanId },
  }
}

/** Promotes one pass of settled observations, one write per project; returns how many were found. */
export async function promoteSettled(settled: readonly SettledObservation[]): Promise<number> {
  const byProject = new Map<string, Map<string, string[]>>()
  for (const item of settled) {
    const traces = byProject.get(item.project_id) ?? new Map<string, string[]>()
    byProject.set(item.project_id, traces)
    const spans = traces.get(item.trace_id)
    if (spans) spans.push(item.span_id)
    else traces.set(item.trace_id, [item.span_id])
  }
  for (const [projectId, traces] of byProject) {
    const spans: Record<string, unknown>[] = []
    const marks: SpanPart[] = []
    for (const [traceId, spanIds] of traces) {
      const parts = await getTraceParts(projectId, traceId)
      for (const spanId of spanIds) {
        spans.push(promotedSpan(traceId, spanId, parts))
        marks.push(promotedMark(traceId, spanId, parts))
      }
    }
    const { spans: valid, rejected } = await validateSpans(spans)
    const refused = await storeSpans(projectId, valid)
    for (const r of [...rejected, ...refused]) console.warn(`[flightline] Langfuse observation ${String(spans[r.index].span_id)} of trace ${String(spans[r.index].trace_id)} not written to spans: ${r.error}`)
    // Marked after the rows are stored: updates after a mark are merged when the trace is read.
    const unmarked = await storeParts(projectId, marks)
    for (const r of unmarked) console.warn(`[flightline] could not mark a Langfuse observation as written (it will be written again and kept once): ${r.error}`)
  }
  return settled.length
}

interface PromoterState {
  stopped: boolean
  wake?: () => void
  done: Promise<void>
}

const GLOBAL_KEY = Symbol.for('flightline.part-promoter')
const slot = globalThis as Record<symbol, PromoterState | undefined>

/** Waits `ms`, or less when the promoter is stopped meanwhile. */
function pause(state: PromoterState, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms)
    timer.unref()
    state.wake = () => {
      clearTimeout(timer)
      resolve()
    }
  })
}

async function run(state: PromoterState, settleSeconds: number, maxWaitSeconds: number): Promise<void> {
  const intervalMs = Math.min(1000, Math.max(100, settleSeconds * 500))
  while (!state.stopped) {
    try {
      const found = await promoteSettled(await findSettledObservations(settleSeconds, maxWaitSeconds, BATCH))
      if (found < BATCH) await pause(state, intervalMs)
    } catch (error) {
      console.error('[flightline] promoting Langfuse observations failed (retrying):', error)
      await pause(state, intervalMs * 5)
    }
  }
}

/** Starts the process's promoter once (safe under dev hot reload). */
export function startPartPromoter(): void {
  if (slot[GLOBAL_KEY] && !slot[GLOBAL_KEY].stopped) return
  const config = env()
  const state: PromoterState = { stopped: false, done: Promise.resolve() }
  state.done = run(state, config.FLIGHTLINE_UPDATE_SETTLE_SECONDS, config.FLIGHTLINE_UPDATE_MAX_WAIT_SECONDS)
  slot[GLOBAL_KEY] = state
}

export async function stopPartPromoter(): Promise<void> {
  const state = slot[GLOBAL_KEY]
  if (!state) return
  state.stopped = true
  state.wake?.()
  await state.done
}

/** Stops the promoter after its running pass (backups); the returned function starts it again. */
export async function pausePartPromoter(): Promise<() => void> {
  const state = slot[GLOBAL_KEY]
  if (!state || state.stopped) return () => {}
  await stopPartPromoter()
  return () => startPartPromoter()
}
