'use client'

// The guardrail latency page: end-to-end time beside the model time alone, a waterfall of the
// stages' medians around the model calls, the request paths side by side (p50 and p95), and the
// stages table.
import { createColumnHelper } from '@tanstack/react-table'
import { CategoryBarChart } from '@/components/charts/category-bar-chart'
import { ChartCard } from '@/components/charts/chart-card'
import { percent } from '@/components/charts/chart-format'
import { DataTable } from '@/components/ui/data-table'
import type { PathSummary, StageSummary } from '@/lib/analytics/guardrail-stages'
import type { GuardrailsReport } from '@/lib/analytics/guardrails'
import { formatCount, formatDuration } from '@/lib/format'
import { Stat } from './stat'

const KIND_COLORS = { guardrail: '#d97706', moderation: '#db2777', model: '#2563eb' } as const
const PATH_LABELS: Record<PathSummary['path'], string> = { clean: 'clean', refused: 'refused', blocked: 'blocked', reformulated: 'reformulated' }
const ms = (value: number | null) => (value === null ? '—' : formatDuration(value))

interface WaterfallRow {
  label: string
  detail: string
  kind: keyof typeof KIND_COLORS
  start: number
  length: number
}

/** Stages placed by their medians: before-stages one after another, the model, then after-stages; parallel ones beside the model. */
function waterfallRows(report: GuardrailsReport): WaterfallRow[] {
  const rows: WaterfallRow[] = []
  let t = 0
  const requests = Math.max(1, report.requests.count)
  const row = (stage: StageSummary, start: number) => ({
    label: stage.name,
    detail: `${stage.position} · p50 ${ms(stage.p50_ms)} · p95 ${ms(stage.p95_ms)} · ${percent(Math.min(1, stage.calls / requests), 0)} of requests`,
    kind: stage.kind,
    start,
    length: stage.p50_ms ?? 0,
  })
  for (const stage of report.stages.filter((s) => s.position === 'before')) {
    rows.push(row(stage, t))
    t += stage.p50_ms ?? 0
  }
  const modelStart = t
  const model = report.requests.model_p50_ms ?? 0
  rows.push({ label: 'model calls', detail: `summed per request · p50 ${ms(report.requests.model_p50_ms)} · p95 ${ms(report.requests.model_p95_ms)}`, kind: 'model', start: modelStart, length: model })
  for (const stage of report.stages.filter((s) => s.position === 'parallel')) rows.push(row(stage, modelStart))
  t = modelStart + model
  for (const stage of report.stages.filter((s) => s.position === 'after')) {
    rows.push(row(stage, t))
    t += stage.p50_ms ?? 0
  }
  return rows
}

function ticks(max: number): number[] {
  const step = [50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10_000, 20_000, 50_000].find((s) => max / s <= 8) ?? Math.ceil(max / 8)
  return Array.from({ length: Math.floor(max / step) + 1 }, (_, i) => i * step)
}

function Waterfall({ rows }: { rows: WaterfallRow[] }) {
  const end = Math.max(1, ...rows.map((r) => r.start + r.length))
  const scale = (v: number) => `${(v / end) * 100}%`
  return (
    <div className="space-y-1 text-xs" data-testid="waterfall">
      {rows.map((r) => (
        <div key={`${r.kind}:${r.label}`} className="grid grid-cols-[17rem_1fr] items-center gap-3">
          <div className="truncate" title={r.detail}>
            <span className="font-medium text-slate-800">{r.label}</span>
            <div className="truncate text-[11px] text-slate-500">{r.detail}</div>
          </div>
          <div className="relative h-5 rounded bg-slate-50">
            <div className="absolute top-0 h-5 rounded" style={{ left: scale(r.start), width: `max(2px, ${scale(r.length)})`, background: KIND_COLORS[r.kind] }} title={r.detail} />
          </div>
        </div>
      ))}
      <div className="grid grid-cols-[17rem_1fr] gap-3 pt-1">
        <div className="text-right text-[11px] text-slate-500">time since the request started (ms)</div>
        <div className="relative h-4 border-t border-slate-300 text-[11px] text-slate-500">
          {ticks(end).map((tick) => (
            <span key={tick} className="absolute -translate-x-1/2 pt-0.5" style={{ left: scale(tick) }}>
              {formatCount(tick)}
            </span>
          ))}
        </div>
      </div>
      <div className="flex gap-4 pt-3 text-[11px] text-slate-600">
        {Object.entries(KIND_COLORS).map(([kind, color]) => (
          <span key={kind} className="flex items-center gap-1">
            <span className="inline-block h-2.5 w-2.5 rounded-sm" style={{ background: color }} />
            {kind === 'model' ? 'model calls' : kind}
          </span>
        ))}
      </div>
    </div>
  )
}

const stageColumn = createColumnHelper<StageSummary>()
const STAGE_COLUMNS = [
  stageColumn.accessor('name', { header: 'Stage', cell: (info) => <span className="font-medium">{info.getValue()}</span> }),
  stageColumn.accessor('kind', { header: 'Kind' }),
  stageColumn.accessor('position', { header: 'Position' }),
  stageColumn.accessor('calls', { header: 'Calls', meta: { numeric: true }, cell: (info) => formatCount(info.getValue()) }),
  stageColumn.accessor('p50_ms', { header: 'p50', meta: { numeric: true }, cell: (info) => ms(info.getValue()) }),
  stageColumn.accessor('p95_ms', { header: 'p95', meta: { numeric: true }, cell: (info) => ms(info.getValue()) }),
  stageColumn.accessor('serial_share', { header: 'Serial share', meta: { numeric: true }, cell: (info) => percent(info.getValue(), 1) }),
  stageColumn.accessor('block_rate', { header: 'Blocked or flagged', meta: { numeric: true }, cell: (info) => percent(info.getValue(), 2) }),
]

const pathColumn = createColumnHelper<PathSummary>()
const PATH_COLUMNS = [
  pathColumn.accessor('path', { header: 'Path', cell: (info) => <span className="font-medium">{PATH_LABELS[info.getValue()]}</span> }),
  pathColumn.accessor('requests', { header: 'Requests', meta: { numeric: true }, cell: (info) => formatCount(info.getValue()) }),
  pathColumn.accessor('share', { header: 'Share', meta: { numeric: true }, cell: (info) => percent(info.getValue(), 1) }),
  pathColumn.accessor('p50_ms', { header: 'p50', meta: { numeric: true }, cell: (info) => ms(info.getValue()) }),
  pathColumn.accessor('p95_ms', { header: 'p95', meta: { numeric: true }, cell: (info) => ms(info.getValue()) }),
  pathColumn.accessor('mean_model_calls', { header: 'Model calls', meta: { numeric: true }, cell: (info) => info.getValue()?.toFixed(2) ?? '—' }),
  pathColumn.accessor('mean_guardrail_calls', { header: 'Guardrail calls', meta: { numeric: true }, cell: (info) => info.getValue()?.toFixed(2) ?? '—' }),
]

export function GuardrailsView({ report }: { report: GuardrailsReport }) {
  const { requests } = report
  if (requests.count === 0) {
    return (
      <div className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-sm text-slate-600" data-testid="guardrails-empty">
        <p className="font-medium text-slate-800">No requests with model calls or guardrails in this time range.</p>
        <p className="mt-1">
          Send spans of kind <code>guardrail</code> (OpenInference <code>GUARDRAIL</code> spans and <code>apply_guardrail</code> operations are read as such) beside your model calls, mark a block with the
          attribute <code>guardrail.action=block</code>, or load demo data from the Traces page. Pick a longer time range if your traffic is older.
        </p>
      </div>
    )
  }
  const tax = requests.p50_ms !== null && requests.model_p50_ms !== null ? requests.p50_ms - requests.model_p50_ms : null
  const paths = report.paths.filter((p) => p.requests > 0).map((p) => ({ ...p, label: PATH_LABELS[p.path] }))
  return (
    <div className="space-y-4">
      <div className="grid grid-cols-2 gap-3 md:grid-cols-5" data-testid="guardrails-summary">
        <Stat label="Requests" value={formatCount(requests.count)} />
        <Stat label="End to end p50 / p95" value={`${ms(requests.p50_ms)} / ${ms(requests.p95_ms)}`} />
        <Stat label="Model alone p50 / p95" value={`${ms(requests.model_p50_ms)} / ${ms(requests.model_p95_ms)}`} />
        <Stat label="Median time outside the model" value={ms(tax)} tone={tax !== null && requests.model_p50_ms !== null && tax > requests.model_p50_ms ? 'bad' : undefined} />
        <Stat label="Guardrail stages" value={formatCount(report.stages.length)} />
      </div>
      {report.sample.fraction < 1 && (
        <p className="text-xs text-slate-500" data-testid="guardrails-sample">
          Quantiles and shares from a sample of {formatCount(report.sample.requests)} requests ({percent(report.sample.fraction, 1)} of traces, chosen by trace id); counts are scaled to the range.
        </p>
      )}
      <div className="grid grid-cols-1 gap-4 xl:grid-cols-2">
        <ChartCard title="Waterfall of medians" subtitle="Each stage at its median duration, in the order a request meets it (a stage only some requests run is drawn too; its share is beside it); stages beside the model overlap its bar" empty={false} height={Math.max(220, 35 * (report.stages.length + 1) + 70)} testId="chart-waterfall">
          <Waterfall rows={waterfallRows(report)} />
        </ChartCard>
        <ChartCard title="Paths side by side" subtitle="End-to-end duration of the requests on each path (ms): median and 95th percentile" empty={paths.length === 0} testId="chart-paths">
          <CategoryBarChart
            data={paths}
            categoryKey="label"
            categoryLabel="Path"
            yLabel="Duration"
            yFormat="ms"
            series={[
              { key: 'p50_ms', name: 'p50', color: '#64748b' },
              { key: 'p95_ms', name: 'p95', color: '#dc2626' },
            ]}
          />
        </ChartCard>
      </div>
      <section className="space-y-2">
        <h2 className="text-sm font-semibold">Paths</h2>
        <p className="text-xs text-slate-500">A request is on every path that applies: a reformulated request (a refusal followed by another model call) is refused as well.</p>
        <DataTable rows={report.paths} columns={PATH_COLUMNS} initialSort={[{ id: 'p95_ms', desc: true }]} empty="No requests." testId="paths-table" />
      </section>
      <section className="space-y-2">
        <h2 className="text-sm font-semibold">Stages</h2>
        <DataTable
          rows={report.stages}
          columns={STAGE_COLUMNS}
          initialSort={[{ id: 'p50_ms', desc: true }]}
          filterPlaceholder="Filter stages"
          empty="No guardrail spans in this time range: the requests ran their model calls only."
          testId="stages-table"
        />
      </section>
    </div>
  )
}
