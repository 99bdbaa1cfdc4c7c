'use client'

// Switching project keeps the screen and the time range; filters and trace ids belong to the
// project being left, so they are dropped.
import { usePathname, useRouter, useSearchParams } from 'next/navigation'
import { projectLabel } from '@/lib/projects/project-label'
import { hrefWithRange } from '@/lib/time/range-params'
import { sectionOf } from './sections'

export function ProjectSwitcher({ current, projects }: { current: string; projects: { id: string; name: string }[] }) {
  const router = useRouter()
  const pathname = usePathname()
  const search = useSearchParams()
  const section = sectionOf(pathname)?.path ?? 'traces'
  return (
    <label className="flex items-center gap-1.5">
      <span className="sr-only">Project</span>
      <select
        value={current}
        onChange={(event) => {
          if (event.target.value === '') return router.push('/')
          router.push(hrefWithRange(`/projects/${event.target.value}/${section}`, search))
        }}
        data-testid="project-switcher"
        className="w-auto max-w-36 truncate rounded border border-slate-300 bg-white px-2 py-1 text-sm font-medium min-[1400px]:max-w-48"
        title={projects.find((p) => p.id === current)?.name}
      >
        {projects.map((project) => (
          <option key={project.id} value={project.id}>
            {projectLabel(project, projects)}
          </option>
        ))}
        <option value="">All projects…</option>
      </select>
    </label>
  )
}
