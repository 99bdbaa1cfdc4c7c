import { notFound } from 'next/navigation'
import { AppShell } from '@/components/layout/app-shell'
import { getProject, listProjects } from '@/lib/projects/projects'
import { storesReady } from '@/lib/runtime/stores'

export const dynamic = 'force-dynamic'

export default async function ProjectLayout({ params, children }: { params: Promise<{ projectId: string }>; children: React.ReactNode }) {
  await storesReady()
  const { projectId } = await params
  const project = await getProject(projectId)
  if (!project) notFound()
  const projects = await listProjects()
  return (
    <AppShell project={{ id: project.id, name: project.name }} projects={projects.map(({ id, name }) => ({ id, name }))}>
      {children}
    </AppShell>
  )
}
