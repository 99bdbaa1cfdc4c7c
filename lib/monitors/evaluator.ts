// The monitor evaluator: runs in the server process (one per deployment, like the cycle indexer;
// FLIGHTLINE_MONITOR_EVALUATOR=0 on the others), off the ingest path. Each pass claims the
// enabled monitors that are due, one at a time, evaluates each over its latest window and moves
// its incident on:
//   firing, no incident           opens one and queues `incident.opened`;
//   firing, incident open         updates its summary and value, sends nothing;
//   firing, resolved within the   reopens the same incident and queues `incident.opened` again
//     cool-down                   (same id, so a receiver can fold it into the first page);
//   clear, incident open          after RESOLVE_AFTER_CLEAR clear evaluations in a row resolves
//                                 it and queues `incident.resolved`.
// A monitor whose query fails is marked broken with the error (its incident is left as it was).
// Claiming is a conditional update of next_evaluation_at, so two evaluators never run one
// monitor's evaluation twice.
import { and, asc, eq, lte } from 'drizzle-orm'
import { postgres } from '@/db/postgres/client'
import { monitors, type Monitor } from '@/db/postgres/schema'
import { PeriodicTask } from '@/lib/runtime/periodic-task'
import { evaluateMonitor, MONITOR_TYPES, type Finding, type MonitorType } from './monitor-types'
import { currentIncident, openIncident, refreshIncident, resolveIncident } from './incidents'
import { queueNotification } from './notifications'
import { metrics } from '@/lib/observability/metrics'

/** Clear evaluations in a row before an open incident resolves. */
export const RESOLVE_AFTER_CLEAR = 2
/** A re-fire within this time after a resolve reopens the same incident. */
export const REOPEN_COOL_DOWN_MS = 15 * 60_000
/** Monitors evaluated per pass at most (the rest wait for the next pass). */
const MONITORS_PER_PASS = 100

export interface EvaluationOutcome {
  monitor: Monitor
  finding?: Finding
  error?: string
  event?: 'incident.opened' | 'incident.resolved'
}

/** Evaluates one monitor now and records the outcome (incident, notification, monitor state). */
export async function evaluateAndRecord(monitor: Monitor, now = new Date()): Promise<EvaluationOutcome> {
  let finding: Finding
  const kind = (MONITOR_TYPES as readonly string[]).includes(monitor.type) ? monitor.type : 'unknown'
  const timer = metrics().monitorEvaluationDuration.startTimer({ monitor_kind: kind })
  try {
    if (kind === 'unknown') throw new Error(`unknown monitor type ${monitor.type}`)
    finding = await evaluateMonitor(monitor.type as MonitorType, monitor.projectId, monitor.params, now)
    timer()
  } catch (error) {
    timer()
    metrics().monitorEvaluationFailures.inc({ monitor_kind: kind })
    const message = error instanceof Error ? error.message : String(error)
    console.error(`[flightline] monitor ${monitor.id} (${monitor.type}) could not be evaluated:`, message)
    const [updated] = await postgres()
      .update(monitors)
      .set({ state: 'broken', lastError: message.slice(0, 2000), lastEvaluatedAt: now, evaluations: monitor.evaluations + 1 })
      .where(eq(monitors.id, monitor.id))
      .returning()
    return { monitor: updated ?? monitor, error: message }
  }

  const incident = await currentIncident(monitor.id, new Date(now.getTime() - REOPEN_COOL_DOWN_MS))
  let clearStreak = 0
  let event: EvaluationOutcome['event']
  let open = false
  if (finding.firing) {
    open = true
    if (!incident) {
      const opened = await openIncident(monitor, finding, now)
      event = 'incident.opened'
      if (!monitor.muted) await queueNotification(monitor, event, opened)
    } else {
      const updated = await refreshIncident(incident, finding, now)
      if (incident.status === 'resolved') {
        event = 'incident.opened'
        if (!monitor.muted) await queueNotification(monitor, event, updated)
      }
    }
  } else if (incident?.status === 'open') {
    clearStreak = monitor.clearStreak + 1
    open = true
    if (clearStreak >= RESOLVE_AFTER_CLEAR) {
      const resolved = await resolveIncident(incident, now)
      event = 'incident.resolved'
      if (!monitor.muted) await queueNotification(monitor, event, resolved)
      clearStreak = 0
      open = false
    }
  }
  const [updated] = await postgres()
    .update(monitors)
    .set({
      state: open ? 'firing' : 'ok',
      lastError: null,
      lastEvaluatedAt: now,
      lastValue: finding.value !== null && Number.isFinite(finding.value) ? finding.value : null,
      evaluations: monitor.evaluations + 1,
      clearStreak,
    })
    .where(eq(monitors.id, monitor.id))
    .returning()
  return { monitor: updated ?? monitor, finding, event }
}

/** Claims a due monitor: moves its next evaluation on, unless another evaluator did first. */
async function claim(monitor: Monitor, now: Date): Promise<boolean> {
  const claimed = await postgres()
    .update(monitors)
    .set({ nextEvaluationAt: new Date(now.getTime() + monitor.evaluateEverySeconds * 1000) })
    .where(and(eq(monitors.id, monitor.id), eq(monitors.nextEvaluationAt, monitor.nextEvaluationAt)))
    .returning({ id: monitors.id })
  return claimed.length > 0
}

/** One pass: every due enabled monitor, one after another. Returns how many ran. */
export async function evaluateDue(now = () => new Date()): Promise<number> {
  const due = await postgres()
    .select()
    .from(monitors)
    .where(and(eq(monitors.enabled, true), lte(monitors.nextEvaluationAt, now())))
    .orderBy(asc(monitors.nextEvaluationAt))
    .limit(MONITORS_PER_PASS)
  let ran = 0
  for (const monitor of due) {
    if (stopping) break
    const at = now()
    if (!(await claim(monitor, at))) continue
    const started = performance.now()
    await evaluateAndRecord(monitor, at)
    ran++
    // Off the ingest path in time too: after each evaluation the evaluator rests twice as long as
    // it worked (up to IDLE_AFTER_MS), so it takes at most about a third of one core.
    await new Promise((resolve) => setTimeout(resolve, Math.min(2 * (performance.now() - started), IDLE_AFTER_MS)))
  }
  return ran
}

let evaluator: PeriodicTask | undefined
let stopping = false
const IDLE_AFTER_MS = 5000

/** Starts the evaluator; it looks for due monitors every second (one indexed Postgres read). */
export function startMonitorEvaluator(): void {
  evaluator ??= new PeriodicTask('monitor evaluator', 1000, async () => {
    await evaluateDue()
    return false
  })
  evaluator.start()
}

export async function stopMonitorEvaluator(): Promise<void> {
  stopping = true
  await evaluator?.stop()
}
