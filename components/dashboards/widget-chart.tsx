'use client'

// One widget's answer from the query engine, drawn as the widget asks: lines or stacked areas
// over time, bars per group (or per bucket), a sortable table of groups, or one big number.
// Every chart names its metric and unit on the value axis; the pooled rest of the groups is
// drawn as "other (n)" so the picture still adds up.
import type { ColumnDef } from '@tanstack/react-table'
import { CategoryBarChart } from '@/components/charts/category-bar-chart'
import { TimeSeriesChart, formatValue, type SeriesSpec, type ValueFormat } from '@/components/charts/time-series-chart'
import { DataTable } from '@/components/ui/data-table'
import type { ChartAnswer } from '@/lib/analytics/query-engine'

export type ChartType = 'line' | 'bar' | 'stacked' | 'table' | 'number'

export const METRIC_LABELS: Record<ChartAnswer['metric'], string> = {
  count: 'Count',
  error_rate: 'Error rate',
  p50_ms: 'p50 latency',
  p95_ms: 'p95 latency',
  p99_ms: 'p99 latency',
  cost_usd: 'Cost',
  input_tokens: 'Input tokens',
  output_tokens: 'Output tokens',
  cache_hit_rate: 'Cache hit rate',
  score_mean: 'Mean score',
}

const UNIT_FORMATS: Record<ChartAnswer['unit'], ValueFormat> = { count: 'count', ratio: 'percent', ms: 'ms', usd: 'usd', tokens: 'count', score: 'count' }
const UNIT_LABELS: Record<ChartAnswer['unit'], string> = { count: '', ratio: ' (%)', ms: ' (ms)', usd: ' (USD)', tokens: ' (tokens)', score: '' }

export function valueFormat(answer: Pick<ChartAnswer, 'unit'>): ValueFormat {
  return UNIT_FORMATS[answer.unit]
}

export function formatAnswerValue(answer: Pick<ChartAnswer, 'unit'>, value: number | null): string {
  if (answer.unit === 'score' && typeof value === 'number') return Number(value.toFixed(3)).toString()
  return formatValue(value, valueFormat(answer))
}

function groupLabel(group: string | null, metric: ChartAnswer['metric']): string {
  if (group === null) return METRIC_LABELS[metric]
  return group === '' ? '(none)' : group
}

interface Line {
  key: string
  name: string
  total: number | null
  points?: { t: string; value: number | null }[]
}

function lines(answer: ChartAnswer): Line[] {
  const out: Line[] = answer.series.map((s, i) => ({ key: `s${i}`, name: groupLabel(s.group, answer.metric), total: s.total, points: s.points }))
  if (answer.other) out.push({ key: 'other', name: `other (${answer.other.groups})`, total: answer.other.total, points: answer.other.points })
  return out
}

export function isEmptyAnswer(answer: ChartAnswer): boolean {
  return answer.series.length === 0 && !answer.other
}

export function WidgetChart({ answer, chart, tableRows = 8 }: { answer: ChartAnswer; chart: ChartType; tableRows?: number }) {
  const all = lines(answer)
  const format = valueFormat(answer)
  const yLabel = `${METRIC_LABELS[answer.metric]}${UNIT_LABELS[answer.unit]}`
  const range = { from: Date.parse(answer.from), to: Date.parse(answer.to) }

  if (chart === 'number') {
    const main = all[0]
    return (
      <div className="flex h-full flex-col justify-center" data-testid="widget-number">
        <div className="text-3xl font-semibold tabular-nums text-slate-900">{formatAnswerValue(answer, main?.total ?? null)}</div>
        <div className="text-xs text-slate-500">
          {main && answer.group_by ? `${main.name} · top of ${all.length} groups by ${answer.group_by}` : METRIC_LABELS[answer.metric]}
        </div>
      </div>
    )
  }

  if (chart === 'table') {
    const columns: ColumnDef<Line, any>[] = [
      { accessorKey: 'name', header: answer.group_by ?? 'group', cell: (info) => <span className="font-mono text-xs">{info.getValue()}</span> },
      { accessorKey: 'total', header: yLabel, meta: { numeric: true }, sortingFn: 'basic', cell: (info) => formatAnswerValue(answer, info.getValue()) },
    ]
    return <DataTable rows={all} columns={columns} pageSize={tableRows} filterPlaceholder="Filter groups" empty="No data" testId="widget-table" />
  }

  if (answer.bucket_seconds && all.every((l) => l.points)) {
    const times = all[0]?.points?.map((p) => Date.parse(p.t)) ?? []
    const data = times.map((t, i) => {
      const row: Record<string, number | null> & { t: number } = { t }
      for (const line of all) row[line.key] = line.points?.[i]?.value ?? null
      return row
    })
    const kind: SeriesSpec['kind'] = chart === 'bar' ? 'bar' : chart === 'stacked' ? 'area' : 'line'
    const series: SeriesSpec[] = all.map((line) => ({ key: line.key, name: line.name, kind, stack: chart === 'stacked' || chart === 'bar' ? 'all' : undefined }))
    return <TimeSeriesChart data={data} series={series} yLabel={yLabel} yFormat={format} range={range} bucketSeconds={answer.bucket_seconds} />
  }

  // Without a bucket: one bar per group.
  const data = all.map((line) => ({ group: line.name, value: line.total }))
  const long = data.length > 6 || data.some((d) => d.group.length > 14)
  return <CategoryBarChart data={data} categoryKey="group" categoryLabel={answer.group_by ?? ''} series={[{ key: 'value', name: yLabel }]} yLabel={yLabel} yFormat={format} angledTicks={long} />
}
