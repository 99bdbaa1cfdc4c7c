'use client'

// The on-call landing page: a one-line verdict, the suspects with their evidence and traces,
// a grid of components with error-rate sparklines, the models and providers beside it, first
// appearances (new models, prompt versions), and every component in a table.
import Link from 'next/link'
import { createColumnHelper } from '@tanstack/react-table'
import { percent } from '@/components/charts/chart-format'
import { useShareToken } from '@/components/share/share-context'
import { DataTable } from '@/components/ui/data-table'
import type { ComponentStatus } from '@/lib/analytics/component-health'
import type { ComponentApi, ComponentPoint, ComponentsReport } from '@/lib/analytics/components'
import { formatCount, formatDuration, formatTime } from '@/lib/format'
import { bucketLabel } from './stat'

const GRID = 24
const STATUS_STYLE: Record<ComponentStatus, string> = {
  failing: 'bg-red-100 text-red-800 border-red-200',
  degraded: 'bg-amber-100 text-amber-800 border-amber-200',
  ok: 'bg-emerald-50 text-emerald-700 border-emerald-200',
}
const ms = (value: number | null) => (value === null || !Number.isFinite(value) ? '—' : formatDuration(value))
const clock = (iso: string | null) => (iso ? iso.slice(11, 16) : '')

function StatusPill({ status }: { status: ComponentStatus }) {
  return <span className={`rounded-full border px-2 py-0.5 text-xs font-medium ${STATUS_STYLE[status]}`}>{status}</span>
}

/** Error rate per bucket as a line (0 to the larger of 10% and the worst bucket), calls as faint bars. */
function Sparkline({ points, since, from, to }: { points: ComponentPoint[]; since: string | null; from: number; to: number }) {
  const width = 220
  const height = 40
  const top = Math.max(0.1, ...points.map((p) => p.error_rate ?? 0))
  const most = Math.max(1, ...points.map((p) => p.calls))
  const x = (t: number) => ((t - from) / Math.max(1, to - from)) * width
  const step = points.length > 1 ? x(Date.parse(points[1].t)) - x(Date.parse(points[0].t)) : width
  const line = points
    .filter((p) => p.error_rate !== null)
    .map((p) => `${x(Date.parse(p.t) + 0.5 * (step / width) * (to - from)).toFixed(1)},${(height - ((p.error_rate ?? 0) / top) * (height - 2) - 1).toFixed(1)}`)
    .join(' ')
  return (
    <svg viewBox={`0 0 ${width} ${height}`} className="h-10 w-full" role="img" aria-label={`error rate per bucket, up to ${percent(top, 0)}`}>
      {points.map((p) => (
        <rect key={p.t} x={x(Date.parse(p.t))} width={Math.max(0.5, step - 0.5)} y={height - (p.calls / most) * height} height={(p.calls / most) * height} fill="#e2e8f0" />
      ))}
      {since && <line x1={x(Date.parse(since))} x2={x(Date.parse(since))} y1={0} y2={height} stroke="#dc2626" strokeDasharray="2 2" />}
      <polyline points={line} fill="none" stroke="#dc2626" strokeWidth={1.5} />
    </svg>
  )
}

function ComponentCard({ component, points, from, to }: { component: ComponentApi; points: ComponentPoint[]; from: number; to: number }) {
  return (
    <div className={`rounded-lg border bg-white p-3 shadow-sm ${component.status === 'ok' ? 'border-slate-200' : component.status === 'failing' ? 'border-red-300' : 'border-amber-300'}`} data-testid="component-card">
      <div className="flex items-start justify-between gap-2">
        <div className="min-w-0">
          <div className="truncate font-medium" title={component.component}>
            {component.component}
          </div>
          <div className="text-xs text-slate-500">
            {component.kind} · {formatCount(component.calls)} calls
          </div>
        </div>
        <StatusPill status={component.status} />
      </div>
      <Sparkline points={points} since={component.since} from={from} to={to} />
      <div className="grid grid-cols-2 gap-1 text-xs text-slate-600">
        <span>
          errors {percent(component.error_rate, 1)} <span className="text-slate-400">(was {percent(component.baseline_error_rate, 1)})</span>
        </span>
        <span>
          p95 {ms(component.p95_ms)} <span className="text-slate-400">(was {ms(component.baseline_p95_ms)})</span>
        </span>
      </div>
      {component.since && <div className="mt-1 text-xs font-medium text-red-700">{component.status} since {clock(component.since)} UTC</div>}
    </div>
  )
}

const componentColumn = createColumnHelper<ComponentApi>()
const COMPONENT_COLUMNS = [
  componentColumn.accessor('component', { header: 'Component', cell: (info) => <span className="font-medium">{info.getValue()}</span> }),
  componentColumn.accessor('kind', { header: 'Kind' }),
  componentColumn.accessor('status', { header: 'Status', cell: (info) => <StatusPill status={info.getValue()} /> }),
  componentColumn.accessor('since', { header: 'Since (UTC)', cell: (info) => <span className="font-mono text-xs">{info.getValue() ? formatTime(info.getValue()!) : ''}</span> }),
  componentColumn.accessor('calls', { header: 'Calls', meta: { numeric: true }, cell: (info) => formatCount(info.getValue()) }),
  componentColumn.accessor('error_rate', { header: 'Error rate', meta: { numeric: true }, cell: (info) => percent(info.getValue(), 2) }),
  componentColumn.accessor('baseline_error_rate', { header: 'Baseline', meta: { numeric: true }, cell: (info) => percent(info.getValue(), 2) }),
  componentColumn.accessor('p95_ms', { header: 'p95', meta: { numeric: true }, cell: (info) => ms(info.getValue()) }),
  componentColumn.accessor('baseline_p95_ms', { header: 'Baseline p95', meta: { numeric: true }, cell: (info) => ms(info.getValue()) }),
]

const STATUS_ORDER: Record<ComponentStatus, number> = { failing: 0, degraded: 1, ok: 2 }

export function ComponentsView({ report }: { report: ComponentsReport }) {
  const shared = useShareToken() !== null
  const from = Date.parse(report.from)
  const to = Date.parse(report.to)
  if (report.components.length === 0) {
    return (
      <div className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-sm text-slate-600" data-testid="components-empty">
        <p className="font-medium text-slate-800">{report.verdict}</p>
        <p className="mt-1">
          Components are the models, tools, retrievers, rerankers, guardrails and prompt versions your spans name. Send traces (see the Traces page for how), load demo data there, or pick a
          longer time range.
        </p>
      </div>
    )
  }
  const indexed = report.components.map((component, i) => ({ component, series: report.series[i] }))
  const grid = [...indexed].sort((a, b) => STATUS_ORDER[a.component.status] - STATUS_ORDER[b.component.status] || b.component.calls - a.component.calls).slice(0, GRID)
  const models = indexed.filter((c) => c.component.kind === 'model')
  const providers = new Map<string, { calls: number; errors: number; failing: number }>()
  for (const { component, series } of models) {
    const provider = providers.get(series.provider || '(unknown)') ?? { calls: 0, errors: 0, failing: 0 }
    provider.calls += component.calls
    provider.errors += (component.error_rate ?? 0) * component.calls
    if (component.status !== 'ok') provider.failing++
    providers.set(series.provider || '(unknown)', provider)
  }
  const bad = report.suspects.length > 0
  return (
    <div className="space-y-4">
      <div className={`rounded-lg border p-4 text-base font-semibold ${bad ? 'border-red-300 bg-red-50 text-red-900' : 'border-emerald-200 bg-emerald-50 text-emerald-900'}`} data-testid="verdict">
        {report.verdict}
        <div className="mt-1 text-xs font-normal text-slate-600">
          Compared with {formatTime(report.baseline_from)} – {formatTime(report.from)}, in {bucketLabel(report.bucket_seconds)} buckets. A status needs significant evidence (Bonferroni-corrected over
          every component and onset) and a large shift.
        </div>
      </div>
      {bad && (
        <section className="space-y-2" data-testid="suspects">
          <h2 className="text-sm font-semibold">Suspects</h2>
          <ol className="space-y-2">
            {report.suspects.map((suspect, i) => (
              <li key={`${suspect.kind}:${suspect.component}`} className="flex flex-wrap items-center justify-between gap-2 rounded border border-slate-200 bg-white px-3 py-2 text-sm">
                <span>
                  <span className="mr-2 text-slate-400">{i + 1}.</span>
                  <span className="font-medium">{suspect.reason}</span>
                  <span className="ml-2 text-xs text-slate-500">
                    ({suspect.kind}; {formatCount(suspect.evidence.events)} of {formatCount(suspect.evidence.calls)} calls since the onset, {formatCount(suspect.evidence.calls_before)} before; p{' '}
                    {suspect.evidence.p < 1e-6 ? '< 1e-6' : suspect.evidence.p.toPrecision(2)})
                  </span>
                </span>
                {shared ? (
                  // A share link shows this view and nothing else: the traces stay behind sign-in.
                  <span className="text-xs text-slate-500">evidence: the traces since {clock(suspect.since)}</span>
                ) : (
                  <Link href={suspect.evidence_url} className="text-sm text-blue-700 hover:underline" data-testid="suspect-traces">
                    Traces since {clock(suspect.since)} →
                  </Link>
                )}
              </li>
            ))}
          </ol>
        </section>
      )}
      <div className="grid grid-cols-1 gap-4 xl:grid-cols-[1fr_18rem]">
        <section className="space-y-2">
          <h2 className="text-sm font-semibold">
            Components{' '}
            <span className="font-normal text-slate-500">
              (error rate per {bucketLabel(report.bucket_seconds)} in red, calls in grey{indexed.length > GRID ? `; ${GRID} of ${indexed.length}, the rest in the table below` : ''})
            </span>
          </h2>
          <div className="grid grid-cols-1 gap-3 md:grid-cols-2 2xl:grid-cols-3" data-testid="component-grid">
            {grid.map(({ component, series }) => (
              <ComponentCard key={`${component.kind}:${component.component}`} component={component} points={series.points} from={from} to={to} />
            ))}
          </div>
        </section>
        <aside className="space-y-4">
          <section className="space-y-2 rounded-lg border border-slate-200 bg-white p-3" data-testid="model-state">
            <h2 className="text-sm font-semibold">Models and providers</h2>
            <ul className="space-y-1 text-sm">
              {models.map(({ component }) => (
                <li key={component.component} className="flex items-center justify-between gap-2">
                  <span className="truncate" title={component.component}>
                    {component.component}
                  </span>
                  <StatusPill status={component.status} />
                </li>
              ))}
              {models.length === 0 && <li className="text-slate-500">No model calls in this range.</li>}
            </ul>
            <ul className="space-y-1 border-t border-slate-100 pt-2 text-xs text-slate-600">
              {[...providers.entries()].map(([name, p]) => (
                <li key={name} className="flex justify-between">
                  <span>{name}</span>
                  <span>
                    {percent(p.calls > 0 ? p.errors / p.calls : null, 2)} errors{p.failing > 0 ? `, ${p.failing} model${p.failing > 1 ? 's' : ''} not ok` : ''}
                  </span>
                </li>
              ))}
            </ul>
          </section>
          <section className="space-y-2 rounded-lg border border-slate-200 bg-white p-3" data-testid="first-appearances">
            <h2 className="text-sm font-semibold">First appearances</h2>
            {report.markers.length === 0 ? (
              <p className="text-xs text-slate-500">No new model, prompt version or system prompt in this range.</p>
            ) : (
              <ul className="max-h-72 space-y-1 overflow-y-auto text-xs">
                {report.markers.map((m) => (
                  <li key={`${m.kind}:${m.value}`} className="flex justify-between gap-2">
                    <span className="truncate font-mono" title={m.value}>
                      {m.kind === 'system_prompt_hash' ? `system prompt ${m.value.slice(0, 8)}` : m.value}
                    </span>
                    <span className="shrink-0 text-slate-500">{formatTime(m.t).slice(5, 16)}</span>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </aside>
      </div>
      <section className="space-y-2">
        <h2 className="text-sm font-semibold">All components{report.truncated > 0 ? ` (the ${indexed.length} most called; ${report.truncated} more left out)` : ''}</h2>
        <DataTable rows={report.components} columns={COMPONENT_COLUMNS} initialSort={[{ id: 'calls', desc: true }]} filterPlaceholder="Filter components" empty="No components." testId="all-components-table" />
      </section>
    </div>
  )
}
