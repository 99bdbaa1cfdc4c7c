import Link from 'next/link'
import { headers } from 'next/headers'
import { TopBar } from '@/components/layout/top-bar'
import { CreateProjectForm } from '@/components/projects/create-project-form'
import { projectLabel } from '@/lib/projects/project-label'
import { requireUser } from '@/lib/auth/page-auth'
import { visibleProjects } from '@/lib/auth/users'
import { originFromHeaders } from '@/lib/http/request-origin'

export const dynamic = 'force-dynamic'

export default async function HomePage() {
  const user = await requireUser()
  const projects = await visibleProjects(user)
  const origin = originFromHeaders(await headers())
  return (
    <>
      <TopBar user={user} />
      <main className="mx-auto max-w-4xl space-y-8 p-8">
        <section>
          <h1 className="text-xl font-semibold">Projects</h1>
          {projects.length === 0 ? (
            <p className="mt-2 text-slate-600">
              {user.role === 'admin'
                ? 'No projects yet. Create one below: you get an API key for sending traces over OTLP or the JSON API.'
                : 'You are not a member of any project yet. Ask an administrator to add you to one.'}
            </p>
          ) : (
            <ul className="mt-3 divide-y divide-slate-200 rounded border border-slate-200 bg-white">
              {projects.map((project) => (
                <li key={project.id} className="flex items-center justify-between px-4 py-3">
                  <Link href={`/projects/${project.id}/traces`} className="font-medium text-slate-900 hover:underline">
                    {projectLabel(project, projects)}
                  </Link>
                  <span className="font-mono text-xs text-slate-500">{project.id}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
        {user.role === 'admin' && (
          <section className="space-y-3">
            <h2 className="text-base font-semibold">New project</h2>
            <CreateProjectForm origin={origin} />
          </section>
        )}
      </main>
    </>
  )
}
