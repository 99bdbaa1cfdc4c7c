import { AppShell } from '@/components/layout/app-shell'
import { requireProjectAccess } from '@/lib/auth/page-auth'
import { visibleProjects } from '@/lib/auth/users'

export const dynamic = 'force-dynamic'

export default async function ProjectLayout({ params, children }: { params: Promise<{ projectId: string }>; children: React.ReactNode }) {
  const { projectId } = await params
  const { project, user } = await requireProjectAccess(projectId)
  const projects = await visibleProjects(user)
  return (
    <AppShell
      project={{ id: project.id, name: project.name }}
      projects={projects.map(({ id, name }) => ({ id, name }))}
      user={{ email: user.email, role: user.role }}
    >
      {children}
    </AppShell>
  )
}
