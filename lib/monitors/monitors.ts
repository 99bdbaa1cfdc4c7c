// Monitors of a project (POST/GET/PATCH/DELETE /api/v1/monitors and the Alerts page): their
// input, validated once here for the API and the page alike, their storage in Postgres, and
// their JSON shape. Each webhook channel gets a secret that signs its deliveries; it is shown
// once, in the answer that created the monitor or rotated the secret, and never again.
import { randomBytes, randomUUID } from 'node:crypto'
import { and, desc, eq, inArray, sql } from 'drizzle-orm'
import { z } from 'zod'
import { postgres } from '@/db/postgres/client'
import { incidents, monitorDeliveries, monitors, savedViews, type Monitor, type MonitorChannel } from '@/db/postgres/schema'
import { env } from '@/lib/config/env'
import { MONITOR_TYPES, parseParams, type MonitorType } from './monitor-types'
import { revokeIncidentEvidence } from './incidents'

const channelSchema = z
  .object({
    type: z.literal('webhook', { message: 'must be "webhook"' }).default('webhook'),
    url: z
      .string({ message: 'must be an http(s) URL' })
      .max(2000, 'must be at most 2000 characters')
      .refine((value) => {
        try {
          return ['http:', 'https:'].includes(new URL(value).protocol)
        } catch {
          return false
        }
      }, 'must be an http:// or https:// URL'),
    format: z.enum(['json', 'slack'], { message: 'must be "json" or "slack"' }).default('json'),
  })
  .strict()

/** The fields of a monitor as the API takes them (the backtest takes type and params from here too). */
export const monitorFields = {
  name: z.string({ message: 'must be a string' }).trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  type: z.enum(MONITOR_TYPES, { message: `must be one of ${MONITOR_TYPES.join(', ')}` }),
  params: z.record(z.string(), z.unknown(), { message: 'must be an object' }),
  channels: z.array(channelSchema).max(10, 'at most 10 channels'),
  enabled: z.boolean({ message: 'must be true or false' }),
  muted: z.boolean({ message: 'must be true or false' }),
  evaluate_every_s: z.number({ message: 'must be a number of seconds' }).int('must be a whole number of seconds').max(86_400, 'must be at most 86400 (a day)'),
}

export const newMonitorSchema = z
  .object({
    ...monitorFields,
    params: monitorFields.params.default({}),
    channels: monitorFields.channels.default([]),
    enabled: monitorFields.enabled.default(true),
    muted: monitorFields.muted.default(false),
    evaluate_every_s: monitorFields.evaluate_every_s.optional(),
  })
  .strict()

export const monitorUpdateSchema = z
  .object({
    name: monitorFields.name.optional(),
    params: monitorFields.params.optional(),
    channels: monitorFields.channels.optional(),
    enabled: monitorFields.enabled.optional(),
    muted: monitorFields.muted.optional(),
    evaluate_every_s: monitorFields.evaluate_every_s.optional(),
    /** New secrets for every channel, returned in this answer only. */
    rotate_secrets: z.literal(true, { message: 'must be true when given' }).optional(),
  })
  .strict()

/** A problem with a monitor's input, worded for a 400 answer. */
export class MonitorInputError extends Error {}

function checkParams(type: MonitorType, params: unknown): Record<string, unknown> {
  const parsed = parseParams(type, params)
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `params${issue.path.length ? '.' + issue.path.join('.') : ''}: ${issue.message}`)
    throw new MonitorInputError(`invalid params for a ${type} monitor: ${issues.join('; ')}`)
  }
  return parsed.data
}

function checkInterval(seconds: number | undefined): number {
  const floor = env().FLIGHTLINE_MONITOR_INTERVAL_S
  if (seconds === undefined) return floor
  if (seconds < floor) throw new MonitorInputError(`evaluate_every_s: must be at least ${floor} (this instance's FLIGHTLINE_MONITOR_INTERVAL_S)`)
  return seconds
}

const newSecret = () => `whsec_${randomBytes(32).toString('base64url')}`

export async function createMonitor(projectId: string, input: z.output<typeof newMonitorSchema>, createdBy?: string): Promise<Monitor> {
  const params = checkParams(input.type, input.params)
  const [monitor] = await postgres()
    .insert(monitors)
    .values({
      id: randomUUID(),
      projectId,
      name: input.name,
      type: input.type,
      params,
      channels: input.channels.map((channel) => ({ ...channel, secret: newSecret() })),
      enabled: input.enabled,
      muted: input.muted,
      evaluateEverySeconds: checkInterval(input.evaluate_every_s),
      // Set here, at millisecond precision, because the evaluator claims a monitor by comparing
      // this value as it read it (a server's now() has microseconds a JS Date drops).
      nextEvaluationAt: new Date(),
      createdBy,
    })
    .returning()
  return monitor
}

const validId = (id: string) => z.uuid().safeParse(id).success

export async function getMonitor(projectId: string, id: string): Promise<Monitor | undefined> {
  if (!validId(id)) return undefined
  const [monitor] = await postgres()
    .select()
    .from(monitors)
    .where(and(eq(monitors.projectId, projectId), eq(monitors.id, id)))
    .limit(1)
  return monitor
}

export async function listMonitors(projectId: string): Promise<Monitor[]> {
  return postgres().select().from(monitors).where(eq(monitors.projectId, projectId)).orderBy(desc(monitors.createdAt))
}

/** Applies a change; channels that keep their URL and format keep their secret unless rotated. */
export async function updateMonitor(projectId: string, id: string, change: z.output<typeof monitorUpdateSchema>): Promise<{ monitor: Monitor; newSecrets: boolean } | undefined> {
  const current = await getMonitor(projectId, id)
  if (!current) return undefined
  const set: Partial<typeof monitors.$inferInsert> = { updatedAt: new Date() }
  if (change.name !== undefined) set.name = change.name
  if (change.params !== undefined) set.params = checkParams(current.type as MonitorType, change.params)
  if (change.enabled !== undefined) set.enabled = change.enabled
  if (change.muted !== undefined) set.muted = change.muted
  if (change.evaluate_every_s !== undefined) set.evaluateEverySeconds = checkInterval(change.evaluate_every_s)
  let newSecrets = false
  if (change.channels !== undefined || change.rotate_secrets) {
    const requested = change.channels ?? current.channels.map(({ secret: _secret, ...channel }) => channel)
    set.channels = requested.map((channel): MonitorChannel => {
      const kept = current.channels.find((old) => old.url === channel.url && old.format === channel.format)
      if (kept && !change.rotate_secrets) return { ...channel, secret: kept.secret }
      newSecrets = true
      return { ...channel, secret: newSecret() }
    })
  }
  // A changed definition is judged afresh right away.
  if (set.params || set.enabled) set.nextEvaluationAt = new Date()
  const [monitor] = await postgres()
    .update(monitors)
    .set(set)
    .where(and(eq(monitors.projectId, projectId), eq(monitors.id, id)))
    .returning()
  return monitor ? { monitor, newSecrets } : undefined
}

/** Deletes a monitor with its incidents, revoking their evidence links. */
export async function deleteMonitor(projectId: string, id: string): Promise<boolean> {
  const monitor = await getMonitor(projectId, id)
  if (!monitor) return false
  const owned = await postgres().select().from(incidents).where(eq(incidents.monitorId, id))
  for (const incident of owned) await revokeIncidentEvidence(incident)
  await postgres()
    .delete(monitors)
    .where(and(eq(monitors.projectId, projectId), eq(monitors.id, id)))
  // The saved views made as the incidents' evidence go with them (deleteIncident does the same).
  const views = owned.map((incident) => incident.viewId).filter((view): view is string => Boolean(view))
  if (views.length > 0) await postgres().delete(savedViews).where(and(eq(savedViews.projectId, projectId), inArray(savedViews.id, views)))
  return true
}

export interface DeliveryHealth {
  pending: number
  failed: number
  /** The most recent attempt that failed (a channel answering an error or unreachable). */
  last_failure: { at: string; event: string; url: string; attempts: number; error: string; gave_up: boolean } | null
}

/** Per monitor: deliveries waiting, those that ran out of attempts, and the latest failure. */
export async function deliveryHealth(monitorList: readonly Monitor[]): Promise<Map<string, DeliveryHealth>> {
  const result = new Map<string, DeliveryHealth>()
  if (monitorList.length === 0) return result
  const ids = monitorList.map((m) => m.id)
  const counts = await postgres()
    .select({ monitorId: monitorDeliveries.monitorId, status: monitorDeliveries.status, n: sql<number>`count(*)::int` })
    .from(monitorDeliveries)
    .where(inArray(monitorDeliveries.monitorId, ids))
    .groupBy(monitorDeliveries.monitorId, monitorDeliveries.status)
  const failures = await postgres()
    .selectDistinctOn([monitorDeliveries.monitorId])
    .from(monitorDeliveries)
    .where(and(inArray(monitorDeliveries.monitorId, ids), sql`${monitorDeliveries.lastError} IS NOT NULL`))
    .orderBy(monitorDeliveries.monitorId, desc(monitorDeliveries.lastAttemptAt))
  for (const monitor of monitorList) {
    const of = (status: string) => counts.find((c) => c.monitorId === monitor.id && c.status === status)?.n ?? 0
    const failure = failures.find((f) => f.monitorId === monitor.id)
    result.set(monitor.id, {
      pending: of('pending'),
      failed: of('failed'),
      last_failure: failure
        ? {
            at: (failure.lastAttemptAt ?? failure.createdAt).toISOString(),
            event: failure.event,
            url: monitor.channels[failure.channelIndex]?.url ?? '',
            attempts: failure.attempts,
            error: failure.lastError ?? '',
            gave_up: failure.status === 'failed',
          }
        : null,
    })
  }
  return result
}

export async function openIncidentIds(monitorList: readonly Monitor[]): Promise<Map<string, string>> {
  if (monitorList.length === 0) return new Map()
  const rows = await postgres()
    .select({ id: incidents.id, monitorId: incidents.monitorId })
    .from(incidents)
    .where(and(inArray(incidents.monitorId, monitorList.map((m) => m.id)), eq(incidents.status, 'open')))
  return new Map(rows.map((row) => [row.monitorId, row.id]))
}

/** The monitor's JSON; `withSecrets` only in the answer that created or rotated them. */
export function apiMonitor(monitor: Monitor, extra: { deliveries?: DeliveryHealth; openIncident?: string | null; withSecrets?: boolean } = {}) {
  return {
    id: monitor.id,
    name: monitor.name,
    type: monitor.type,
    params: monitor.params,
    channels: monitor.channels.map(({ secret, ...channel }) => (extra.withSecrets ? { ...channel, secret } : channel)),
    enabled: monitor.enabled,
    muted: monitor.muted,
    evaluate_every_s: monitor.evaluateEverySeconds,
    state: monitor.state,
    last_evaluated_at: monitor.lastEvaluatedAt?.toISOString() ?? null,
    last_value: monitor.lastValue,
    last_error: monitor.lastError,
    evaluations: monitor.evaluations,
    open_incident_id: extra.openIncident ?? null,
    deliveries: extra.deliveries ?? { pending: 0, failed: 0, last_failure: null },
    created_at: monitor.createdAt.toISOString(),
    updated_at: monitor.updatedAt.toISOString(),
  }
}

export type ApiMonitor = ReturnType<typeof apiMonitor>

/** Monitors of a project as JSON, with their delivery health and open incident. */
export async function apiMonitors(monitorList: readonly Monitor[]): Promise<ApiMonitor[]> {
  const [health, open] = await Promise.all([deliveryHealth(monitorList), openIncidentIds(monitorList)])
  return monitorList.map((monitor) => apiMonitor(monitor, { deliveries: health.get(monitor.id), openIncident: open.get(monitor.id) }))
}
