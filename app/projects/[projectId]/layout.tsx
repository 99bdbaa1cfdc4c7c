import { AppShell } from '@/components/layout/app-shell'
import { requireProjectAccess } from '@/lib/auth/page-auth'
import { visibleProjects } from '@/lib/auth/users'
import { IncidentMarksProvider } from '@/components/charts/incident-bands'
import { listIncidents } from '@/lib/monitors/incidents'

export const dynamic = 'force-dynamic'

/** Incidents drawn on the time axes: open ones, and those resolved within this time. */
const RECENT_INCIDENTS_MS = 92 * 86_400_000

export default async function ProjectLayout({ params, children }: { params: Promise<{ projectId: string }>; children: React.ReactNode }) {
  const { projectId } = await params
  const { project, user } = await requireProjectAccess(projectId)
  const [projects, incidents] = await Promise.all([visibleProjects(user), listIncidents(projectId, { since: new Date(Date.now() - RECENT_INCIDENTS_MS), limit: 200 })])
  const marks = incidents.map(({ incident, monitor }) => ({
    id: incident.id,
    from: incident.startedAt.getTime(),
    to: incident.resolvedAt?.getTime() ?? null,
    label: `${incident.status === 'open' ? 'Open incident' : 'Incident'}: ${monitor.name}`,
  }))
  return (
    <AppShell
      project={{ id: project.id, name: project.name }}
      projects={projects.map(({ id, name }) => ({ id, name }))}
      user={{ email: user.email, role: user.role }}
    >
      <IncidentMarksProvider marks={marks}>{children}</IncidentMarksProvider>
    </AppShell>
  )
}
