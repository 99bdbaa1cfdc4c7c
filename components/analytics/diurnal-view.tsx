'use client'

// The diurnal page: production model calls by hour of day in a time zone - volume, latency and
// time to first token, errors, overloads and fallbacks, eval scores - with peak traffic and eval
// hours shaded, an hour x weekday heatmap of one metric, and eval runs against peak traffic.
import { ChartCard } from '@/components/charts/chart-card'
import { percent } from '@/components/charts/chart-format'
import { Heatmap } from '@/components/charts/heatmap'
import { HourChart, hourRuns, type HourBand } from '@/components/charts/hour-chart'
import { formatValue } from '@/components/charts/time-series-chart'
import type { DiurnalReport } from '@/lib/analytics/diurnal'
import { formatCount, formatDuration } from '@/lib/format'
import { HEATMAP_LABELS } from './heatmap-metrics'
import { Stat } from './stat'

const hh = (hour: number) => `${String(hour).padStart(2, '0')}:00`

function hoursText(hours: number[]): string {
  if (hours.length === 0) return 'none'
  return hourRuns(hours)
    .map((run) => (run.from === run.to ? hh(run.from) : `${hh(run.from)}-${String(run.to).padStart(2, '0')}:59`))
    .join(', ')
}

export function DiurnalView({ report }: { report: DiurnalReport }) {
  const { tz, hours } = report
  const data = hours.map((h) => ({ ...h }))
  const bands: HourBand[] = [
    ...hourRuns(report.traffic_peak_hours).map((run) => ({ ...run, label: 'peak traffic', color: '#f59e0b' })),
    ...hourRuns(report.eval_hours).map((run) => ({ ...run, label: 'eval runs', color: '#3b82f6' })),
  ]
  const empty = hours.every((h) => h.requests === 0)
  const gap = report.eval_vs_production
  const metric = HEATMAP_LABELS[report.heatmap.metric]
  const sideRows: Array<[string, (side: typeof gap.eval) => string]> = [
    ['Hours', (side) => hoursText(side.hours)],
    ['Model calls', (side) => formatCount(side.requests)],
    ['Error rate', (side) => percent(side.error_rate, 2)],
    ['Overload rate (429/529)', (side) => percent(side.overload_rate, 2)],
    ['p95 latency (mean of hours)', (side) => (side.p95_ms === null ? '—' : formatDuration(side.p95_ms))],
    ['Mean eval score', (side) => (side.mean_score === null ? '—' : `${side.mean_score.toFixed(3)} (n=${formatCount(side.score_count)})`)],
  ]
  return (
    <div className="space-y-4">
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4" data-testid="diurnal-summary">
        <Stat label={`Peak traffic (${tz})`} value={hoursText(report.traffic_peak_hours)} />
        <Stat label={`Eval scores recorded (${tz})`} value={hoursText(report.eval_hours)} />
        <Stat label="Score gap, peak vs evals" value={gap.score_gap === null ? '—' : `${gap.score_gap >= 0 ? '+' : ''}${gap.score_gap.toFixed(3)}`} tone={gap.score_gap !== null && gap.score_gap < 0 && gap.score_gap_significant ? 'bad' : undefined} />
        <Stat label="p95 gap, peak vs evals" value={gap.p95_gap_ms === null ? '—' : `${gap.p95_gap_ms >= 0 ? '+' : ''}${formatDuration(Math.abs(gap.p95_gap_ms))}`} tone={gap.p95_gap_ms !== null && gap.p95_gap_ms > 0 ? 'bad' : undefined} />
      </div>
      <div className="grid grid-cols-1 gap-4 xl:grid-cols-2">
        <ChartCard title="Model calls by hour" subtitle={`Production model calls per hour of day (${tz}), summed over the range`} empty={empty} testId="chart-requests">
          <HourChart data={data} tz={tz} bands={bands} yLabel="Requests" yFormat="count" series={[{ key: 'requests', name: 'Requests', kind: 'bar', color: '#64748b' }]} />
        </ChartCard>
        <ChartCard title="Latency by hour" subtitle="Model-call duration p50 and p95, time to first token p50 (ms)" empty={empty} testId="chart-latency">
          <HourChart
            data={data}
            tz={tz}
            bands={bands}
            yLabel="Duration"
            yFormat="ms"
            series={[
              { key: 'p50_ms', name: 'p50', color: '#60a5fa' },
              { key: 'p95_ms', name: 'p95', color: '#1d4ed8' },
              { key: 'ttft_p50_ms', name: 'Time to first token p50', color: '#059669', dashed: true },
            ]}
          />
        </ChartCard>
        <ChartCard title="Errors, overloads and fallbacks by hour" subtitle="Share of model calls (%): all errors, rate-limit/overload errors (429/529), fallbacks" empty={empty} testId="chart-errors">
          <HourChart
            data={data}
            tz={tz}
            bands={bands}
            yLabel="Share of calls (%)"
            yFormat="percent"
            series={[
              { key: 'error_rate', name: 'Errors', color: '#dc2626' },
              { key: 'overload_rate', name: 'Overloads (429/529)', color: '#ea580c' },
              { key: 'fallback_rate', name: 'Fallbacks', color: '#7c3aed', dashed: true },
            ]}
          />
        </ChartCard>
        <ChartCard
          title="Eval scores by hour"
          subtitle="Mean production score recorded in each hour (line) and how many (bars)"
          empty={hours.every((h) => h.score_count === 0)}
          emptyText="No production scores in this time range."
          testId="chart-scores"
        >
          <HourChart
            data={data}
            tz={tz}
            bands={bands}
            yLabel="Mean score"
            yFormat="count"
            rightLabel="Scores"
            series={[
              { key: 'score_count', name: 'Scores', kind: 'bar', axis: 'right', color: '#cbd5e1' },
              { key: 'mean_score', name: 'Mean score', color: '#0891b2' },
            ]}
          />
        </ChartCard>
      </div>
      <ChartCard title={`${metric.label} by weekday and hour`} subtitle={`Production model calls in ${tz}; choose the metric above`} empty={empty} height={250} testId="chart-heatmap">
        <Heatmap cells={report.heatmap.cells} tz={tz} metricLabel={metric.label} format={(v) => formatValue(v, metric.format)} higherIsWorse={metric.higherIsWorse} />
      </ChartCard>
      <section className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid="eval-vs-production">
        <h2 className="text-sm font-semibold">Eval runs against production at peak</h2>
        <p className="mb-3 text-sm text-slate-600">
          {report.eval_hours.length === 0
            ? 'No eval scores were recorded in this range.'
            : report.traffic_peak_hours.length === 0
              ? 'No production traffic in this range.'
              : `Your evals were scored at ${hoursText(report.eval_hours)}; your users peak at ${hoursText(report.traffic_peak_hours)} (${tz})${gap.hours_apart ? `, ${gap.hours_apart} hours apart` : ''}.`}
          {gap.score_gap !== null &&
            ` Peak-hour scores are ${Math.abs(gap.score_gap).toFixed(3)} ${gap.score_gap < 0 ? 'lower' : 'higher'} than the evals'${gap.score_gap_significant ? ', more than the sample sizes explain' : ', within what the sample sizes explain'}.`}
        </p>
        <table className="w-full max-w-2xl text-sm">
          <thead className="text-left text-xs uppercase text-slate-500">
            <tr>
              <th className="py-1" />
              <th className="py-1 text-right">Eval runs</th>
              <th className="py-1 text-right">Production at peak</th>
            </tr>
          </thead>
          <tbody>
            {sideRows.map(([label, value]) => (
              <tr key={label} className="border-t border-slate-100">
                <td className="py-1 text-slate-600">{label}</td>
                <td className="py-1 text-right tabular-nums">{value(gap.eval)}</td>
                <td className="py-1 text-right tabular-nums">{value(gap.peak)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  )
}
