'use client'

// The project's screens in the top bar, on one line at any width: the sections that do not fit
// move, in order, into a "More" menu (which names the current screen when it is one of them).
import Link from 'next/link'
import { usePathname, useSearchParams } from 'next/navigation'
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react'
import { useDismiss } from '@/components/ui/use-dismiss'
import { hrefWithRange } from '@/lib/time/range-params'
import { SECTIONS, sectionOf, type Section } from './sections'

/** Room kept for the "More" button when some sections overflow (px). */
const MORE_WIDTH = 132

/** How many sections fit, given the right edge of each in a full row and the room there is. */
export function sectionsThatFit(rightEdges: number[], room: number): number {
  if (rightEdges.length === 0 || rightEdges[rightEdges.length - 1] <= room) return rightEdges.length
  const fit = rightEdges.findIndex((edge) => edge + MORE_WIDTH > room)
  return fit === -1 ? rightEdges.length : fit
}

function SectionRow({ sections, link }: { sections: readonly Section[]; link: (section: Section) => React.ReactNode }) {
  return (
    <>
      {sections.map((section, index) => {
        const before = sections[index - 1]
        return (
          <span key={section.path} className="flex shrink-0 items-center gap-1" data-section-index={index}>
            {section.group === 'Analytics' && before?.group !== 'Analytics' && (
              <span className="ml-2 mr-1 hidden text-xs font-medium uppercase tracking-wide text-slate-400 min-[1400px]:inline">Analytics</span>
            )}
            {section.group === 'after' && before?.group !== 'after' && <span className="mx-2 h-4 border-l border-slate-200" aria-hidden />}
            {link(section)}
          </span>
        )
      })}
    </>
  )
}

export function SectionNav({ projectId }: { projectId: string }) {
  const pathname = usePathname()
  const search = useSearchParams()
  const active = sectionOf(pathname)
  const navRef = useRef<HTMLElement>(null)
  const measureRef = useRef<HTMLDivElement>(null)
  const [shown, setShown] = useState(SECTIONS.length)
  const [menuOpen, setMenuOpen] = useState(false)
  const menuRef = useRef<HTMLDivElement>(null)

  useLayoutEffect(() => {
    const nav = navRef.current
    const measure = measureRef.current
    if (!nav || !measure) return
    const fit = () => {
      const start = measure.getBoundingClientRect().left
      const edges = Array.from(measure.querySelectorAll<HTMLElement>('[data-section-index]')).map((el) => el.getBoundingClientRect().right - start)
      setShown(sectionsThatFit(edges, nav.clientWidth))
    }
    fit()
    const observer = new ResizeObserver(fit)
    observer.observe(nav)
    return () => observer.disconnect()
  }, [])

  // The menu closes on navigation, on Escape and on a click elsewhere.
  useEffect(() => setMenuOpen(false), [pathname])
  useDismiss(menuOpen, menuRef, useCallback(() => setMenuOpen(false), []))

  const link = (section: Section) => (
    <Link
      href={hrefWithRange(`/projects/${projectId}/${section.path}`, search)}
      aria-current={active?.path === section.path ? 'page' : undefined}
      className={`shrink-0 rounded px-2 py-1 ${active?.path === section.path ? 'bg-slate-900 text-white' : 'text-slate-700 hover:bg-slate-100'}`}
    >
      {section.label}
    </Link>
  )
  const overflow = SECTIONS.slice(shown)
  const activeInMenu = overflow.find((section) => section.path === active?.path)

  return (
    <nav ref={navRef} aria-label="Project" className="relative flex min-w-0 flex-1 items-center gap-1">
      {/* A full row nobody sees, measured to know what fits. */}
      <div ref={measureRef} aria-hidden className="pointer-events-none invisible absolute left-0 top-0 flex items-center gap-1">
        <SectionRow sections={SECTIONS} link={(section) => <span className="shrink-0 rounded px-2 py-1">{section.label}</span>} />
      </div>
      <div className="flex min-w-0 items-center gap-1 overflow-hidden">
        <SectionRow sections={SECTIONS.slice(0, shown)} link={link} />
      </div>
      {overflow.length > 0 && (
        <div ref={menuRef} className="relative shrink-0">
          <button
            type="button"
            aria-haspopup="menu"
            aria-expanded={menuOpen}
            aria-current={activeInMenu ? 'page' : undefined}
            onClick={() => setMenuOpen((open) => !open)}
            className={`rounded px-2 py-1 ${activeInMenu ? 'bg-slate-900 text-white' : 'text-slate-700 hover:bg-slate-100'}`}
            data-testid="nav-more"
          >
            {activeInMenu ? activeInMenu.label : `More (${overflow.length})`} ▾
          </button>
          {menuOpen && (
            <div role="menu" className="absolute left-0 top-full z-30 mt-1 flex min-w-48 flex-col rounded-md border border-slate-200 bg-white py-1 shadow-lg" data-testid="nav-more-menu">
              {overflow.map((section, index) => [
                section.group === 'Analytics' && overflow[index - 1]?.group !== 'Analytics' && (
                  <span key="analytics-heading" className="px-3 pb-0.5 pt-1 text-xs font-medium uppercase tracking-wide text-slate-400" aria-hidden>
                    Analytics
                  </span>
                ),
                <Link
                  key={section.path}
                  role="menuitem"
                  href={hrefWithRange(`/projects/${projectId}/${section.path}`, search)}
                  aria-current={active?.path === section.path ? 'page' : undefined}
                  className={`px-3 py-1.5 text-sm ${active?.path === section.path ? 'bg-slate-100 font-medium text-slate-900' : 'text-slate-700 hover:bg-slate-50'}`}
                >
                  {section.label}
                </Link>,
              ])}
            </div>
          )}
        </div>
      )}
    </nav>
  )
}
