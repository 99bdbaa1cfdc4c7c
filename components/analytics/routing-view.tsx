'use client'

// The routing-cohort page: each route segment (or serving model) side by side - who, how it
// went, what it cost - with the differences the sample sizes support highlighted; who was
// switched between segments; and one switcher's timeline.
import { createColumnHelper } from '@tanstack/react-table'
import Link from 'next/link'
import { usePathname, useSearchParams } from 'next/navigation'
import { CartesianGrid, Legend, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts'
import { CategoryBarChart } from '@/components/charts/category-bar-chart'
import { ChartCard } from '@/components/charts/chart-card'
import { percent, seriesColor, timeAxisProps, timeLabel } from '@/components/charts/chart-format'
import { useShareToken } from '@/components/share/share-context'
import { DataTable } from '@/components/ui/data-table'
import type { RoutingReport, SegmentApi, UserTimeline } from '@/lib/analytics/routing'
import type { ComparedMetric, Difference } from '@/lib/analytics/routing-cohorts'
import { wilsonInterval } from '@/lib/analytics/stats'
import { formatCount, formatDuration, formatUsd } from '@/lib/format'
import { Stat } from './stat'

type Switcher = RoutingReport['switchers']['top'][number]
type TenantSwitcher = RoutingReport['switchers']['tenants']['top'][number]

const segmentColumn = createColumnHelper<SegmentApi>()
const switcherColumn = createColumnHelper<Switcher>()
const tenantColumn = createColumnHelper<TenantSwitcher>()

/** For these metrics a higher value is worse. */
const WORSE_WHEN_HIGHER: Record<ComparedMetric, boolean> = { error_rate: true, refusal_rate: true, format_failure_rate: true, mean_score: false }

function Highlighted({ segment, metric, children }: { segment: SegmentApi; metric: ComparedMetric; children: React.ReactNode }) {
  const difference = segment.differences.find((d) => d.metric === metric)
  if (!difference) return <>{children}</>
  const worse = (difference.direction === 'higher') === WORSE_WHEN_HIGHER[metric]
  return (
    <span
      className={`rounded px-1.5 py-0.5 font-semibold ${worse ? 'bg-red-100 text-red-800' : 'bg-emerald-100 text-emerald-800'}`}
      title={describe(difference)}
      data-testid={`difference-${metric}`}
    >
      {difference.direction === 'higher' ? '▲' : '▼'} {children}
    </span>
  )
}

function describe(d: Difference): string {
  const value = d.metric === 'mean_score' ? (n: number) => n.toFixed(3) : (n: number) => percent(n, 2)
  const interval = d.interval ? `, 95% interval ${percent(d.interval.low, 2)}–${percent(d.interval.high, 2)}` : ''
  return `${d.direction} than the rest of the traffic (${value(d.value)} vs ${value(d.rest_value)}${interval}; p = ${d.p.toExponential(1)})`
}

function chips(segments: string[]) {
  return (
    <span className="flex flex-wrap items-center gap-1">
      {segments.map((segment, i) => (
        <span key={`${segment}-${i}`} className="flex items-center gap-1">
          {i > 0 && <span className="text-slate-400">→</span>}
          <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs">{segment}</span>
        </span>
      ))}
    </span>
  )
}

export function RoutingView({ report, timeline }: { report: RoutingReport; timeline?: UserTimeline }) {
  const pathname = usePathname()
  const search = useSearchParams()
  const shared = useShareToken() !== null
  const userHref = (userId: string) => {
    const next = new URLSearchParams(search)
    next.set('user', userId)
    return `${pathname}?${next.toString()}`
  }
  const segments = report.segments
  const interval = (successes: number, trials: number) => {
    const ci = wilsonInterval(successes, trials)
    return ci ? [successes / trials - ci.low, ci.high - successes / trials] : [0, 0]
  }
  const rateData = segments.map((s) => ({
    segment: s.segment,
    error_rate: s.error_rate,
    error_ci: interval(Math.round((s.error_rate ?? 0) * s.requests), s.requests),
    refusal_rate: s.refusal_rate,
    refusal_ci: interval(Math.round((s.refusal_rate ?? 0) * s.requests), s.requests),
    format_failure_rate: s.format_failure_rate,
    format_ci: interval(Math.round((s.format_failure_rate ?? 0) * s.format_checked), s.format_checked),
  }))
  const columns = [
    segmentColumn.accessor('segment', { header: report.by === 'model' ? 'Model' : 'Segment', cell: (info) => <span className="font-medium">{info.getValue()}</span> }),
    segmentColumn.accessor('users', { header: 'Users', meta: { numeric: true }, cell: (info) => formatCount(info.getValue()) }),
    segmentColumn.accessor('requests', { header: 'Requests', meta: { numeric: true }, cell: (info) => formatCount(info.getValue()) }),
    segmentColumn.accessor('error_rate', {
      header: 'Errors',
      meta: { numeric: true },
      cell: (info) => <Highlighted segment={info.row.original} metric="error_rate">{percent(info.getValue(), 2)}</Highlighted>,
    }),
    segmentColumn.accessor('refusal_rate', {
      header: 'Refusals',
      meta: { numeric: true },
      cell: (info) => <Highlighted segment={info.row.original} metric="refusal_rate">{percent(info.getValue(), 2)}</Highlighted>,
    }),
    segmentColumn.accessor('format_failure_rate', {
      header: 'Format failures',
      meta: { numeric: true },
      sortUndefined: 'last',
      cell: (info) => <Highlighted segment={info.row.original} metric="format_failure_rate">{percent(info.getValue(), 2)}</Highlighted>,
    }),
    segmentColumn.accessor('p50_ms', { header: 'p50', meta: { numeric: true }, cell: (info) => (info.getValue() === null ? '—' : formatDuration(info.getValue()!)) }),
    segmentColumn.accessor('p95_ms', { header: 'p95', meta: { numeric: true }, cell: (info) => (info.getValue() === null ? '—' : formatDuration(info.getValue()!)) }),
    segmentColumn.accessor('mean_score', {
      header: 'Mean score',
      meta: { numeric: true },
      cell: (info) =>
        info.getValue() === null ? (
          '—'
        ) : (
          <Highlighted segment={info.row.original} metric="mean_score">
            {info.getValue()!.toFixed(3)} <span className="text-xs font-normal text-slate-400">n={formatCount(info.row.original.score_count)}</span>
          </Highlighted>
        ),
    }),
    segmentColumn.accessor('cost_per_request_usd', { header: 'Cost / request', meta: { numeric: true }, cell: (info) => (info.getValue() === null ? '—' : formatUsd(info.getValue()!)) }),
  ]
  const switcherColumns = [
    switcherColumn.accessor('user_id', {
      header: 'User',
      cell: (info) => (
        // A shared view opens no timeline it was not saved with (lib/views/share-scope.ts).
        shared ? (
          <span className="font-medium">{info.getValue()}</span>
        ) : (
          <Link href={userHref(info.getValue())} className="font-medium text-blue-700 hover:underline" scroll={false}>
            {info.getValue()}
          </Link>
        )
      ),
    }),
    switcherColumn.accessor((row) => row.segments.join(' '), { id: 'segments', header: 'Segments, in the order served', cell: (info) => chips(info.row.original.segments) }),
    switcherColumn.accessor('requests', { header: 'Requests', meta: { numeric: true }, cell: (info) => formatCount(info.getValue()) }),
  ]
  const tenantColumns = [
    tenantColumn.accessor('tenant_id', { header: 'Tenant', cell: (info) => <span className="font-medium">{info.getValue()}</span> }),
    tenantColumn.accessor((row) => row.segments.join(' '), { id: 'segments', header: 'Segments, in the order served', cell: (info) => chips(info.row.original.segments) }),
    tenantColumn.accessor('requests', { header: 'Requests', meta: { numeric: true }, cell: (info) => formatCount(info.getValue()) }),
  ]
  const empty = segments.length === 0
  const noun = report.by === 'model' ? 'model' : 'segment'
  const highlighted = segments.reduce((sum, s) => sum + s.differences.length, 0)
  return (
    <div className="space-y-4">
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4" data-testid="routing-summary">
        <Stat label={report.by === 'model' ? 'Models' : 'Segments'} value={String(segments.length)} />
        <Stat label="Users served" value={formatCount(report.total_users)} />
        <Stat label="Switched users" value={`${formatCount(report.switchers.users)} (${percent(report.switchers.share)})`} tone={report.switchers.users > 0 ? 'bad' : undefined} />
        <Stat label="Switched tenants" value={`${formatCount(report.switchers.tenants.count)} of ${formatCount(report.total_tenants)}`} />
      </div>
      <section className="space-y-2">
        <h2 className="text-sm font-semibold">
          {report.by === 'model' ? 'Models' : 'Segments'}
          <span className="ml-2 text-xs font-normal text-slate-500">
            {report.routed_only ? 'routed model calls (with a route segment); ' : ''}
            {highlighted > 0 ? 'highlighted: differences from the rest of the traffic beyond what the sample sizes explain (hover for the test)' : 'no difference beyond what the sample sizes explain'}
          </span>
        </h2>
        <DataTable rows={segments} columns={columns} initialSort={[{ id: 'requests', desc: true }]} empty="No model calls in this time range." testId="segments-table" />
      </section>
      <div className="grid grid-cols-1 gap-4 xl:grid-cols-2">
        <ChartCard title={`Outcome rates by ${noun}`} subtitle="Share of requests (format failures: of calls with structured output), with 95% Wilson intervals" empty={empty} testId="chart-rates">
          <CategoryBarChart
            data={rateData}
            categoryKey="segment"
            categoryLabel={report.by === 'model' ? 'Model' : 'Segment'}
            yLabel="Rate (%)"
            yFormat="percent"
            series={[
              { key: 'error_rate', name: 'Errors', errorKey: 'error_ci', color: '#dc2626' },
              { key: 'refusal_rate', name: 'Refusals', errorKey: 'refusal_ci', color: '#d97706' },
              { key: 'format_failure_rate', name: 'Format failures', errorKey: 'format_ci', color: '#7c3aed' },
            ]}
          />
        </ChartCard>
        <ChartCard title={`Latency by ${noun}`} subtitle="Model-call duration, median and 95th percentile (ms)" empty={empty} testId="chart-latency">
          <CategoryBarChart
            data={segments}
            categoryKey="segment"
            categoryLabel={report.by === 'model' ? 'Model' : 'Segment'}
            yLabel="Duration"
            yFormat="ms"
            series={[
              { key: 'p50_ms', name: 'p50', color: '#60a5fa' },
              { key: 'p95_ms', name: 'p95', color: '#1d4ed8' },
            ]}
          />
        </ChartCard>
        <ChartCard title="Cost per request" subtitle="USD per model call: reported cost, else tokens at the price table" empty={empty} testId="chart-cost">
          <CategoryBarChart data={segments} categoryKey="segment" categoryLabel={report.by === 'model' ? 'Model' : 'Segment'} yLabel="Cost (USD)" yFormat="usd" series={[{ key: 'cost_per_request_usd', name: 'Cost per request', color: '#059669' }]} />
        </ChartCard>
        <ChartCard title="Mean eval score" subtitle={`Mean of numeric scores of the traces each ${noun} served (score scale)`} empty={empty || segments.every((s) => s.mean_score === null)} emptyText="No scores on these traces." testId="chart-score">
          <CategoryBarChart data={segments} categoryKey="segment" categoryLabel={report.by === 'model' ? 'Model' : 'Segment'} yLabel="Mean score" yFormat="count" series={[{ key: 'mean_score', name: 'Mean score', color: '#0891b2' }]} />
        </ChartCard>
      </div>
      <div className="grid grid-cols-1 gap-4 xl:grid-cols-2">
        <section className="space-y-2">
          <h2 className="text-sm font-semibold">Switched users (top {report.switchers.top.length} by requests{shared ? '' : '; click one for its timeline'})</h2>
          <DataTable rows={report.switchers.top} columns={switcherColumns} initialSort={[{ id: 'requests', desc: true }]} filterPlaceholder="Filter users" empty="No user was served by more than one segment." testId="switchers-table" />
        </section>
        <section className="space-y-2">
          <h2 className="text-sm font-semibold">Switched tenants</h2>
          <DataTable rows={report.switchers.tenants.top} columns={tenantColumns} initialSort={[{ id: 'requests', desc: true }]} empty="No tenant was served by more than one segment." testId="tenant-switchers-table" />
        </section>
      </div>
      {timeline && <TimelineChart timeline={timeline} segments={segments.map((s) => s.segment)} />}
    </div>
  )
}

function TimelineChart({ timeline, segments }: { timeline: UserTimeline; segments: string[] }) {
  const served = [...new Set([...segments, ...timeline.requests.map((r) => r.segment)])].filter((s) => timeline.requests.some((r) => r.segment === s))
  const points = timeline.requests.map((r) => ({ t: Date.parse(r.t), segment: r.segment, status: r.status, duration: r.duration_ms, model: r.model }))
  const from = points[0]?.t ?? 0
  const to = points[points.length - 1]?.t ?? 1
  return (
    <ChartCard
      title={`Timeline of ${timeline.user_id}`}
      subtitle={`Which segment served each request (${formatCount(timeline.requests.length)}${timeline.truncated ? ', the first ones' : ''}); ${timeline.runs.length} run${timeline.runs.length === 1 ? '' : 's'} of consecutive requests`}
      empty={points.length === 0}
      emptyText="This user sent no model calls in this time range."
      height={Math.max(160, 70 + served.length * 40)}
      testId="user-timeline"
    >
      <ResponsiveContainer width="100%" height="100%">
        <ScatterChart margin={{ top: 8, right: 24, bottom: 20, left: 16 }}>
          <CartesianGrid stroke="#e2e8f0" strokeDasharray="3 3" />
          <XAxis {...timeAxisProps({ from, to })} />
          <YAxis dataKey="segment" type="category" allowDuplicatedCategory={false} tick={{ fontSize: 11 }} width={110} label={{ value: 'Segment', angle: -90, position: 'insideLeft', fontSize: 11, fill: '#64748b' }} />
          <Tooltip
            cursor={{ strokeDasharray: '3 3' }}
            contentStyle={{ fontSize: 12 }}
            formatter={(value, name) => (name === 't' ? [timeLabel(Number(value)), 'time'] : [String(value), String(name)])}
          />
          <Legend verticalAlign="top" height={24} wrapperStyle={{ fontSize: 12 }} />
          {served.map((segment, i) => (
            <Scatter key={segment} name={segment} data={points.filter((p) => p.segment === segment)} fill={seriesColor(i)} isAnimationActive={false} />
          ))}
        </ScatterChart>
      </ResponsiveContainer>
    </ChartCard>
  )
}
