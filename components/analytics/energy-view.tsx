'use client'

// Energy per task: a plain statement that these are estimates and from which coefficients, energy
// per task and per model, and the coefficients each model was estimated with.
import { createColumnHelper } from '@tanstack/react-table'
import { CategoryBarChart } from '@/components/charts/category-bar-chart'
import { ChartCard } from '@/components/charts/chart-card'
import { percent } from '@/components/charts/chart-format'
import { DataTable } from '@/components/ui/data-table'
import type { EnergyReport, ModelEnergy, TaskEnergy, UsedCoefficient } from '@/lib/analytics/energy'
import { formatCount } from '@/lib/format'
import { EmptyHint } from './empty-hint'
import { Stat } from './stat'

export function formatWh(wh: number | null): string {
  if (wh === null || !Number.isFinite(wh)) return '—'
  if (wh >= 1000) return `${(wh / 1000).toFixed(2)} kWh`
  if (wh >= 1) return `${wh.toFixed(2)} Wh`
  return `${(wh * 1000).toFixed(wh * 1000 >= 10 ? 0 : 2)} mWh`
}

const task = createColumnHelper<TaskEnergy>()
const model = createColumnHelper<ModelEnergy>()
const coefficient = createColumnHelper<UsedCoefficient>()
const perWh = (value: number | null) => (value === null ? '—' : formatCount(Math.round(value)))

const TASK_COLUMNS = [
  task.accessor('task', { header: 'Task', cell: (info) => <span className="font-medium">{info.getValue()}</span> }),
  task.accessor('tasks', { header: 'Runs', meta: { numeric: true }, cell: (info) => formatCount(info.getValue()) }),
  task.accessor('requests', { header: 'Model calls', meta: { numeric: true }, cell: (info) => formatCount(info.getValue()) }),
  task.accessor('tokens', { header: 'Tokens', meta: { numeric: true }, cell: (info) => formatCount(info.getValue()) }),
  task.accessor('energy_wh', { header: 'Energy', meta: { numeric: true }, cell: (info) => formatWh(info.getValue()) }),
  task.accessor('wh_per_task', { header: 'Per run', meta: { numeric: true }, cell: (info) => formatWh(info.getValue()) }),
  task.accessor('tokens_per_wh', { header: 'Tokens per Wh', meta: { numeric: true }, cell: (info) => perWh(info.getValue()) }),
  task.accessor('cache_share', { header: 'Input from cache', meta: { numeric: true }, cell: (info) => percent(info.getValue(), 1) }),
]

const MODEL_COLUMNS = [
  model.accessor('model', { header: 'Model', cell: (info) => <span className="font-medium">{info.getValue() || '(unnamed)'}</span> }),
  model.accessor('requests', { header: 'Model calls', meta: { numeric: true }, cell: (info) => formatCount(info.getValue()) }),
  model.accessor('tokens', { header: 'Tokens', meta: { numeric: true }, cell: (info) => formatCount(info.getValue()) }),
  model.accessor('energy_wh', { header: 'Energy', meta: { numeric: true }, cell: (info) => formatWh(info.getValue()) }),
  model.accessor('tokens_per_wh', { header: 'Tokens per Wh', meta: { numeric: true }, cell: (info) => perWh(info.getValue()) }),
]

const COEFFICIENT_COLUMNS = [
  coefficient.accessor('model', { header: 'Model', cell: (info) => <span className="font-mono text-xs">{info.getValue() || '(unnamed)'}</span> }),
  coefficient.accessor('wh_per_1k_input', { header: 'Wh / 1k input', meta: { numeric: true } }),
  coefficient.accessor('wh_per_1k_cached_input', { header: 'Wh / 1k cached input', meta: { numeric: true } }),
  coefficient.accessor('wh_per_1k_output', { header: 'Wh / 1k output', meta: { numeric: true } }),
  coefficient.accessor((row) => (row.source.kind === 'table' ? `table: ${row.source.entry}` : `fallback: ${row.source.size_class} class`), {
    id: 'source',
    header: 'From',
    cell: (info) => <span className={info.row.original.source.kind === 'class' ? 'text-amber-700' : ''}>{info.getValue() as string}</span>,
  }),
]

export function EnergyView({ report }: { report: EnergyReport }) {
  if (report.tasks.length === 0) {
    return (
      <EmptyHint>
        No model calls in this time range. Energy is estimated from the tokens of model-call spans; each trace is a run of its task - its root span&apos;s name, or the{' '}
        <code className="font-mono">flightline.task</code> attribute when you set one.
      </EmptyHint>
    )
  }
  const energy = report.tasks.reduce((sum, t) => sum + t.energy_wh, 0)
  const runs = report.tasks.reduce((sum, t) => sum + t.tasks, 0)
  const tokens = report.tasks.reduce((sum, t) => sum + t.tokens, 0)
  const fallbacks = report.coefficients.filter((c) => c.source.kind === 'class').length
  return (
    <div className="space-y-4">
      <div className="rounded border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900" data-testid="energy-estimate-note">
        These are <strong>estimates</strong>, not measurements: for each call, uncached input × the input coefficient + cache reads × the cached-input coefficient + output × the output
        coefficient, in Wh per 1,000 tokens, from the energy coefficient table (seeded from published per-token estimates by model size class; administrators edit it under Administration → Energy
        coefficients). The coefficients used are listed below{fallbacks > 0 ? `; ${fallbacks} model${fallbacks > 1 ? 's are' : ' is'} not in the table and took its size class's fallback` : ''}.
      </div>
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4" data-testid="energy-summary">
        <Stat label="Estimated energy" value={formatWh(energy)} />
        <Stat label="Task runs" value={formatCount(runs)} />
        <Stat label="Per run (all tasks)" value={formatWh(runs > 0 ? energy / runs : null)} />
        <Stat label="Tokens per Wh" value={perWh(energy > 0 ? tokens / energy : null)} />
      </div>
      <div className="grid grid-cols-1 gap-4 xl:grid-cols-2">
        <ChartCard title="Energy per run, by task" subtitle="Estimated Wh per trace of each task (the 12 using most energy), on a logarithmic scale" testId="chart-wh-per-task">
          <CategoryBarChart data={report.tasks.slice(0, 12).filter((t) => (t.wh_per_task ?? 0) > 0).map((t) => ({ task: t.task, wh: t.wh_per_task }))} categoryKey="task" categoryLabel="Task" series={[{ key: 'wh', name: 'Wh per run', color: '#d97706' }]} yLabel="Wh per run (log)" yFormat="count" logScale />
        </ChartCard>
        <ChartCard title="Tokens per Wh, by model" subtitle="How many tokens one estimated watt-hour buys on each model" testId="chart-tokens-per-wh">
          <CategoryBarChart data={report.by_model.slice(0, 12).map((m) => ({ model: m.model, tpw: m.tokens_per_wh }))} categoryKey="model" categoryLabel="Model" series={[{ key: 'tpw', name: 'Tokens per Wh', color: '#059669' }]} yLabel="Tokens per Wh" yFormat="count" />
        </ChartCard>
      </div>
      <section className="space-y-2">
        <h2 className="text-sm font-semibold">Tasks</h2>
        <DataTable rows={report.tasks} columns={TASK_COLUMNS} initialSort={[{ id: 'energy_wh', desc: true }]} filterPlaceholder="Filter tasks" empty="No tasks." testId="energy-tasks-table" />
      </section>
      <div className="space-y-4">
        <section className="space-y-2">
          <h2 className="text-sm font-semibold">By model</h2>
          <DataTable rows={report.by_model} columns={MODEL_COLUMNS} initialSort={[{ id: 'energy_wh', desc: true }]} filterPlaceholder="Filter models" empty="No model calls." testId="energy-models-table" />
        </section>
        <section className="space-y-2">
          <h2 className="text-sm font-semibold">Coefficients used</h2>
          <DataTable rows={report.coefficients} columns={COEFFICIENT_COLUMNS} initialSort={[{ id: 'model', desc: false }]} filterPlaceholder="Filter models" empty="No model calls." testId="energy-coefficients-table" />
        </section>
      </div>
    </div>
  )
}
