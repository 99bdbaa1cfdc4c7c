'use client'

// Retry accounting: headline numbers, runaways, what retrying each error class costs and
// returns, and retries per model.
import { createColumnHelper } from '@tanstack/react-table'
import Link from 'next/link'
import { CategoryBarChart } from '@/components/charts/category-bar-chart'
import { ChartCard } from '@/components/charts/chart-card'
import { percent } from '@/components/charts/chart-format'
import { DataTable } from '@/components/ui/data-table'
import type { ErrorRetries, ModelRetries, RetriesReport, Runaway } from '@/lib/analytics/retries'
import { formatCount, formatDuration, formatTime, formatUsd } from '@/lib/format'
import { EmptyHint } from './empty-hint'
import { Stat } from './stat'

const runaway = createColumnHelper<Runaway>()
const byError = createColumnHelper<ErrorRetries>()
const byModel = createColumnHelper<ModelRetries>()

const FOUND_BY: Record<Runaway['found_by'], string> = { explicit: 'retry attributes', inferred: 'inferred from siblings', both: 'attributes and inference' }

const ERROR_COLUMNS = [
  byError.accessor('error_type', { header: 'First attempt failed with', cell: (info) => <span className="font-mono text-xs">{info.getValue()}</span> }),
  byError.accessor('retried_calls', { header: 'Retried calls', meta: { numeric: true }, cell: (info) => formatCount(info.getValue()) }),
  byError.accessor('attempts', { header: 'Attempts', meta: { numeric: true }, cell: (info) => formatCount(info.getValue()) }),
  byError.accessor('eventual_success_rate', { header: 'Retry paid off', meta: { numeric: true }, cell: (info) => percent(info.getValue(), 1) }),
  byError.accessor('retry_cost_usd', { header: 'Retry cost', meta: { numeric: true }, cell: (info) => formatUsd(info.getValue()) }),
]

const MODEL_COLUMNS = [
  byModel.accessor('model', { header: 'Model', cell: (info) => <span className="font-medium">{info.getValue() || '(unnamed)'}</span> }),
  byModel.accessor('logical_calls', { header: 'Logical calls', meta: { numeric: true }, cell: (info) => formatCount(info.getValue()) }),
  byModel.accessor('attempts', { header: 'Attempts', meta: { numeric: true }, cell: (info) => formatCount(info.getValue()) }),
  byModel.accessor((row) => (row.logical_calls > 0 ? row.attempts / row.logical_calls : null), { id: 'per_call', header: 'Attempts per call', meta: { numeric: true }, cell: (info) => (info.getValue() === null ? '—' : (info.getValue() as number).toFixed(3)) }),
  byModel.accessor('retry_cost_usd', { header: 'Retry cost', meta: { numeric: true }, cell: (info) => formatUsd(info.getValue()) }),
]

export function RetriesView({ projectId, report, linkTraces }: { projectId: string; report: RetriesReport; linkTraces: boolean }) {
  const { totals } = report
  if (totals.attempts === 0) {
    return (
      <EmptyHint>
        No model calls in this time range. Retries are counted from model-call spans: mark a retry with <code className="font-mono">flightline.retry.attempt</code> and{' '}
        <code className="font-mono">flightline.retry.of</code> (or the native <code className="font-mono">retry_attempt</code> / <code className="font-mono">retry_of</code>), or let Flightline
        infer it: a call with the same parent and name that starts after a failed one is its retry.
      </EmptyHint>
    )
  }
  const runawayColumns = [
    runaway.accessor('name', {
      header: 'Call',
      cell: (info) =>
        linkTraces ? (
          <Link href={`/projects/${projectId}/traces/${encodeURIComponent(info.row.original.trace_id)}`} className="font-medium text-blue-700 hover:underline">
            {info.getValue()}
          </Link>
        ) : (
          <span className="font-medium">{info.getValue()}</span>
        ),
    }),
    runaway.accessor('attempts', { header: 'Attempts', meta: { numeric: true }, cell: (info) => `${formatCount(info.getValue())} (${formatCount(info.row.original.failed_attempts)} failed)` }),
    runaway.accessor('first_at', { header: 'From (UTC)', cell: (info) => <span className="font-mono text-xs">{formatTime(info.getValue()).slice(0, 19)}</span> }),
    runaway.accessor('duration_ms', { header: 'Ran for', meta: { numeric: true }, cell: (info) => formatRunTime(info.getValue()) }),
    runaway.accessor('cost_usd', { header: 'Cost', meta: { numeric: true }, cell: (info) => formatUsd(info.getValue()) }),
    runaway.accessor('tokens', { header: 'Tokens', meta: { numeric: true }, cell: (info) => formatCount(info.getValue()) }),
    runaway.accessor('traces', { header: 'Traces', meta: { numeric: true }, cell: (info) => formatCount(info.getValue()) }),
    runaway.accessor('found_by', { header: 'Linked by', cell: (info) => FOUND_BY[info.getValue()] }),
  ]
  return (
    <div className="space-y-4">
      <div className="grid grid-cols-2 gap-3 md:grid-cols-6" data-testid="retries-summary">
        <Stat label="Logical calls" value={formatCount(totals.logical_calls)} />
        <Stat label="Attempts" value={`${formatCount(totals.attempts)} (${(totals.attempts / Math.max(1, totals.logical_calls)).toFixed(2)}×)`} />
        <Stat label="Retried calls" value={formatCount(totals.retried_calls)} tone={totals.retried_calls > 0 ? 'bad' : undefined} />
        <Stat label="Cost" value={formatUsd(totals.cost_usd)} />
        <Stat label="Spent on retries" value={`${formatUsd(totals.retry_cost_usd)} (${percent(totals.cost_usd > 0 ? totals.retry_cost_usd / totals.cost_usd : null, 1)})`} tone={totals.retry_cost_usd > 0 ? 'bad' : undefined} />
        <Stat label="Retry tokens" value={formatCount(totals.retry_tokens)} />
      </div>
      <section className="space-y-2">
        <h2 className="text-sm font-semibold">Runaways</h2>
        <p className="text-xs text-slate-500">
          Retried calls of one name in one session (or user) that follow each other within 30 minutes form one loop; a loop is a runaway with at least 20 attempts of which at least 80% failed. Costliest first.
        </p>
        <DataTable rows={report.runaways} columns={runawayColumns} initialSort={[{ id: 'cost_usd', desc: true }]} empty="No runaway: no retry loop reached 20 mostly failing attempts in this time range." testId="runaways-table" />
      </section>
      <div className="grid grid-cols-1 gap-4 xl:grid-cols-2">
        <ChartCard title="Does retrying pay?" subtitle="Per error of the first attempt: share of retried calls that succeeded later (%)" empty={report.by_error.length === 0} emptyText="No call failed at its first attempt." testId="chart-eventual-success">
          <CategoryBarChart
            data={report.by_error.slice(0, 12).map((e) => ({ error: e.error_type, rate: e.eventual_success_rate }))}
            categoryKey="error"
            categoryLabel="Error of the first attempt"
            series={[{ key: 'rate', name: 'Eventual success rate', color: '#059669' }]}
            yLabel="Succeeded later (%)"
            yFormat="percent"
          />
        </ChartCard>
        <ChartCard title="Retry cost by error" subtitle="USD spent on the attempts after the first, per error of the first attempt" empty={report.by_error.length === 0} emptyText="No call failed at its first attempt." testId="chart-retry-cost">
          <CategoryBarChart
            data={report.by_error.slice(0, 12).map((e) => ({ error: e.error_type, cost: e.retry_cost_usd }))}
            categoryKey="error"
            categoryLabel="Error of the first attempt"
            series={[{ key: 'cost', name: 'Retry cost (USD)', color: '#dc2626' }]}
            yLabel="Retry cost (USD)"
            yFormat="usd"
          />
        </ChartCard>
      </div>
      <div className="space-y-4">
        <section className="space-y-2">
          <h2 className="text-sm font-semibold">By error</h2>
          <DataTable rows={report.by_error} columns={ERROR_COLUMNS} initialSort={[{ id: 'retry_cost_usd', desc: true }]} filterPlaceholder="Filter errors" empty="No call failed at its first attempt." testId="errors-table" />
        </section>
        <section className="space-y-2">
          <h2 className="text-sm font-semibold">By model</h2>
          <DataTable rows={report.by_model} columns={MODEL_COLUMNS} initialSort={[{ id: 'retry_cost_usd', desc: true }]} filterPlaceholder="Filter models" empty="No model calls." testId="models-table" />
        </section>
      </div>
    </div>
  )
}

function formatRunTime(ms: number): string {
  if (ms >= 3_600_000) return `${(ms / 3_600_000).toFixed(1)} h`
  return formatDuration(ms)
}
