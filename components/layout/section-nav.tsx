'use client'

// Navigation between a project's screens. The top bar names the sections (Traces, Analytics,
// Saved views); on an analytics screen a second bar lists every analytics screen, grouped by the
// question it answers; the bar wraps rather than hide a screen, so each is in view at any width.
import Link from 'next/link'
import { usePathname, useSearchParams } from 'next/navigation'
import { hrefWithRange } from '@/lib/time/range-params'
import { ANALYTICS_TOPICS, SECTIONS, sectionOf } from './sections'

const linkClass = (active: boolean) => `shrink-0 rounded px-1.5 py-1 min-[1400px]:px-2 ${active ? 'bg-slate-900 text-white' : 'text-slate-700 hover:bg-slate-100'}`

export function SectionNav({ projectId }: { projectId: string }) {
  const pathname = usePathname()
  const search = useSearchParams()
  const active = sectionOf(pathname)
  const link = (path: string, label: string, current: boolean) => (
    <Link key={path} href={hrefWithRange(`/projects/${projectId}/${path}`, search)} aria-current={current ? 'page' : undefined} className={linkClass(current)}>
      {label}
    </Link>
  )
  const inAnalytics = active?.group === 'Analytics'
  return (
    <nav aria-label="Project" className="flex min-w-0 items-center gap-1 overflow-x-auto [scrollbar-width:none]">
      {SECTIONS.filter((section) => !section.group).map((section) => link(section.path, section.label, active?.path === section.path))}
      <Link
        href={hrefWithRange(`/projects/${projectId}/analytics/overview`, search)}
        className={inAnalytics ? 'shrink-0 rounded bg-slate-100 px-1.5 py-1 font-medium text-slate-900 min-[1400px]:px-2' : linkClass(false)}
        data-testid="analytics-section"
      >
        Analytics
      </Link>
      <span className="mx-1 h-4 border-l border-slate-200 min-[1400px]:mx-2" aria-hidden />
      {SECTIONS.filter((section) => section.group === 'after').map((section) => link(section.path, section.label, active?.path === section.path))}
    </nav>
  )
}

/** The analytics screens by topic; rendered on analytics screens only. */
export function AnalyticsNav({ projectId }: { projectId: string }) {
  const pathname = usePathname()
  const search = useSearchParams()
  const active = sectionOf(pathname)
  if (active?.group !== 'Analytics') return null
  return (
    <nav aria-label="Analytics" className="flex min-h-10 flex-wrap items-center gap-x-1 gap-y-0.5 whitespace-nowrap border-b border-slate-200 bg-white px-4 py-1 text-sm" data-testid="analytics-nav">
      {ANALYTICS_TOPICS.map((topic, i) => (
        <span key={topic} className="flex shrink-0 items-center gap-1">
          {i > 0 && <span className="mx-2 h-4 border-l border-slate-200" aria-hidden />}
          <span className="mr-1 text-xs font-medium uppercase tracking-wide text-slate-400">{topic}</span>
          {SECTIONS.filter((section) => section.topic === topic).map((section) => (
            <Link
              key={section.path}
              href={hrefWithRange(`/projects/${projectId}/${section.path}`, search)}
              aria-current={active.path === section.path ? 'page' : undefined}
              className={linkClass(active.path === section.path)}
            >
              {section.label}
            </Link>
          ))}
        </span>
      ))}
    </nav>
  )
}
