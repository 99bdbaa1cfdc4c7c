// One dashboard, shared by its project page and by share links: its widgets answered on the
// server over the board's time range (the URL's range, as every screen) and tenant filter.
import Link from 'next/link'
import { notFound } from 'next/navigation'
import { InvalidParams } from '@/components/analytics/page-header'
import { answerBoard } from '@/lib/dashboards/board'
import { getDashboard } from '@/lib/dashboards/dashboards'
import { InvalidRangeError, resolveRange } from '@/lib/time/range'
import { MAX_RANGE_DAYS } from '@/lib/analytics/range-params'
import { DashboardBoard } from './dashboard-board'

export async function DashboardScreen({
  projectId,
  dashboardId,
  search,
  canWrite,
  shared = false,
}: {
  projectId: string
  dashboardId: string
  search: Record<string, string | string[] | undefined>
  canWrite: boolean
  shared?: boolean
}) {
  const dashboard = await getDashboard(projectId, dashboardId)
  if (!dashboard) {
    if (shared) return <main className="p-6 text-slate-600">This dashboard was deleted.</main>
    notFound()
  }
  const param = (name: string) => (typeof search[name] === 'string' ? (search[name] as string) : undefined)
  let range
  try {
    range = resolveRange({ range: param('range'), from: param('from'), to: param('to') })
    if (range.to.getTime() - range.from.getTime() > MAX_RANGE_DAYS * 86_400_000) throw new InvalidRangeError(`the range may span at most ${MAX_RANGE_DAYS} days`)
  } catch (error) {
    if (!(error instanceof InvalidRangeError)) throw error
    return (
      <main className="p-6">
        <InvalidParams message={error.message} />
      </main>
    )
  }
  const tenantId = param('tenant_id')?.slice(0, 500) || undefined
  const board = { from: range.from, to: range.to, tenantId }
  const results = await answerBoard(projectId, dashboard.widgets, board)
  return (
    <main className="space-y-2 p-6">
      {!shared && (
        <Link href={`/projects/${projectId}/dashboards`} className="text-xs text-slate-500 hover:text-slate-900">
          ← All dashboards
        </Link>
      )}
      <DashboardBoard
        // A new range, tenant or saved version is a new board: its answers replace the old ones.
        key={[dashboard.updatedAt.toISOString(), range.from.toISOString(), range.to.toISOString(), tenantId ?? ''].join('|')}
        projectId={projectId}
        dashboard={{ id: dashboard.id, name: dashboard.name, widgets: dashboard.widgets }}
        results={results}
        board={{ from: range.from.toISOString(), to: range.to.toISOString(), tenantId }}
        canWrite={canWrite}
        shared={shared}
      />
    </main>
  )
}
