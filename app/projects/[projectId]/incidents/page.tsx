import Link from 'next/link'
import { requireProjectAccess } from '@/lib/auth/page-auth'
import { evidencePath, listIncidents } from '@/lib/monitors/incidents'

export const dynamic = 'force-dynamic'

const PAGE_SIZE = 50
const STATUSES = ['all', 'open', 'resolved'] as const

const when = (date: Date) => `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`

function duration(from: Date, to: Date | null): string {
  const s = Math.max(0, Math.round(((to ?? new Date()).getTime() - from.getTime()) / 1000))
  const text = s < 120 ? `${s} s` : s < 7200 ? `${Math.round(s / 60)} min` : `${(s / 3600).toFixed(1)} h`
  return to ? text : `${text} so far`
}

export default async function IncidentsPage({ params, searchParams }: { params: Promise<{ projectId: string }>; searchParams: Promise<{ status?: string; page?: string }> }) {
  const { projectId } = await params
  const query = await searchParams
  await requireProjectAccess(projectId)
  const status = (STATUSES as readonly string[]).includes(query.status ?? '') ? (query.status as (typeof STATUSES)[number]) : 'all'
  const page = Math.max(1, Math.min(1000, Number.parseInt(query.page ?? '1', 10) || 1))
  const rows = await listIncidents(projectId, { status: status === 'all' ? undefined : status, limit: page * PAGE_SIZE + 1 })
  const shown = rows.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE)
  const hasMore = rows.length > page * PAGE_SIZE
  const href = (s: string, p = 1) => `/projects/${projectId}/incidents?${new URLSearchParams({ ...(s !== 'all' ? { status: s } : {}), ...(p > 1 ? { page: String(p) } : {}) })}`
  return (
    <main className="mx-auto w-full max-w-6xl space-y-4 p-6">
      <div>
        <h1 className="text-lg font-semibold">Incidents</h1>
        <p className="max-w-3xl text-sm text-slate-600">
          What the monitors found, newest first: when it started and ended, the answer in words, the suspect, and a read-only evidence link (no sign-in needed) pinned to the
          incident&apos;s time.
        </p>
      </div>
      <nav className="flex gap-2 text-xs" aria-label="Filter by status">
        {STATUSES.map((s) => (
          <Link key={s} href={href(s)} className={`rounded px-2 py-0.5 ${status === s ? 'bg-slate-900 text-white' : 'border border-slate-300'}`}>
            {s}
          </Link>
        ))}
      </nav>
      {shown.length === 0 ? (
        <div className="rounded border border-dashed border-slate-300 bg-white p-8 text-center text-slate-600" data-testid="no-incidents">
          {status === 'open' ? 'Nothing is open right now.' : 'No incidents yet.'} Incidents are opened by monitors: set them up on the{' '}
          <Link href={`/projects/${projectId}/alerts`} className="text-blue-700 underline">
            Alerts
          </Link>{' '}
          page.
        </div>
      ) : (
        <table className="w-full table-fixed border-collapse rounded border border-slate-200 bg-white text-sm" data-testid="incidents-table">
          <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th className="w-[9%] px-3 py-2">Status</th>
              <th className="w-[16%] px-3 py-2">Started ↓</th>
              <th className="w-[10%] px-3 py-2">Duration</th>
              <th className="w-[16%] px-3 py-2">Monitor</th>
              <th className="px-3 py-2">Summary</th>
              <th className="w-[14%] px-3 py-2">Suspect</th>
              <th className="w-[8%] px-3 py-2">Evidence</th>
            </tr>
          </thead>
          <tbody>
            {shown.map(({ incident, monitor }) => {
              const evidence = evidencePath(incident)
              const suspect = incident.suspect
              return (
                <tr key={incident.id} className="border-t border-slate-100 align-top" data-testid="incident-row">
                  <td className="px-3 py-2">
                    <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${incident.status === 'open' ? 'bg-red-100 text-red-800' : 'bg-slate-100 text-slate-700'}`}>{incident.status}</span>
                  </td>
                  <td className="px-3 py-2 text-xs">
                    {when(incident.startedAt)}
                    {incident.resolvedAt && <div className="text-slate-500">resolved {when(incident.resolvedAt)}</div>}
                  </td>
                  <td className="px-3 py-2 text-xs">{duration(incident.startedAt, incident.resolvedAt)}</td>
                  <td className="px-3 py-2 text-xs">
                    <Link href={`/projects/${projectId}/alerts`} className="font-medium text-blue-700 hover:underline">
                      {monitor.name}
                    </Link>
                    <div className="font-mono text-slate-500">{monitor.type}</div>
                  </td>
                  <td className="px-3 py-2">{incident.summary}</td>
                  <td className="px-3 py-2 text-xs">
                    {suspect.tenant && <div>tenant <span className="font-mono">{suspect.tenant}</span></div>}
                    {suspect.component && (
                      <div>
                        {suspect.component_kind ?? 'component'} <span className="font-mono">{suspect.component}</span>
                      </div>
                    )}
                    {suspect.trace && (
                      <Link href={`/projects/${projectId}/traces/${encodeURIComponent(suspect.trace)}`} className="font-mono text-blue-700 hover:underline">
                        trace {suspect.trace.slice(0, 12)}…
                      </Link>
                    )}
                    {!suspect.tenant && !suspect.component && !suspect.trace && <span className="text-slate-400">—</span>}
                  </td>
                  <td className="px-3 py-2 text-xs">
                    {evidence ? (
                      <a href={evidence} className="text-blue-700 hover:underline" target="_blank" rel="noreferrer">
                        open
                      </a>
                    ) : (
                      <span className="text-slate-400">revoked</span>
                    )}
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
      {(page > 1 || hasMore) && (
        <nav className="flex justify-between text-sm" aria-label="Pages">
          {page > 1 ? <Link href={href(status, page - 1)} className="text-blue-700 underline">← newer</Link> : <span />}
          <span className="text-slate-500">page {page}</span>
          {hasMore ? <Link href={href(status, page + 1)} className="text-blue-700 underline">older →</Link> : <span />}
        </nav>
      )}
    </main>
  )
}
