// Incidents (GET /api/v1/incidents and the Incidents page): what a firing monitor opened, with
// its summary, suspect and evidence link. The evidence link is a share link to a saved view made
// for the incident, pinned to an absolute time range around it (widened to its end when it
// resolves), and revoked with the incident.
import { randomUUID } from 'node:crypto'
import { and, desc, eq, gte, inArray, isNull, or, type SQL } from 'drizzle-orm'
import { postgres } from '@/db/postgres/client'
import { incidents, monitors, savedViews, type Incident, type IncidentSuspect, type Monitor } from '@/db/postgres/schema'
import { env } from '@/lib/config/env'
import { createShareLink, revokeShareLinkById } from '@/lib/views/share-links'
import type { Finding } from './monitor-types'

/** Time shown before an incident's start and after its end in the evidence view. */
export const EVIDENCE_MARGIN_MS = 30 * 60_000

/** The address notifications link to. */
export function publicOrigin(): string {
  const configured = env().FLIGHTLINE_PUBLIC_URL
  return (configured ?? `http://localhost:${process.env.PORT || 3000}`).replace(/\/+$/, '')
}

export function evidencePath(incident: Pick<Incident, 'shareToken'>): string | null {
  return incident.shareToken ? `/s/${incident.shareToken}` : null
}

function evidenceState(finding: Finding, start: Date, end: Date): Record<string, string> {
  return {
    ...finding.evidence.state,
    from: new Date(start.getTime() - EVIDENCE_MARGIN_MS).toISOString(),
    to: new Date(end.getTime() + EVIDENCE_MARGIN_MS).toISOString(),
  }
}

/** Opens an incident for a firing monitor, with its evidence view and share link. */
export async function openIncident(monitor: Monitor, finding: Finding, now: Date): Promise<Incident> {
  const id = randomUUID()
  const startedAt = finding.since.getTime() < now.getTime() ? finding.since : now
  const [view] = await postgres()
    .insert(savedViews)
    .values({
      id: randomUUID(),
      projectId: monitor.projectId,
      name: `Incident: ${monitor.name} (${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC)`,
      path: `/projects/${monitor.projectId}/${finding.evidence.page}`,
      state: evidenceState(finding, startedAt, now),
      createdBy: null,
    })
    .returning()
  const { token, link } = await createShareLink(view, undefined)
  const [incident] = await postgres()
    .insert(incidents)
    .values({
      id,
      projectId: monitor.projectId,
      monitorId: monitor.id,
      status: 'open',
      startedAt,
      lastFiredAt: now,
      summary: finding.summary,
      suspect: finding.suspect,
      value: finding.value,
      threshold: finding.threshold,
      viewId: view.id,
      shareLinkId: link.id,
      shareToken: token,
    })
    .returning()
  return incident
}

/** A further firing evaluation (or a re-fire within the cool-down): the incident is open with the latest summary and value. */
export async function refreshIncident(incident: Incident, finding: Finding, now: Date): Promise<Incident> {
  // While open, the start follows the detector's onset as evidence accumulates (a first
  // evaluation may see only part of the change); a reopened incident keeps its first start.
  const onset = incident.status === 'open' && finding.since.getTime() < now.getTime() ? { startedAt: finding.since } : {}
  const [updated] = await postgres()
    .update(incidents)
    .set({
      ...onset,
      status: 'open',
      resolvedAt: null,
      lastFiredAt: now,
      summary: finding.summary,
      suspect: Object.keys(finding.suspect).length > 0 ? finding.suspect : incident.suspect,
      value: finding.value,
      threshold: finding.threshold,
    })
    .where(eq(incidents.id, incident.id))
    .returning()
  return updated
}

/** Resolves an incident and widens its evidence view to show the whole of it. */
export async function resolveIncident(incident: Incident, now: Date): Promise<Incident> {
  const [updated] = await postgres().update(incidents).set({ status: 'resolved', resolvedAt: now }).where(eq(incidents.id, incident.id)).returning()
  if (incident.viewId) {
    const [view] = await postgres().select().from(savedViews).where(eq(savedViews.id, incident.viewId)).limit(1)
    if (view) {
      const state = { ...view.state, to: new Date(now.getTime() + EVIDENCE_MARGIN_MS).toISOString() }
      await postgres().update(savedViews).set({ state, updatedAt: now }).where(eq(savedViews.id, view.id))
    }
  }
  return updated
}

/** The monitor's open incident, or its latest one resolved at or after `since` (the cool-down). */
export async function currentIncident(monitorId: string, since: Date): Promise<Incident | undefined> {
  const [row] = await postgres()
    .select()
    .from(incidents)
    .where(and(eq(incidents.monitorId, monitorId), or(eq(incidents.status, 'open'), gte(incidents.resolvedAt, since))))
    .orderBy(desc(incidents.startedAt))
    .limit(1)
  return row
}

export async function revokeIncidentEvidence(incident: Incident): Promise<void> {
  if (incident.shareLinkId) await revokeShareLinkById(incident.projectId, incident.shareLinkId)
}

/** Deletes an incident and revokes its evidence link (the saved view goes with it). */
export async function deleteIncident(projectId: string, id: string): Promise<boolean> {
  const incident = await getIncident(projectId, id)
  if (!incident) return false
  await revokeIncidentEvidence(incident)
  await postgres().delete(incidents).where(eq(incidents.id, id))
  if (incident.viewId) await postgres().delete(savedViews).where(eq(savedViews.id, incident.viewId))
  return true
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export async function getIncident(projectId: string, id: string): Promise<Incident | undefined> {
  if (!UUID_RE.test(id)) return undefined
  const [row] = await postgres()
    .select()
    .from(incidents)
    .where(and(eq(incidents.projectId, projectId), eq(incidents.id, id)))
    .limit(1)
  return row
}

export interface IncidentQuery {
  status?: 'open' | 'resolved'
  monitorId?: string
  /** Incidents open at some time after this (open ones, or resolved after it). */
  since?: Date
  limit: number
}

export async function listIncidents(projectId: string, query: IncidentQuery): Promise<Array<{ incident: Incident; monitor: Pick<Monitor, 'id' | 'name' | 'type'> }>> {
  const where: SQL[] = [eq(incidents.projectId, projectId)]
  if (query.status) where.push(eq(incidents.status, query.status))
  if (query.monitorId) where.push(eq(incidents.monitorId, query.monitorId))
  if (query.since) where.push(or(isNull(incidents.resolvedAt), gte(incidents.resolvedAt, query.since))!)
  const rows = await postgres()
    .select({ incident: incidents, monitor: { id: monitors.id, name: monitors.name, type: monitors.type } })
    .from(incidents)
    .innerJoin(monitors, eq(monitors.id, incidents.monitorId))
    .where(and(...where))
    .orderBy(desc(incidents.startedAt))
    .limit(query.limit)
  return rows
}

/** Incidents by id, for the delivery worker. */
export async function incidentsById(ids: string[]): Promise<Map<string, Incident>> {
  if (ids.length === 0) return new Map()
  const rows = await postgres().select().from(incidents).where(inArray(incidents.id, ids))
  return new Map(rows.map((row) => [row.id, row]))
}

/** The incident as the API, the page and the webhook body show it. */
export function apiIncident(incident: Incident, origin = publicOrigin()) {
  const path = evidencePath(incident)
  return {
    id: incident.id,
    status: incident.status,
    started_at: incident.startedAt.toISOString(),
    resolved_at: incident.resolvedAt?.toISOString() ?? null,
    summary: incident.summary,
    suspect: incident.suspect as IncidentSuspect,
    value: incident.value,
    threshold: incident.threshold,
    url: path ? `${origin}${path}` : null,
  }
}
