'use client'

// Tokenizer drift: billed/local ratio by script per model, margin breaches over time, and the
// model x script table.
import { createColumnHelper } from '@tanstack/react-table'
import { CategoryBarChart } from '@/components/charts/category-bar-chart'
import { ChartCard } from '@/components/charts/chart-card'
import { percent, seriesColor } from '@/components/charts/chart-format'
import { TimeSeriesChart } from '@/components/charts/time-series-chart'
import { DataTable } from '@/components/ui/data-table'
import type { ModelScriptDrift, TokenizerReport } from '@/lib/analytics/tokenizer'
import { formatCount } from '@/lib/format'
import { EmptyHint } from './empty-hint'
import { bucketLabel, Stat } from './stat'

const column = createColumnHelper<ModelScriptDrift>()
const ratio = (value: number | null) => (value === null ? '—' : `${value.toFixed(2)}×`)
const SCRIPT_COLORS: Record<string, string> = { latin: '#1d4ed8', cjk: '#dc2626', cyrillic: '#7c3aed', arabic: '#059669', devanagari: '#d97706', other: '#64748b' }

const COLUMNS = [
  column.accessor('model', { header: 'Model', cell: (info) => <span className="font-medium">{info.getValue() || '(unnamed)'}</span> }),
  column.accessor('script', { header: 'Script' }),
  column.accessor('calls', { header: 'Calls', meta: { numeric: true }, cell: (info) => formatCount(info.getValue()) }),
  column.accessor('local_tokens', { header: 'Local tokens', meta: { numeric: true }, cell: (info) => formatCount(info.getValue()) }),
  column.accessor('billed_tokens', { header: 'Billed tokens', meta: { numeric: true }, cell: (info) => formatCount(info.getValue()) }),
  column.accessor('ratio', { header: 'Billed / local', meta: { numeric: true }, cell: (info) => ratio(info.getValue()) }),
  column.accessor('ratio_p95', { header: 'p95 per call', meta: { numeric: true }, cell: (info) => ratio(info.getValue()) }),
  column.accessor('breaches', { header: 'Breaches', meta: { numeric: true }, cell: (info) => <span className={info.getValue() > 0 ? 'font-semibold text-red-700' : ''}>{formatCount(info.getValue())}</span> }),
]

export function TokenizerView({ report }: { report: TokenizerReport }) {
  const rows = report.by_model_script
  if (rows.length === 0) {
    return (
      <EmptyHint>
        No model call in this time range reports a local token count. Send your own count of the input tokens with <code className="font-mono">flightline.tokens.local_input</code> (or the native{' '}
        <code className="font-mono">local_input_tokens</code>) next to the provider&apos;s usage, and this view compares them by model and by the script of the input.
      </EmptyHint>
    )
  }
  const calls = rows.reduce((sum, r) => sum + r.calls, 0)
  const breaches = rows.reduce((sum, r) => sum + r.breaches, 0)
  const worst = rows.reduce<ModelScriptDrift | undefined>((best, r) => (r.ratio !== null && (!best || r.ratio > (best.ratio ?? 0)) ? r : best), undefined)
  const scripts = [...new Set(rows.map((r) => r.script))]
  const models = [...new Set(rows.map((r) => r.model))].slice(0, 10)
  const byModel = models.map((model) => {
    const entry: Record<string, string | number | null> = { model: model || '(unnamed)' }
    for (const r of rows) if (r.model === model) entry[r.script] = r.ratio
    return entry
  })
  const range = { from: Date.parse(report.from), to: Date.parse(report.to) }
  const overTime = report.breaches_over_time.map((b) => ({ t: Date.parse(b.t), breaches: b.breaches, calls: b.calls }))
  return (
    <div className="space-y-4">
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4" data-testid="tokenizer-summary">
        <Stat label="Calls with a local count" value={formatCount(calls)} />
        <Stat label={`Breaches (margin ${percent(report.margin, 0)})`} value={`${formatCount(breaches)} (${percent(calls > 0 ? breaches / calls : null, 1)})`} tone={breaches > 0 ? 'bad' : 'good'} />
        <Stat label="Largest drift" value={worst ? `${ratio(worst.ratio)} ${worst.script}` : '—'} tone={worst && (worst.ratio ?? 0) > 1 + report.margin ? 'bad' : undefined} />
        <Stat label="On model" value={worst?.model || '—'} />
      </div>
      <div className="grid grid-cols-1 gap-4 xl:grid-cols-2">
        <ChartCard title="Billed / local by script" subtitle="Per model: billed input tokens over your local count (1.00 = they agree), token-weighted" testId="chart-ratio">
          <CategoryBarChart
            data={byModel}
            categoryKey="model"
            categoryLabel="Model"
            series={scripts.map((script, i) => ({ key: script, name: script, color: SCRIPT_COLORS[script] ?? seriesColor(i) }))}
            yLabel="Billed / local"
            yFormat="count"
          />
        </ChartCard>
        <ChartCard title="Breaches over time" subtitle={`Calls billed above the local count plus ${percent(report.margin, 0)}, per ${bucketLabel(report.bucket_seconds)}`} testId="chart-breaches">
          <TimeSeriesChart
            data={overTime}
            range={range}
            yLabel="Breaches"
            yFormat="count"
            rightLabel="Calls"
            series={[
              { key: 'breaches', name: 'Breaches', kind: 'bar', color: '#dc2626' },
              { key: 'calls', name: 'Calls with a local count', kind: 'line', color: '#64748b', axis: 'right' },
            ]}
          />
        </ChartCard>
      </div>
      <section className="space-y-2">
        <h2 className="text-sm font-semibold">By model and script</h2>
        <DataTable rows={rows} columns={COLUMNS} initialSort={[{ id: 'breaches', desc: true }]} filterPlaceholder="Filter models or scripts" empty="No calls." testId="tokenizer-table" />
      </section>
    </div>
  )
}
