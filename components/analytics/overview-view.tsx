'use client'

// The analytics overview: model-call volume, error rate, p95 latency and cost over time with
// markers where a model, prompt version or system prompt first appeared; the same split by
// one kind of component; and the list of first appearances.
import { createColumnHelper } from '@tanstack/react-table'
import { ChartCard } from '@/components/charts/chart-card'
import { percent } from '@/components/charts/chart-format'
import { TimeSeriesChart, type Marker as ChartMarker, type SeriesSpec } from '@/components/charts/time-series-chart'
import { MarkerStrip, type MarkerGroup } from '@/components/charts/marker-strip'
import { DataTable } from '@/components/ui/data-table'
import type { ComponentSeries, Marker, OverviewReport } from '@/lib/analytics/overview'
import { formatCount, formatUsd } from '@/lib/format'
import { bucketLabel, Stat } from './stat'

const SPLIT_LABELS: Record<string, string> = { model: 'Model', prompt: 'Prompt version', tool: 'Tool', retriever: 'Retriever', guardrail: 'Guardrail' }
const MARKER_COLORS: Record<Marker['kind'], string> = { model: '#7c3aed', prompt_version: '#0891b2', system_prompt_hash: '#d97706' }
const MARKER_NAMES: Record<Marker['kind'], string> = { model: 'model', prompt_version: 'prompt', system_prompt_hash: 'system prompt' }
const CHART_COMPONENTS = 8

const markerColumn = createColumnHelper<Marker>()
const componentColumn = createColumnHelper<ComponentSeries>()
const MARKER_COLUMNS = [
  markerColumn.accessor('t', { header: 'First seen (UTC)', cell: (info) => <span className="font-mono text-xs">{info.getValue().slice(0, 19).replace('T', ' ')}</span> }),
  markerColumn.accessor('kind', { header: 'What', cell: (info) => <span style={{ color: MARKER_COLORS[info.getValue() as Marker['kind']] }}>{MARKER_NAMES[info.getValue() as Marker['kind']]}</span> }),
  markerColumn.accessor('value', { header: 'Value', cell: (info) => <span className="break-all font-mono text-xs">{info.getValue()}</span> }),
]

const KINDS: Marker['kind'][] = ['model', 'prompt_version', 'system_prompt_hash']
/** Markers grouped per bucket and kind, so a burst of new prompts is one dot, not hundreds. */
function markerGroups(markers: Marker[], bucketSeconds: number): MarkerGroup[] {
  const groups = new Map<string, MarkerGroup>()
  for (const marker of markers) {
    const t = Math.floor(Date.parse(marker.t) / (bucketSeconds * 1000)) * bucketSeconds * 1000
    const key = `${t}:${marker.kind}`
    const group = groups.get(key) ?? { t, row: KINDS.indexOf(marker.kind), kind: MARKER_NAMES[marker.kind], values: [] }
    group.values.push(marker.value)
    groups.set(key, group)
  }
  return [...groups.values()]
}

/**
 * Unlabelled vertical lines on the charts for new models and prompt versions: the strip above
 * names them (labels on every chart would overlap), and system prompts appear only there.
 */
function chartMarkers(groups: MarkerGroup[]): ChartMarker[] {
  return groups.filter((g) => g.row < 2).map((g) => ({ t: g.t, color: MARKER_COLORS[KINDS[g.row]], label: '' }))
}

export function OverviewView({ report }: { report: OverviewReport }) {
  const range = { from: Date.parse(report.from), to: Date.parse(report.to) }
  const data = report.series.map((p) => ({ t: Date.parse(p.t), spans: p.spans, error_rate: p.error_rate, p95_ms: p.p95_ms, cost_usd: p.cost_usd }))
  const groups = markerGroups(report.markers, report.bucket_seconds)
  const markers = chartMarkers(groups)
  const empty = report.series.every((p) => p.spans === 0)
  const totals = report.series.reduce((sum, p) => ({ spans: sum.spans + p.spans, errors: sum.errors + p.errors, cost: sum.cost + p.cost_usd }), { spans: 0, errors: 0, cost: 0 })
  const worstP95 = Math.max(0, ...report.series.map((p) => p.p95_ms ?? 0))
  const per = bucketLabel(report.bucket_seconds)

  const components = report.split.components
  const charted = components.slice(0, CHART_COMPONENTS)
  const componentData = report.series.map((point, i) => {
    const row: Record<string, number | null> & { t: number } = { t: Date.parse(point.t) }
    for (const component of charted) {
      const p = component.points[i]
      row[`spans:${component.component}`] = p.spans
      row[`p95:${component.component}`] = p.p95_ms
      row[`cost:${component.component}`] = p.cost_usd
      row[`errors:${component.component}`] = p.error_rate
    }
    return row
  })
  const seriesOf = (prefix: string, kind: SeriesSpec['kind'], stack?: string): SeriesSpec[] =>
    charted.map((c) => ({ key: `${prefix}:${c.component}`, name: c.component || '(unnamed)', kind, stack }))
  const splitName = SPLIT_LABELS[report.split.by]
  const noComponents = components.length === 0

  return (
    <div className="space-y-4">
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4" data-testid="overview-summary">
        <Stat label="Model calls" value={formatCount(totals.spans)} />
        <Stat label="Error rate" value={percent(totals.spans > 0 ? totals.errors / totals.spans : null, 2)} tone={totals.errors > 0 ? 'bad' : undefined} />
        <Stat label={`Worst p95 per ${per}`} value={empty ? '—' : `${formatCount(Math.round(worstP95))} ms`} />
        <Stat label="Cost" value={formatUsd(totals.cost)} />
      </div>
      <ChartCard
        title="First appearances"
        subtitle={`New models, prompt versions and system prompts per ${per} (hover a dot for what appeared); new models and prompt versions are also dashed lines on the charts below`}
        empty={groups.length === 0}
        emptyText="Nothing new appeared in this time range."
        height={160}
        testId="chart-markers"
      >
        <MarkerStrip groups={groups} range={range} kinds={KINDS.map((kind) => ({ name: MARKER_NAMES[kind], color: MARKER_COLORS[kind] }))} />
      </ChartCard>
      <div className="grid grid-cols-1 gap-4 xl:grid-cols-2">
        <ChartCard title="Volume" subtitle={`Model calls per ${per}; dashed lines mark new models and prompt versions`} empty={empty} testId="chart-volume">
          <TimeSeriesChart data={data} range={range} bucketSeconds={report.bucket_seconds} syncId="overview" markers={markers} yLabel="Model calls" yFormat="count" series={[{ key: 'spans', name: 'Model calls', kind: 'bar', color: '#64748b' }]} />
        </ChartCard>
        <ChartCard title="Error rate" subtitle={`Share of model calls that failed, per ${per} (%)`} empty={empty} testId="chart-errors">
          <TimeSeriesChart data={data} range={range} bucketSeconds={report.bucket_seconds} syncId="overview" markers={markers} yLabel="Errors (%)" yFormat="percent" series={[{ key: 'error_rate', name: 'Error rate', color: '#dc2626' }]} />
        </ChartCard>
        <ChartCard title="p95 latency" subtitle={`95th percentile of model-call duration per ${per} (ms)`} empty={empty} testId="chart-latency">
          <TimeSeriesChart data={data} range={range} bucketSeconds={report.bucket_seconds} syncId="overview" markers={markers} yLabel="Duration" yFormat="ms" series={[{ key: 'p95_ms', name: 'p95', color: '#1d4ed8' }]} />
        </ChartCard>
        <ChartCard title="Cost" subtitle={`USD per ${per}: reported cost, else tokens at the price table`} empty={empty} testId="chart-cost">
          <TimeSeriesChart data={data} range={range} bucketSeconds={report.bucket_seconds} syncId="overview" markers={markers} yLabel="Cost (USD)" yFormat="usd" series={[{ key: 'cost_usd', name: 'Cost', kind: 'area', color: '#059669' }]} />
        </ChartCard>
      </div>
      <h2 className="pt-2 text-base font-semibold">By {splitName.toLowerCase()}</h2>
      <div className="grid grid-cols-1 gap-4 xl:grid-cols-2">
        <ChartCard title={`Volume by ${splitName.toLowerCase()}`} subtitle={`Spans per ${per}, stacked; top ${charted.length} of ${components.length}`} empty={noComponents} emptyText={`No ${splitName.toLowerCase()} spans in this time range.`} testId="chart-split-volume">
          <TimeSeriesChart data={componentData} range={range} bucketSeconds={report.bucket_seconds} markers={markers} yLabel="Spans" yFormat="count" series={seriesOf('spans', 'bar', 'spans')} />
        </ChartCard>
        <ChartCard title={`Error rate by ${splitName.toLowerCase()}`} subtitle={`Share of spans that failed, per ${per} (%)`} empty={noComponents} emptyText={`No ${splitName.toLowerCase()} spans in this time range.`} testId="chart-split-errors">
          <TimeSeriesChart data={componentData} range={range} bucketSeconds={report.bucket_seconds} markers={markers} yLabel="Errors (%)" yFormat="percent" series={seriesOf('errors', 'line')} />
        </ChartCard>
        <ChartCard title={`p95 latency by ${splitName.toLowerCase()}`} subtitle={`95th percentile of span duration per ${per} (ms)`} empty={noComponents} emptyText={`No ${splitName.toLowerCase()} spans in this time range.`} testId="chart-split-latency">
          <TimeSeriesChart data={componentData} range={range} bucketSeconds={report.bucket_seconds} markers={markers} yLabel="Duration" yFormat="ms" series={seriesOf('p95', 'line')} />
        </ChartCard>
        <ChartCard title={`Cost by ${splitName.toLowerCase()}`} subtitle={`USD per ${per}, stacked`} empty={noComponents} emptyText={`No ${splitName.toLowerCase()} spans in this time range.`} testId="chart-split-cost">
          <TimeSeriesChart data={componentData} range={range} bucketSeconds={report.bucket_seconds} markers={markers} yLabel="Cost (USD)" yFormat="usd" series={seriesOf('cost', 'bar', 'cost')} />
        </ChartCard>
      </div>
      <div className="grid grid-cols-1 gap-4 xl:grid-cols-2">
        <section className="space-y-2">
          <h2 className="text-sm font-semibold">{splitName}s</h2>
          <DataTable
            rows={components}
            columns={[
              componentColumn.accessor('component', { header: splitName, cell: (info) => <span className="font-medium">{info.getValue() || '(unnamed)'}</span> }),
              componentColumn.accessor('spans', { header: 'Spans', meta: { numeric: true }, cell: (info) => formatCount(info.getValue()) }),
              componentColumn.accessor('errors', { header: 'Errors', meta: { numeric: true }, cell: (info) => formatCount(info.getValue()) }),
              componentColumn.accessor((row) => (row.spans > 0 ? row.errors / row.spans : null), { id: 'error_rate', header: 'Error rate', meta: { numeric: true }, cell: (info) => percent(info.getValue(), 2) }),
              componentColumn.accessor('cost_usd', { header: 'Cost', meta: { numeric: true }, cell: (info) => formatUsd(info.getValue()) }),
            ]}
            initialSort={[{ id: 'spans', desc: true }]}
            filterPlaceholder={`Filter ${splitName.toLowerCase()}s`}
            empty={`No ${splitName.toLowerCase()} spans in this time range.`}
            testId="components-table"
          />
        </section>
        <section className="space-y-2">
          <h2 className="text-sm font-semibold">First appearances{report.markers_truncated ? ' (the first 500)' : ''}</h2>
          <DataTable
            rows={report.markers}
            columns={MARKER_COLUMNS}
            initialSort={[{ id: 't', desc: false }]}
            filterPlaceholder="Filter"
            empty="Nothing new appeared in this time range: the same models, prompt versions and system prompts as before."
            testId="markers-table"
          />
        </section>
      </div>
    </div>
  )
}
