import Link from 'next/link'
import { MonitorForm, type MonitorTypeOption } from '@/components/alerts/monitor-form'
import { TestMonitorButton } from '@/components/alerts/test-monitor-button'
import { requireProjectAccess } from '@/lib/auth/page-auth'
import { env } from '@/lib/config/env'
import { describeValue, MONITOR_DEFINITIONS, MONITOR_TYPES } from '@/lib/monitors/monitor-types'
import { apiMonitors, listMonitors, type ApiMonitor } from '@/lib/monitors/monitors'
import { deleteMonitorAction, setMonitorFlagAction } from './actions'

export const dynamic = 'force-dynamic'

const STATE_STYLE: Record<string, string> = {
  firing: 'bg-red-100 text-red-800',
  broken: 'bg-amber-100 text-amber-900',
  ok: 'bg-emerald-100 text-emerald-800',
  pending: 'bg-slate-100 text-slate-600',
}
const STATE_ORDER: Record<string, number> = { firing: 0, broken: 1, pending: 2, ok: 3 }

function ago(iso: string | null): string {
  if (!iso) return 'not yet'
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000))
  return s < 60 ? `${s} s ago` : s < 3600 ? `${Math.round(s / 60)} min ago` : `${Math.round(s / 3600)} h ago`
}

function Flag({ projectId, monitor, set, label }: { projectId: string; monitor: ApiMonitor; set: string; label: string }) {
  return (
    <form action={setMonitorFlagAction}>
      <input type="hidden" name="projectId" value={projectId} />
      <input type="hidden" name="monitorId" value={monitor.id} />
      <input type="hidden" name="set" value={set} />
      <button className="rounded border border-slate-300 px-2 py-0.5 hover:bg-slate-50">{label}</button>
    </form>
  )
}

export default async function AlertsPage({ params, searchParams }: { params: Promise<{ projectId: string }>; searchParams: Promise<{ state?: string }> }) {
  const { projectId } = await params
  const { state: stateFilter } = await searchParams
  const { canWrite } = await requireProjectAccess(projectId)
  const all = await apiMonitors(await listMonitors(projectId))
  const monitors = all
    .filter((m) => !stateFilter || m.state === stateFilter)
    .sort((a, b) => (STATE_ORDER[a.state] ?? 9) - (STATE_ORDER[b.state] ?? 9) || a.name.localeCompare(b.name))
  const floorSeconds = env().FLIGHTLINE_MONITOR_INTERVAL_S
  const types: MonitorTypeOption[] = MONITOR_TYPES.map((type) => ({ type, describe: MONITOR_DEFINITIONS[type].describe, defaults: MONITOR_DEFINITIONS[type].params.parse({}) as Record<string, unknown> }))
  const counts = Object.fromEntries(['firing', 'broken', 'ok', 'pending'].map((s) => [s, all.filter((m) => m.state === s).length]))
  return (
    <main className="mx-auto w-full max-w-6xl space-y-4 p-6">
      <div>
        <h1 className="text-lg font-semibold">Alerts</h1>
        <p className="max-w-3xl text-sm text-slate-600">
          Monitors watch this project every {floorSeconds} s or slower and page a webhook (JSON or Slack) when an incident opens and once more when it resolves, with the
          answer: what broke, the suspect tenant, component or trace, and a link to the evidence.
        </p>
      </div>

      {canWrite && (
        <section className="rounded border border-slate-200 bg-white p-4" aria-labelledby="new-monitor">
          <h2 id="new-monitor" className="mb-3 font-medium">
            New monitor
          </h2>
          <MonitorForm projectId={projectId} types={types} floorSeconds={floorSeconds} />
        </section>
      )}

      {all.length === 0 ? (
        <div className="rounded border border-dashed border-slate-300 bg-white p-8 text-center text-slate-600" data-testid="no-monitors">
          No monitors yet. {canWrite ? 'Create one above: pick a type, keep the params as {} for its defaults, and add a webhook URL to be paged.' : 'A member of this project can create them.'}{' '}
          Incidents they open appear on the <Link href={`/projects/${projectId}/incidents`} className="text-blue-700 underline">Incidents</Link> page and on every chart&apos;s time axis.
        </div>
      ) : (
        <>
          <nav className="flex gap-2 text-xs" aria-label="Filter by state">
            <Link href={`/projects/${projectId}/alerts`} className={`rounded px-2 py-0.5 ${!stateFilter ? 'bg-slate-900 text-white' : 'border border-slate-300'}`}>
              all ({all.length})
            </Link>
            {Object.entries(counts).map(([s, n]) => (
              <Link key={s} href={`/projects/${projectId}/alerts?state=${s}`} className={`rounded px-2 py-0.5 ${stateFilter === s ? 'bg-slate-900 text-white' : 'border border-slate-300'}`}>
                {s} ({n})
              </Link>
            ))}
          </nav>
          <table className="w-full table-fixed border-collapse rounded border border-slate-200 bg-white text-sm" data-testid="monitors-table">
            <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th className="w-[26%] px-3 py-2">Monitor</th>
                <th className="w-[9%] px-3 py-2">State</th>
                <th className="w-[14%] px-3 py-2">Last evaluated</th>
                <th className="w-[22%] px-3 py-2">Channels</th>
                <th className="px-3 py-2">Actions</th>
              </tr>
            </thead>
            <tbody>
              {monitors.map((m) => (
                <tr key={m.id} className="border-t border-slate-100 align-top" data-testid="monitor-row">
                  <td className="px-3 py-2">
                    <div className="font-medium">{m.name}</div>
                    <div className="font-mono text-xs text-slate-500">
                      {m.type} · every {m.evaluate_every_s} s
                    </div>
                    {!m.enabled && <div className="text-xs text-slate-500">disabled</div>}
                    {m.muted && <div className="text-xs text-amber-700">muted: incidents recorded, nobody paged</div>}
                  </td>
                  <td className="px-3 py-2">
                    <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${STATE_STYLE[m.state] ?? ''}`}>{m.state}</span>
                    {m.open_incident_id && (
                      <Link href={`/projects/${projectId}/incidents?status=open`} className="mt-1 block text-xs text-red-700 underline">
                        open incident
                      </Link>
                    )}
                  </td>
                  <td className="px-3 py-2 text-xs text-slate-600">
                    {ago(m.last_evaluated_at)}
                    {m.last_value !== null && <div>{describeValue(m.type, m.params, m.last_value)}</div>}
                    {m.last_error && <div className="mt-1 break-words text-amber-800">query failed: {m.last_error}</div>}
                  </td>
                  <td className="px-3 py-2 text-xs">
                    {m.channels.length === 0 ? (
                      <span className="text-slate-500">none: incidents are recorded only</span>
                    ) : (
                      <ul className="space-y-0.5">
                        {m.channels.map((c) => (
                          <li key={c.url} className="truncate font-mono" title={c.url}>
                            {c.format} · {c.url}
                          </li>
                        ))}
                      </ul>
                    )}
                    {m.deliveries.last_failure && (
                      <div className="mt-1 rounded bg-red-50 px-1.5 py-1 text-red-800" data-testid="delivery-failure">
                        {m.deliveries.last_failure.gave_up ? 'gave up' : 'failing'} after {m.deliveries.last_failure.attempts} attempt{m.deliveries.last_failure.attempts === 1 ? '' : 's'}: {m.deliveries.last_failure.error} ({m.deliveries.last_failure.event},{' '}
                        {ago(m.deliveries.last_failure.at)}){m.deliveries.pending > 0 && `; ${m.deliveries.pending} waiting to retry`}
                      </div>
                    )}
                  </td>
                  <td className="px-3 py-2 text-xs">
                    {canWrite ? (
                      <div className="flex flex-wrap items-center gap-2">
                        <TestMonitorButton projectId={projectId} monitorId={m.id} />
                        <Flag projectId={projectId} monitor={m} set={m.muted ? 'unmute' : 'mute'} label={m.muted ? 'Unmute' : 'Mute'} />
                        <Flag projectId={projectId} monitor={m} set={m.enabled ? 'disable' : 'enable'} label={m.enabled ? 'Disable' : 'Enable'} />
                        <form action={deleteMonitorAction}>
                          <input type="hidden" name="projectId" value={projectId} />
                          <input type="hidden" name="monitorId" value={m.id} />
                          <button className="text-red-700 underline">Delete</button>
                        </form>
                        <details className="w-full">
                          <summary className="cursor-pointer text-blue-700">Edit</summary>
                          <div className="mt-2">
                            <MonitorForm
                              projectId={projectId}
                              types={types}
                              floorSeconds={floorSeconds}
                              monitor={{ id: m.id, name: m.name, type: m.type, params: m.params, evaluate_every_s: m.evaluate_every_s, channels: m.channels }}
                            />
                          </div>
                        </details>
                      </div>
                    ) : (
                      <span className="text-slate-500">read only</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </main>
  )
}
