// Notifications of monitors: the webhook body (JSON, or Slack's incoming-webhook shape), its
// signature, and their delivery. The evaluator only queues a delivery row (an outbox in Postgres);
// a worker of its own posts it, retrying with backoff, so a slow or failing receiver never holds
// up evaluation, and every failure is kept on the delivery for the monitor to show.
//
// Signature: `X-Flightline-Signature: sha256=<hex HMAC-SHA256 of the raw body, keyed with the
// channel's secret>`; `X-Flightline-Event` names the event. Deliveries to one channel of one
// monitor go out in the order they were queued (a resolve never overtakes its open).
import { createHmac, randomUUID } from 'node:crypto'
import { and, asc, eq, inArray, lte } from 'drizzle-orm'
import { postgres } from '@/db/postgres/client'
import { monitorDeliveries, monitors, type Incident, type Monitor, type MonitorChannel } from '@/db/postgres/schema'
import { PeriodicTask } from '@/lib/runtime/periodic-task'
import { apiIncident } from './incidents'
import { metrics } from '@/lib/observability/metrics'

export type NotificationEvent = 'incident.opened' | 'incident.resolved' | 'monitor.test'

/** Attempts per delivery, and the wait before attempt n+1: 2 s, 4 s, 8 s, ... capped at 10 min. */
export const MAX_ATTEMPTS = 8
export function backoffMs(attempts: number): number {
  return Math.min(2000 * 2 ** (attempts - 1), 10 * 60_000)
}
const ATTEMPT_TIMEOUT_MS = 10_000

export interface WebhookBody {
  event: NotificationEvent
  monitor: { id: string; name: string; type: string }
  incident: ReturnType<typeof apiIncident> | null
}

export function webhookBody(event: NotificationEvent, monitor: Pick<Monitor, 'id' | 'name' | 'type'>, incident: Incident | null): WebhookBody {
  return { event, monitor: { id: monitor.id, name: monitor.name, type: monitor.type }, incident: incident ? apiIncident(incident) : null }
}

/** The same facts in Slack's incoming-webhook shape: text (the fallback) plus blocks. */
export function slackBody(body: WebhookBody): { text: string; blocks: unknown[] } {
  const incident = body.incident
  const headline =
    body.event === 'monitor.test'
      ? `Test notification from monitor "${body.monitor.name}" (${body.monitor.type})`
      : `${body.event === 'incident.opened' ? ':rotating_light: Incident opened' : ':white_check_mark: Incident resolved'}: ${body.monitor.name}`
  const text = incident ? `${headline} - ${incident.summary}` : headline
  const facts: string[] = []
  if (incident) {
    facts.push(`*Started:* ${incident.started_at}`)
    if (incident.resolved_at) facts.push(`*Resolved:* ${incident.resolved_at}`)
    const suspect = [incident.suspect.tenant && `tenant ${incident.suspect.tenant}`, incident.suspect.component && `${incident.suspect.component_kind ?? 'component'} ${incident.suspect.component}`, incident.suspect.trace && `trace ${incident.suspect.trace}`].filter(Boolean)
    if (suspect.length) facts.push(`*Suspect:* ${suspect.join(', ')}`)
    if (incident.value !== null) facts.push(`*Value:* ${incident.value}${incident.threshold !== null ? ` (threshold ${incident.threshold})` : ''}`)
  }
  const blocks: unknown[] = [{ type: 'section', text: { type: 'mrkdwn', text: incident ? `*${headline}*\n${incident.summary}` : `*${headline}*` } }]
  if (facts.length) blocks.push({ type: 'section', fields: facts.map((fact) => ({ type: 'mrkdwn', text: fact })) })
  if (incident?.url) blocks.push({ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open the evidence' }, url: incident.url }] })
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `Flightline monitor ${body.monitor.id}` }] })
  return { text, blocks }
}

export function signature(secret: string, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`
}

/** Queues one delivery per channel; returns their ids. Nothing is sent from here. */
export async function queueNotification(monitor: Monitor, event: NotificationEvent, incident: Incident | null): Promise<string[]> {
  if (monitor.channels.length === 0) return []
  const body = webhookBody(event, monitor, incident)
  const rows = monitor.channels.map((channel, channelIndex) => ({
    id: randomUUID(),
    monitorId: monitor.id,
    incidentId: incident?.id ?? null,
    channelIndex,
    event,
    body: JSON.stringify(channel.format === 'slack' ? slackBody(body) : body),
  }))
  await postgres().insert(monitorDeliveries).values(rows)
  return rows.map((row) => row.id)
}

type Delivery = typeof monitorDeliveries.$inferSelect

/** One attempt; returns undefined when delivered, else what went wrong. */
async function attempt(delivery: Delivery, channel: MonitorChannel): Promise<string | undefined> {
  try {
    const response = await fetch(channel.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'Flightline-Webhook/1',
        'X-Flightline-Event': delivery.event,
        'X-Flightline-Signature': signature(channel.secret, delivery.body),
        'X-Flightline-Delivery': delivery.id,
      },
      body: delivery.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
    })
    const text = await response.text().catch(() => '')
    if (response.status >= 200 && response.status < 300) return undefined
    return `HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`
  } catch (error) {
    const cause = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error)
    return /timeout|aborted/i.test(cause) ? `no answer within ${ATTEMPT_TIMEOUT_MS / 1000} s` : cause
  }
}

async function record(delivery: Delivery, failure: string | undefined, now: Date): Promise<void> {
  const attempts = delivery.attempts + 1
  if (failure === undefined) {
    metrics().webhookDeliveries.inc({ outcome: 'delivered' })
    await postgres().update(monitorDeliveries).set({ status: 'delivered', attempts, lastAttemptAt: now }).where(eq(monitorDeliveries.id, delivery.id))
    return
  }
  const gaveUp = attempts >= MAX_ATTEMPTS
  metrics().webhookDeliveries.inc({ outcome: gaveUp ? 'failed' : 'retried' })
  console.warn(`[flightline] webhook delivery ${delivery.id} (${delivery.event}) attempt ${attempts} failed: ${failure}${gaveUp ? '; giving up' : ''}`)
  await postgres()
    .update(monitorDeliveries)
    .set({ status: gaveUp ? 'failed' : 'pending', attempts, lastError: failure, lastAttemptAt: now, nextAttemptAt: new Date(now.getTime() + backoffMs(attempts)) })
    .where(eq(monitorDeliveries.id, delivery.id))
}

/**
 * Takes a delivery for one attempt: counts the attempt and leases the row past the attempt's
 * timeout, only if no one else took it since it was read (a test sent at once from the Alerts page
 * and the worker's pass can both see it pending). A process that dies mid-attempt leaves the lease
 * to expire, and the delivery is tried again.
 */
async function claim(delivery: Delivery, now: Date): Promise<boolean> {
  const taken = await postgres()
    .update(monitorDeliveries)
    .set({ attempts: delivery.attempts + 1, nextAttemptAt: new Date(now.getTime() + ATTEMPT_TIMEOUT_MS + 5_000) })
    .where(and(eq(monitorDeliveries.id, delivery.id), eq(monitorDeliveries.status, 'pending'), eq(monitorDeliveries.attempts, delivery.attempts)))
    .returning({ id: monitorDeliveries.id })
  return taken.length > 0
}

/** Sends what is due. Tests of a channel go out at once; incident events in order per channel. */
export async function deliverDue(now = new Date()): Promise<number> {
  const pending = await postgres().select().from(monitorDeliveries).where(eq(monitorDeliveries.status, 'pending')).orderBy(asc(monitorDeliveries.createdAt)).limit(200)
  if (pending.length === 0) return 0
  const owners = await postgres()
    .select()
    .from(monitors)
    .where(inArray(monitors.id, [...new Set(pending.map((d) => d.monitorId))]))
  const monitorOf = new Map(owners.map((m) => [m.id, m]))
  const blocked = new Set<string>()
  const due: Array<{ delivery: Delivery; channel: MonitorChannel }> = []
  for (const delivery of pending) {
    const key = delivery.event === 'monitor.test' ? delivery.id : `${delivery.monitorId}/${delivery.channelIndex}`
    if (blocked.has(key)) continue
    blocked.add(key)
    const channel = monitorOf.get(delivery.monitorId)?.channels[delivery.channelIndex]
    if (!channel) {
      await postgres().update(monitorDeliveries).set({ status: 'failed', lastError: 'the channel was removed from the monitor' }).where(eq(monitorDeliveries.id, delivery.id))
      continue
    }
    if (delivery.nextAttemptAt.getTime() <= now.getTime()) due.push({ delivery, channel })
  }
  let sent = 0
  await Promise.all(
    due.map(async ({ delivery, channel }) => {
      if (!(await claim(delivery, now))) return
      sent++
      await record(delivery, await attempt(delivery, channel), new Date())
    }),
  )
  return sent
}

/** Sends one queued delivery now (a test from the Alerts page), without waiting for the worker. */
export async function deliverNow(ids: string[]): Promise<Array<{ id: string; delivered: boolean; error: string | null }>> {
  if (ids.length === 0) return []
  const rows = await postgres()
    .select({ delivery: monitorDeliveries, monitor: monitors })
    .from(monitorDeliveries)
    .innerJoin(monitors, eq(monitors.id, monitorDeliveries.monitorId))
    .where(and(inArray(monitorDeliveries.id, ids), eq(monitorDeliveries.status, 'pending'), lte(monitorDeliveries.attempts, 0)))
  return Promise.all(
    rows.map(async ({ delivery, monitor }) => {
      if (!(await claim(delivery, new Date()))) return { id: delivery.id, delivered: false, error: 'already being sent' }
      const failure = await attempt(delivery, monitor.channels[delivery.channelIndex])
      await record(delivery, failure, new Date())
      return { id: delivery.id, delivered: failure === undefined, error: failure ?? null }
    }),
  )
}

/** Polls the outbox every second (one cheap Postgres read when nothing is waiting). */
let notifier: PeriodicTask | undefined

export function startNotifier(): void {
  notifier ??= new PeriodicTask('webhook delivery', 1000, async () => {
    await deliverDue()
    return false
  })
  notifier.start()
}

export async function stopNotifier(): Promise<void> {
  await notifier?.stop()
}
