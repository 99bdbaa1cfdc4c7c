// The project's dashboards: those the team built, a form for a new one, and the three starting
// dashboards to copy.
import Link from 'next/link'
import { listDashboards } from '@/lib/dashboards/dashboards'
import { DASHBOARD_TEMPLATES } from '@/lib/dashboards/templates'
import { CopyTemplateButton, NewDashboardForm } from './new-dashboard'

export async function DashboardsScreen({ projectId, canWrite }: { projectId: string; canWrite: boolean }) {
  const dashboards = await listDashboards(projectId)
  return (
    <main className="mx-auto w-full max-w-5xl space-y-6 p-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-lg font-semibold">Dashboards</h1>
          <p className="max-w-3xl text-sm text-slate-600">
            Charts you build from any metric of your spans - count, error rate, latency percentiles, cost, tokens, cache hit rate, scores - filtered and grouped the way you need, on one time
            range and tenant filter. Save and share them like any view.
          </p>
        </div>
        {canWrite && <NewDashboardForm projectId={projectId} />}
      </div>
      {dashboards.length === 0 ? (
        <div className="rounded border border-dashed border-slate-300 bg-white p-6 text-sm text-slate-600" data-testid="no-dashboards">
          No dashboards yet. {canWrite ? 'Name a new one above and add widgets to it, or start from one of the templates below and change it to fit.' : 'Someone with write access can create one.'}
        </div>
      ) : (
        <ul className="divide-y divide-slate-200 rounded border border-slate-200 bg-white" data-testid="dashboard-list">
          {dashboards.map((dashboard) => (
            <li key={dashboard.id} className="flex items-baseline gap-3 px-4 py-3">
              <Link href={`/projects/${projectId}/dashboards/${dashboard.id}`} className="font-medium text-blue-700 hover:underline">
                {dashboard.name}
              </Link>
              <span className="text-xs text-slate-500">{dashboard.widgets.length} widgets</span>
              <span className="ml-auto text-xs text-slate-400">updated {dashboard.updatedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC</span>
            </li>
          ))}
        </ul>
      )}
      <section className="space-y-2">
        <h2 className="text-sm font-semibold text-slate-900">Starting dashboards</h2>
        <div className="grid gap-3 md:grid-cols-3">
          {DASHBOARD_TEMPLATES.map((template) => (
            <div key={template.id} className="flex flex-col gap-2 rounded border border-slate-200 bg-white p-4" data-testid="dashboard-template">
              <h3 className="font-medium">{template.name}</h3>
              <p className="flex-1 text-sm text-slate-600">{template.description}</p>
              <p className="text-xs text-slate-500">{template.widgets.map((w) => w.title).join(' · ')}</p>
              {canWrite && (
                <div>
                  <CopyTemplateButton projectId={projectId} template={template} />
                </div>
              )}
            </div>
          ))}
        </div>
      </section>
    </main>
  )
}
