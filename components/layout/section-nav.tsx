'use client'

import Link from 'next/link'
import { usePathname, useSearchParams } from 'next/navigation'
import { hrefWithRange } from '@/lib/time/range-params'
import { SECTIONS, sectionOf } from './sections'

export function SectionNav({ projectId }: { projectId: string }) {
  const pathname = usePathname()
  const search = useSearchParams()
  const active = sectionOf(pathname)
  const link = (path: string, label: string) => (
    <Link
      key={path}
      href={hrefWithRange(`/projects/${projectId}/${path}`, search)}
      aria-current={active?.path === path ? 'page' : undefined}
      className={`shrink-0 rounded px-2 py-1 ${active?.path === path ? 'bg-slate-900 text-white' : 'text-slate-700 hover:bg-slate-100'}`}
    >
      {label}
    </Link>
  )
  const analytics = SECTIONS.filter((section) => section.group === 'Analytics')
  return (
    <nav aria-label="Project" className="flex min-w-0 items-center gap-1 overflow-x-auto [scrollbar-width:none]">
      {SECTIONS.filter((section) => !section.group).map((section) => link(section.path, section.label))}
      <span className="ml-2 mr-1 hidden shrink-0 text-xs min-[1400px]:inline font-medium uppercase tracking-wide text-slate-400">Analytics</span>
      {analytics.map((section) => link(section.path, section.label))}
      <span className="mx-2 h-4 border-l border-slate-200" aria-hidden />
      {SECTIONS.filter((section) => section.group === 'after').map((section) => link(section.path, section.label))}
    </nav>
  )
}
