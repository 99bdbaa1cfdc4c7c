'use client'

// Structured-output loops: headline validity and loop cost, the depth histogram, and the same
// numbers per model and per schema.
import { createColumnHelper, type ColumnDef } from '@tanstack/react-table'
import { CategoryBarChart } from '@/components/charts/category-bar-chart'
import { ChartCard } from '@/components/charts/chart-card'
import { percent } from '@/components/charts/chart-format'
import { DataTable } from '@/components/ui/data-table'
import type { ObjectStats, StructuredOutputReport } from '@/lib/analytics/structured-output'
import { formatCount, formatUsd } from '@/lib/format'
import { EmptyHint } from './empty-hint'
import { Stat } from './stat'

type Row = ObjectStats & { name: string }
const column = createColumnHelper<Row>()
const num = (value: number | null, digits: number) => (value === null ? '—' : value.toFixed(digits))

function columns(label: string): ColumnDef<Row, any>[] {
  return [
    column.accessor('name', { header: label, cell: (info) => <span className="font-medium">{info.getValue()}</span> }),
    column.accessor('objects', { header: 'Objects', meta: { numeric: true }, cell: (info) => formatCount(info.getValue()) }),
    column.accessor('first_try_valid_rate', { header: 'Valid at first try', meta: { numeric: true }, cell: (info) => percent(info.getValue(), 1) }),
    column.accessor('eventual_valid_rate', { header: 'Valid in the end', meta: { numeric: true }, cell: (info) => percent(info.getValue(), 1) }),
    column.accessor('mean_attempts', { header: 'Mean attempts', meta: { numeric: true }, cell: (info) => num(info.getValue(), 3) }),
    column.accessor('attempts_p95', { header: 'p95 attempts', meta: { numeric: true }, cell: (info) => num(info.getValue(), 0) }),
    column.accessor('cost_per_valid_object_usd', { header: 'Cost per valid object', meta: { numeric: true }, cell: (info) => (info.getValue() === null ? '—' : formatUsd(info.getValue())) }),
    column.accessor('loop_cost_share', { header: 'Loop cost share', meta: { numeric: true }, cell: (info) => percent(info.getValue(), 1) }),
  ]
}

export function StructuredOutputView({ report }: { report: StructuredOutputReport }) {
  const { overall } = report
  if (overall.objects === 0) {
    return (
      <EmptyHint>
        No structured outputs in this time range. Report whether a call&apos;s output validated against its schema with <code className="font-mono">flightline.output.schema_valid</code> (or the
        native <code className="font-mono">schema_valid</code>) and name the schema with <code className="font-mono">flightline.output.schema</code>; re-prompts after an invalid output are found
        like any retry.
      </EmptyHint>
    )
  }
  const models: Row[] = report.by_model.map(({ model, ...stats }) => ({ name: model || '(unnamed)', ...stats }))
  const schemas: Row[] = report.by_schema.map(({ schema, ...stats }) => ({ name: schema, ...stats }))
  return (
    <div className="space-y-4">
      <div className="grid grid-cols-2 gap-3 md:grid-cols-6" data-testid="structured-summary">
        <Stat label="Objects" value={formatCount(overall.objects)} />
        <Stat label="Valid at first try" value={percent(overall.first_try_valid_rate, 1)} />
        <Stat label="Valid in the end" value={percent(overall.eventual_valid_rate, 1)} />
        <Stat label="Attempts (mean / p95)" value={`${num(overall.mean_attempts, 2)} / ${num(overall.attempts_p95, 0)}`} />
        <Stat label="Cost per valid object" value={overall.cost_per_valid_object_usd === null ? '—' : formatUsd(overall.cost_per_valid_object_usd)} />
        <Stat label="Loop cost share" value={percent(overall.loop_cost_share, 1)} tone={(overall.loop_cost_share ?? 0) > 0.05 ? 'bad' : undefined} />
      </div>
      <p className="text-sm text-slate-600" data-testid="structured-verdict">
        {percent(overall.first_try_valid_rate, 1)} of objects were valid at the first try and {percent(overall.eventual_valid_rate, 1)} in the end; the re-prompts after the first attempt took{' '}
        {percent(overall.loop_cost_share, 1)} of what structured calls cost.
      </p>
      <div className="grid grid-cols-1 gap-4 xl:grid-cols-2">
        <ChartCard title="Loop depth" subtitle="Objects by the number of attempts they took, and how many of them ended valid" testId="chart-depth">
          <CategoryBarChart
            data={report.depth}
            categoryKey="attempts"
            categoryLabel="Attempts per object"
            series={[
              { key: 'objects', name: 'Objects', color: '#64748b' },
              { key: 'valid', name: 'Ended valid', color: '#059669' },
            ]}
            yLabel="Objects"
            yFormat="count"
          />
        </ChartCard>
        <ChartCard title="Validity by model" subtitle="Share of objects valid at the first try and in the end (%)" testId="chart-validity">
          <CategoryBarChart
            data={models.slice(0, 10)}
            categoryKey="name"
            categoryLabel="Model"
            series={[
              { key: 'first_try_valid_rate', name: 'Valid at first try', color: '#d97706' },
              { key: 'eventual_valid_rate', name: 'Valid in the end', color: '#059669' },
            ]}
            yLabel="Objects (%)"
            yFormat="percent"
          />
        </ChartCard>
      </div>
      <section className="space-y-2">
        <h2 className="text-sm font-semibold">By model</h2>
        <DataTable rows={models} columns={columns('Model')} initialSort={[{ id: 'objects', desc: true }]} filterPlaceholder="Filter models" empty="No structured outputs." testId="structured-models-table" />
      </section>
      <section className="space-y-2">
        <h2 className="text-sm font-semibold">By schema</h2>
        <DataTable rows={schemas} columns={columns('Schema')} initialSort={[{ id: 'objects', desc: true }]} filterPlaceholder="Filter schemas" empty="No structured outputs." testId="structured-schemas-table" />
      </section>
    </div>
  )
}
