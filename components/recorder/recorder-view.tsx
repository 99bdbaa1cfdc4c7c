'use client'

// Recorder completeness: the score overall and per service, a matrix of present rates (service x
// field), and per service what it fails to send with the attribute to set, per SDK.
import { createColumnHelper } from '@tanstack/react-table'
import { percent } from '@/components/charts/chart-format'
import { EmptyHint } from '@/components/analytics/empty-hint'
import { Stat } from '@/components/analytics/stat'
import { DataTable } from '@/components/ui/data-table'
import type { FieldRate, RecorderReport, ServiceRecorder } from '@/lib/recorder/completeness'
import { formatCount } from '@/lib/format'

export interface FieldGuide {
  field: string
  weight: number
  otel: string
  openinference: string
  vercel_ai: string
  native: string
}

const label = (field: string) => field.replace(/_/g, ' ')

function rateTone(rate: number | undefined): string {
  if (rate === undefined) return 'bg-slate-50 text-slate-400'
  if (rate >= 0.99) return 'bg-emerald-50 text-emerald-800'
  if (rate >= 0.8) return 'bg-amber-50 text-amber-800'
  return 'bg-red-50 text-red-800'
}

const service = createColumnHelper<ServiceRecorder>()

function serviceColumns(fields: string[]) {
  return [
    service.accessor((row) => `${row.service || '(no service.name)'} ${row.version || '(no version)'}`, {
      id: 'service',
      header: 'Service and version',
      cell: (info) => (
        <span className="font-medium">
          {info.row.original.service || '(no service.name)'} <span className="font-mono text-xs text-slate-500">{info.row.original.version || '(no version)'}</span>
        </span>
      ),
    }),
    service.accessor('score', { header: 'Score', meta: { numeric: true }, cell: (info) => <span className="font-semibold">{percent(info.getValue(), 0)}</span> }),
    service.accessor('spans', { header: 'Calls', meta: { numeric: true }, cell: (info) => formatCount(info.getValue()) }),
    ...fields.map((field) =>
      service.accessor((row) => row.fields.find((f) => f.field === field)?.present_rate ?? -1, {
        id: field,
        header: label(field),
        meta: { numeric: true },
        cell: (info) => {
          const rate = info.row.original.fields.find((f) => f.field === field)
          return (
            <span className={`inline-block min-w-12 rounded px-1.5 py-0.5 text-xs tabular-nums ${rateTone(rate?.present_rate)}`} title={rate ? `${rate.present} of ${rate.applicable}` : 'does not apply'}>
              {rate ? percent(rate.present_rate, 0) : 'n/a'}
            </span>
          )
        },
      }),
    ),
  ]
}

function Fixes({ row, guide }: { row: ServiceRecorder; guide: FieldGuide[] }) {
  const failing = row.fields.filter((f) => f.present_rate < 1).sort((a, b) => a.present_rate - b.present_rate)
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid="recorder-fixes">
      <h3 className="text-sm font-semibold">
        {row.service || '(no service.name)'} <span className="font-mono text-xs font-normal text-slate-500">{row.version || '(no version)'}</span>{' '}
        <span className="font-normal text-slate-500">· score {percent(row.score, 0)}</span>
      </h3>
      {failing.length === 0 ? (
        <p className="mt-1 text-sm text-emerald-700">Sends everything an incident review needs.</p>
      ) : (
        <table className="mt-2 w-full text-sm">
          <thead>
            <tr className="text-left text-xs uppercase tracking-wide text-slate-500">
              <th className="py-1 pr-3 font-medium">Missing</th>
              <th className="py-1 pr-3 text-right font-medium">Present</th>
              <th className="py-1 pr-3 font-medium">OTel GenAI: set</th>
              <th className="py-1 pr-3 font-medium">OpenInference</th>
              <th className="py-1 pr-3 font-medium">Vercel AI SDK</th>
              <th className="py-1 font-medium">JSON API: send</th>
            </tr>
          </thead>
          <tbody>
            {failing.map((f: FieldRate) => {
              const fix = guide.find((g) => g.field === f.field)
              return (
                <tr key={f.field} className="border-t border-slate-100 align-top">
                  <td className="py-1.5 pr-3 font-medium">{label(f.field)}</td>
                  <td className="py-1.5 pr-3 text-right tabular-nums" title={`${f.present} of ${f.applicable} calls`}>
                    {percent(f.present_rate, 0)} <span className="text-xs text-slate-500">({formatCount(f.present)}/{formatCount(f.applicable)})</span>
                  </td>
                  <td className="py-1.5 pr-3 font-mono text-xs">{fix?.otel}</td>
                  <td className="py-1.5 pr-3 font-mono text-xs">{fix?.openinference}</td>
                  <td className="py-1.5 pr-3 font-mono text-xs">{fix?.vercel_ai}</td>
                  <td className="py-1.5 font-mono text-xs">{fix?.native}</td>
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
    </section>
  )
}

export function RecorderView({ report, guide }: { report: RecorderReport; guide: FieldGuide[] }) {
  if (report.by_service.length === 0) {
    return (
      <EmptyHint testId="recorder-empty">
        No model or tool calls in this time range. The recorder score looks at spans of kind <code className="font-mono">llm</code> and <code className="font-mono">tool</code> and checks that each
        carries what an incident review needs: send <code className="font-mono">gen_ai.*</code> attributes over OTLP (or the matching JSON fields), with{' '}
        <code className="font-mono">service.name</code> and <code className="font-mono">service.version</code> as resource attributes so each service is scored on its own.
      </EmptyHint>
    )
  }
  const fields = guide.map((g) => g.field).filter((field) => report.fields.some((f) => f.field === field))
  const worst = report.by_service[0]
  return (
    <div className="space-y-4">
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4" data-testid="recorder-summary">
        <Stat label="Recorder score" value={percent(report.score, 0)} tone={report.score !== null && report.score >= 0.95 ? 'good' : 'bad'} />
        <Stat label="Services" value={formatCount(report.by_service.length)} />
        <Stat label="Fields below 100%" value={formatCount(report.fields.filter((f) => f.present_rate < 1).length)} />
        <Stat label="Lowest service" value={`${worst.service || '(none)'} ${percent(worst.score, 0)}`} tone={worst.score !== null && worst.score < 0.95 ? 'bad' : undefined} />
      </div>
      <section className="space-y-2">
        <h2 className="text-sm font-semibold">Present rate per field and service</h2>
        <p className="text-xs text-slate-500">
          Share of the calls a field applies to that carry it (model calls; tool calls for tool arguments and results). Hover a cell for the exact counts. The score weighs each field
          ({guide.map((g) => `${label(g.field)} ×${g.weight}`).join(', ')}).
        </p>
        <DataTable rows={report.by_service} columns={serviceColumns(fields)} initialSort={[{ id: 'score', desc: false }]} filterPlaceholder="Filter services" empty="No services." testId="recorder-services-table" />
      </section>
      <section className="space-y-2">
        <h2 className="text-sm font-semibold">What each service fails to send, and how to fix it</h2>
        <div className="grid grid-cols-1 gap-3">
          {report.by_service.map((row) => (
            <Fixes key={`${row.service}\0${row.version}`} row={row} guide={guide} />
          ))}
        </div>
      </section>
    </div>
  )
}
