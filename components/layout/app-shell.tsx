// The frame of every screen inside a project: brand, project switcher, navigation between the
// project's screens, and the time range picker. Everything a screen shows is in its URL.
import Link from 'next/link'
import { ProjectSwitcher } from './project-switcher'
import { AnalyticsNav, SectionNav } from './section-nav'
import { TimeRangePicker } from './time-range-picker'
import { SaveViewButton } from '@/components/views/save-view-button'
import { UserMenu } from './user-menu'

export function AppShell({
  project,
  projects,
  user,
  children,
}: {
  project: { id: string; name: string }
  projects: { id: string; name: string }[]
  user: { email: string; role: string }
  children: React.ReactNode
}) {
  return (
    <div className="flex min-h-screen flex-col">
      {/* The top bar is one line at any width down to 1280 px; analytics screens add their own bar beneath it. */}
      <div className="sticky top-0 z-20 shrink-0">
        <header className="flex h-12 items-center gap-4 whitespace-nowrap border-b border-slate-200 bg-white px-4" data-testid="top-bar">
          <Link href="/" className="flex shrink-0 items-center gap-2 font-semibold tracking-tight text-slate-900">
            <span className="inline-block h-3 w-3 rounded-full bg-amber-500" aria-hidden />
            Flightline
          </Link>
          <ProjectSwitcher current={project.id} projects={projects} />
          <SectionNav projectId={project.id} />
          <div className="ml-auto flex shrink-0 items-center gap-3">
            <SaveViewButton projectId={project.id} canWrite={user.role !== 'viewer'} />
            <TimeRangePicker />
            <UserMenu user={user} />
          </div>
        </header>
        <AnalyticsNav projectId={project.id} />
      </div>
      <div className="flex min-h-0 flex-1 flex-col">{children}</div>
    </div>
  )
}
