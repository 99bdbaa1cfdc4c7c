'use client'

// The reranker page: changes of the serving reranker with their before/after numbers, the score
// median, top-k overlap and answer scores per model over time (changes marked), and the
// rerankers table.
import { createColumnHelper } from '@tanstack/react-table'
import { ChartCard } from '@/components/charts/chart-card'
import { percent, seriesColor } from '@/components/charts/chart-format'
import { TimeSeriesChart, type Marker } from '@/components/charts/time-series-chart'
import { DataTable } from '@/components/ui/data-table'
import type { RerankerChange, RerankerSummary } from '@/lib/analytics/reranker-agreement'
import type { RerankersReport } from '@/lib/analytics/rerankers'
import { formatCount, formatTime } from '@/lib/format'
import { bucketLabel, Stat } from './stat'

const num = (value: number | null, digits = 3) => (value === null ? '—' : value.toFixed(digits))
const shift = (before: number | null, after: number | null, digits = 3) => `${num(before, digits)} → ${num(after, digits)}`
const pValue = (p: number | null) => (p === null ? '—' : p < 1e-6 ? '< 1e-6' : p.toPrecision(2))

const rerankerColumn = createColumnHelper<RerankerSummary>()
const RERANKER_COLUMNS = [
  rerankerColumn.accessor('name', { header: 'Reranker', cell: (info) => <span className="font-medium">{info.getValue()}</span> }),
  rerankerColumn.accessor('model', { header: 'Model', cell: (info) => <span className="font-mono text-xs">{info.getValue()}</span> }),
  rerankerColumn.accessor('calls', { header: 'Calls', meta: { numeric: true }, cell: (info) => formatCount(info.getValue()) }),
  rerankerColumn.accessor('score_p10', { header: 'Score p10', meta: { numeric: true }, cell: (info) => num(info.getValue()) }),
  rerankerColumn.accessor('score_p50', { header: 'p50', meta: { numeric: true }, cell: (info) => num(info.getValue()) }),
  rerankerColumn.accessor('score_p90', { header: 'p90', meta: { numeric: true }, cell: (info) => num(info.getValue()) }),
  rerankerColumn.accessor('top_k_overlap', { header: 'Top-k overlap', meta: { numeric: true }, cell: (info) => percent(info.getValue(), 1) }),
  rerankerColumn.accessor('rank_correlation', { header: 'Rank correlation', meta: { numeric: true }, cell: (info) => num(info.getValue(), 2) }),
  rerankerColumn.accessor('answer_score_mean', { header: 'Answer score', meta: { numeric: true }, cell: (info) => num(info.getValue()) }),
]

const changeColumn = createColumnHelper<RerankerChange>()
const CHANGE_COLUMNS = [
  changeColumn.accessor('at', { header: 'At (UTC)', cell: (info) => <span className="font-mono text-xs">{formatTime(info.getValue())}</span> }),
  changeColumn.accessor((row) => `${row.from_model} → ${row.to_model}`, { id: 'models', header: 'Reranker', cell: (info) => <span className="font-mono text-xs">{info.getValue()}</span> }),
  changeColumn.accessor((row) => shift(row.score_p50_before, row.score_p50_after), { id: 'score', header: 'Score p50' }),
  changeColumn.accessor((row) => `${percent(row.overlap_before, 0)} → ${percent(row.overlap_after, 0)}`, { id: 'overlap', header: 'Top-k overlap' }),
  changeColumn.accessor((row) => shift(row.answer_score_before, row.answer_score_after), { id: 'answer', header: 'Answer score' }),
  changeColumn.accessor('significant', {
    header: 'Significant',
    cell: (info) => {
      const e = info.row.original.evidence
      return (
        <span title={`${e.calls_before} calls before, ${e.calls_after} after; p(score) ${pValue(e.score_p)}, p(overlap) ${pValue(e.overlap_p)}; level ${pValue(e.alpha)}`}>
          {info.getValue() ? <span className="font-medium text-red-700">yes</span> : 'no'}
          <span className="ml-1 text-xs text-slate-500">
            ({formatCount(e.calls_before)} / {formatCount(e.calls_after)} calls, p {pValue(Math.min(e.score_p ?? 1, e.overlap_p ?? 1))})
          </span>
        </span>
      )
    },
  }),
]

export function RerankersView({ report }: { report: RerankersReport }) {
  if (report.rerankers.length === 0) {
    return (
      <div className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-sm text-slate-600" data-testid="rerankers-empty">
        <p className="font-medium text-slate-800">No reranker calls in this time range.</p>
        <p className="mt-1">
          Send reranker spans (OpenInference <code>RERANKER</code> with <code>reranker.output_documents.N.document.id/score</code>, a GenAI <code>rerank</code> operation, or native spans of kind <code>reranker</code>{' '}
          whose output lists <code>{'{id, score}'}</code>) next to the retriever span they rerank, or load demo data from the Traces page.
        </p>
      </div>
    )
  }
  const range = { from: Date.parse(report.from), to: Date.parse(report.to) }
  const models = [...new Set(report.timeline.map((p) => p.model))]
  const byTime = new Map<number, Record<string, number | null> & { t: number }>()
  for (const point of report.timeline) {
    const t = Date.parse(point.t)
    const row: Record<string, number | null> & { t: number } = byTime.get(t) ?? { t }
    row[`score:${point.model}`] = point.score_p50
    row[`overlap:${point.model}`] = point.top_k_overlap
    row[`answer:${point.model}`] = point.answer_score_mean
    row[`calls:${point.model}`] = point.calls
    byTime.set(t, row)
  }
  const data = [...byTime.values()].sort((a, b) => a.t - b.t)
  const markers: Marker[] = report.changes.map((c) => ({ t: Date.parse(c.at), label: `${c.to_model}${c.significant ? ' (significant)' : ''}`, color: c.significant ? '#dc2626' : '#64748b' }))
  const lines = (prefix: string) => models.map((model, i) => ({ key: `${prefix}:${model}`, name: model, color: seriesColor(i) }))
  const per = bucketLabel(report.bucket_seconds)
  const significant = report.changes.filter((c) => c.significant).length
  const hasAnswers = report.timeline.some((p) => p.answer_score_mean !== null)
  return (
    <div className="space-y-4">
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4" data-testid="rerankers-summary">
        <Stat label="Reranker calls" value={formatCount(report.rerankers.reduce((s, r) => s + r.calls, 0))} />
        <Stat label="Serving models" value={formatCount(models.length)} />
        <Stat label="Changes" value={formatCount(report.changes.length)} />
        <Stat label="Significant changes" value={formatCount(significant)} tone={significant > 0 ? 'bad' : undefined} />
      </div>
      {report.sample.fraction < 1 && (
        <p className="text-xs text-slate-500">
          Scores, overlap and correlation from a sample of {formatCount(report.sample.calls)} calls ({percent(report.sample.fraction, 1)} of traces, chosen by trace id); call counts are exact.
        </p>
      )}
      <section className="space-y-2">
        <h2 className="text-sm font-semibold">Changes of the serving reranker</h2>
        <DataTable
          rows={report.changes}
          columns={CHANGE_COLUMNS}
          initialSort={[{ id: 'at', desc: false }]}
          empty="The same reranker served the whole range (a change needs the new model to serve at least 80% of calls, and 50 of them)."
          testId="changes-table"
        />
      </section>
      <div className="grid grid-cols-1 gap-4 xl:grid-cols-2">
        <ChartCard title="Score median" subtitle={`Median reranker output score per ${per} and model; lines mark changes`} testId="chart-score">
          <TimeSeriesChart data={data} range={range} syncId="rerankers" markers={markers} yLabel="Score" yFormat="count" series={lines('score')} />
        </ChartCard>
        <ChartCard title="Top-k overlap with the retriever" subtitle={`Mean share of the reranker's top k also in the retriever's top k, per ${per} (%)`} testId="chart-overlap">
          <TimeSeriesChart data={data} range={range} syncId="rerankers" markers={markers} yLabel="Overlap (%)" yFormat="percent" yDomain={[0, 1]} series={lines('overlap')} />
        </ChartCard>
        <ChartCard title="Answer score" subtitle={`Mean score of the traces each model served, per ${per}`} empty={!hasAnswers} emptyText="No scores on the traces with reranker calls." testId="chart-answer">
          <TimeSeriesChart data={data} range={range} syncId="rerankers" markers={markers} yLabel="Score" yFormat="count" series={lines('answer')} />
        </ChartCard>
        <ChartCard title="Calls" subtitle={`Reranker calls per ${per} and model`} testId="chart-calls">
          <TimeSeriesChart data={data} range={range} syncId="rerankers" markers={markers} yLabel="Calls" yFormat="count" series={models.map((model, i) => ({ key: `calls:${model}`, name: model, kind: 'bar' as const, stack: 'calls', color: seriesColor(i) }))} />
        </ChartCard>
      </div>
      <section className="space-y-2">
        <h2 className="text-sm font-semibold">Rerankers</h2>
        <DataTable rows={report.rerankers} columns={RERANKER_COLUMNS} initialSort={[{ id: 'calls', desc: true }]} filterPlaceholder="Filter rerankers" empty="No reranker calls." testId="rerankers-table" />
      </section>
    </div>
  )
}
