'use client'

// The cache-thrash page: the organisation's token-weighted hit rate beside the tenants that
// matter most, volume under it, incidents shaded with their suspect, tenants ranked by the cost
// of their lost hits, and small multiples of the top tenants against the organisation.
import { createColumnHelper } from '@tanstack/react-table'
import { ChartCard } from '@/components/charts/chart-card'
import { percent } from '@/components/charts/chart-format'
import { TimeSeriesChart, type Band } from '@/components/charts/time-series-chart'
import { DataTable } from '@/components/ui/data-table'
import type { CacheReport, TenantImpact } from '@/lib/analytics/cache-thrash'
import { formatCount, formatUsd } from '@/lib/format'
import { bucketLabel, Stat } from './stat'

const TOP_LINES = 5
const SMALL_MULTIPLES = 6

type IncidentRow = CacheReport['incident_details'][number]

const tenantColumn = createColumnHelper<TenantImpact>()
const incidentColumn = createColumnHelper<IncidentRow>()
const tenantLabel = (id: string) => id || '(no tenant)'
const shortTime = (iso: string) => `${iso.slice(5, 16).replace('T', ' ')}`
/** A p value as a reader compares it: tiny ones as a bound, not a row of zeros. */
const pValue = (p: number) => (p < 1e-6 ? '< 0.000001' : p < 0.001 ? `= ${p.toExponential(1)}` : `= ${p.toFixed(3)}`)

export function CacheView({ report }: { report: CacheReport }) {
  const range = { from: Date.parse(report.from), to: Date.parse(report.to) }
  const top = report.tenant_impact.slice(0, TOP_LINES).map((t) => t.tenant_id)
  const bands: Band[] = report.incidents.map((incident) => ({
    from: Date.parse(incident.start),
    to: Date.parse(incident.end),
    label: incident.suspect_tenant_id ? `suspect: ${tenantLabel(incident.suspect_tenant_id)}` : 'incident',
  }))

  const rateData = (() => {
    const byTime = new Map<number, Record<string, number | null> & { t: number }>()
    for (const point of report.overall) {
      const t = Date.parse(point.t)
      byTime.set(t, { t, org: point.hit_rate, requests: point.requests, input: point.input_tokens })
    }
    for (const tenant of report.tenants) {
      if (!top.includes(tenant.tenant_id)) continue
      for (const point of tenant.points) {
        const row = byTime.get(Date.parse(point.t))
        if (row) row[`tenant:${tenant.tenant_id}`] = point.hit_rate
      }
    }
    return [...byTime.values()]
  })()

  const hasTraffic = report.overall.some((p) => p.requests > 0)
  const totals = report.overall.reduce((sum, p) => ({ input: sum.input + p.input_tokens, read: sum.read + p.cache_read_tokens, cost: sum.cost + p.cost_usd }), { input: 0, read: 0, cost: 0 })
  const lostCost = report.incidents.reduce((sum, i) => sum + i.extra_cost_usd, 0)

  const tenantColumns = [
    tenantColumn.accessor('tenant_id', { header: 'Tenant', cell: (info) => <span className="font-medium">{tenantLabel(info.getValue())}</span> }),
    tenantColumn.accessor('lost_hit_cost_usd', { header: 'Lost-hit cost', meta: { numeric: true }, cell: (info) => formatUsd(info.getValue()) }),
    tenantColumn.accessor('suspect_in', {
      header: 'Suspect in',
      meta: { numeric: true },
      cell: (info) => (info.getValue() > 0 ? <span className="rounded bg-red-100 px-1.5 text-red-800">{info.getValue()} incident{info.getValue() > 1 ? 's' : ''}</span> : '—'),
    }),
    tenantColumn.accessor('hit_rate', { header: 'Hit rate', meta: { numeric: true }, cell: (info) => percent(info.getValue()), sortUndefined: 'last' }),
    tenantColumn.accessor('requests', { header: 'Requests', meta: { numeric: true }, cell: (info) => formatCount(info.getValue()) }),
    tenantColumn.accessor('input_tokens', { header: 'Input tokens', meta: { numeric: true }, cell: (info) => formatCount(info.getValue()) }),
    tenantColumn.accessor('cost_usd', { header: 'Cost', meta: { numeric: true }, cell: (info) => formatUsd(info.getValue()) }),
  ]
  const incidentColumns = [
    incidentColumn.accessor('start', { header: 'Start (UTC)', cell: (info) => <span className="font-mono text-xs">{shortTime(info.getValue())}</span> }),
    incidentColumn.accessor('end', { header: 'End (UTC)', cell: (info) => <span className="font-mono text-xs">{shortTime(info.getValue())}</span> }),
    incidentColumn.accessor('baseline_hit_rate', { header: 'Baseline', meta: { numeric: true }, cell: (info) => percent(info.getValue()) }),
    incidentColumn.accessor('hit_rate', { header: 'During', meta: { numeric: true }, cell: (info) => <span className="font-semibold text-red-700">{percent(info.getValue())}</span> }),
    incidentColumn.accessor('suspect_tenant_id', { header: 'Suspect tenant', cell: (info) => (info.getValue() === null ? 'none stands out' : <span className="font-medium">{tenantLabel(info.getValue()!)}</span>) }),
    incidentColumn.accessor((row) => row.suspects[0], {
      id: 'evidence',
      header: 'Evidence at onset',
      enableSorting: false,
      cell: (info) => {
        const suspect = info.getValue()
        if (!suspect || info.row.original.suspect_tenant_id === null) return '—'
        return (
          <span className="text-xs text-slate-600">
            input-token share {suspect.share_change >= 0 ? '+' : ''}
            {(suspect.share_change * 100).toFixed(0)} pts, {formatCount(suspect.new_hashes)} new system prompts
          </span>
        )
      },
    }),
    incidentColumn.accessor('extra_cost_usd', { header: 'Lost-hit cost', meta: { numeric: true }, cell: (info) => formatUsd(info.getValue()) }),
    incidentColumn.accessor((row) => row.evidence.p_value, {
      id: 'significance',
      header: 'Why it is an incident',
      cell: (info) => {
        const { evidence } = info.row.original
        return (
          <span className="text-xs text-slate-600" title={`z = ${evidence.z.toFixed(1)}; p had to be under ${evidence.alpha.toExponential(1)} (0.01 over ${evidence.comparisons} buckets judged)`}>
            {formatCount(evidence.calls)} calls, {formatCount(evidence.input_tokens)} input tokens; during {percent(evidence.hit_rate_interval.low)}-{percent(evidence.hit_rate_interval.high)} vs baseline{' '}
            {percent(evidence.baseline_hit_rate_interval.low)}-{percent(evidence.baseline_hit_rate_interval.high)} (95%); p {pValue(evidence.p_value)}
          </span>
        )
      },
    }),
  ]

  return (
    <div className="space-y-4">
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4" data-testid="cache-summary">
        <Stat label="Hit rate (whole range)" value={percent(totals.input > 0 ? totals.read / totals.input : null)} />
        <Stat label="Model-call cost" value={formatUsd(totals.cost)} />
        <Stat label="Incidents" value={String(report.incidents.length)} tone={report.incidents.length > 0 ? 'bad' : undefined} />
        <Stat label="Cost of lost hits" value={formatUsd(lostCost)} tone={lostCost > 0 ? 'bad' : undefined} />
      </div>
      <ChartCard
        title="Prompt-cache hit rate"
        subtitle={`Cache-read input tokens / input tokens per ${bucketLabel(report.bucket_seconds)}, for the organisation${top.length > 0 ? ` and the ${top.length} tenant${top.length === 1 ? '' : 's'} with the most lost-hit cost` : ''}; incidents shaded`}
        empty={!hasTraffic}
        emptyText="No model calls in this time range."
        height={300}
        testId="chart-hit-rate"
      >
        <TimeSeriesChart
          data={rateData}
          range={range} bucketSeconds={report.bucket_seconds}
          syncId="cache"
          yLabel="Hit rate (%)"
          yFormat="percent"
          yDomain={[0, 1]}
          bands={bands}
          series={[{ key: 'org', name: 'Organisation', color: '#0f172a', width: 2.5 }, ...top.map((tenant, i) => ({ key: `tenant:${tenant}`, name: tenantLabel(tenant), color: PALETTE[i], width: 1.25 }))]}
        />
      </ChartCard>
      <ChartCard title="Volume" subtitle={`Model calls (bars) and input tokens (line) per ${bucketLabel(report.bucket_seconds)}`} empty={!hasTraffic} height={200} testId="chart-volume">
        <TimeSeriesChart
          data={rateData}
          range={range} bucketSeconds={report.bucket_seconds}
          syncId="cache"
          yLabel="Requests"
          yFormat="count"
          rightLabel="Input tokens"
          rightFormat="tokens"
          bands={bands.map((b) => ({ ...b, label: '' }))}
          series={[
            { key: 'requests', name: 'Requests', kind: 'bar', color: '#94a3b8' },
            { key: 'input', name: 'Input tokens', axis: 'right', color: '#2563eb' },
          ]}
        />
      </ChartCard>
      <section className="space-y-2">
        <h2 className="text-sm font-semibold">Incidents</h2>
        <DataTable
          rows={report.incident_details}
          columns={incidentColumns}
          initialSort={[{ id: 'start', desc: false }]}
          empty={
            hasTraffic
              ? `No incident: the organisation's hit rate never fell well below its trailing baseline on enough calls to be sure of it, with lost hits costing at least ${formatUsd(report.min_extra_cost_usd)}.`
              : 'No model calls in this time range.'
          }
          testId="incidents-table"
        />
      </section>
      <section className="space-y-2">
        <h2 className="text-sm font-semibold">Tenants by impact</h2>
        <DataTable
          rows={report.tenant_impact}
          columns={tenantColumns}
          initialSort={[{ id: 'lost_hit_cost_usd', desc: true }]}
          filterPlaceholder="Filter tenants"
          empty="No tenant sent model calls in this time range."
          testId="tenants-table"
        />
      </section>
      {hasTraffic && (
        <section className="space-y-2">
          <h2 className="text-sm font-semibold">Top tenants against the organisation</h2>
          <div className="grid grid-cols-1 gap-3 md:grid-cols-2 xl:grid-cols-3" data-testid="small-multiples">
            {report.tenant_impact.slice(0, SMALL_MULTIPLES).map((tenant) => (
              <TenantMultiple key={tenant.tenant_id} report={report} tenant={tenant} bands={bands} range={range} />
            ))}
          </div>
        </section>
      )}
    </div>
  )
}

const PALETTE = ['#2563eb', '#d97706', '#059669', '#db2777', '#7c3aed']

function TenantMultiple({ report, tenant, bands, range }: { report: CacheReport; tenant: TenantImpact; bands: Band[]; range: { from: number; to: number } }) {
  const points = new Map(report.tenants.find((t) => t.tenant_id === tenant.tenant_id)?.points.map((p) => [p.t, p.hit_rate]) ?? [])
  const data = report.overall.map((p) => ({ t: Date.parse(p.t), org: p.hit_rate, tenant: points.get(p.t) ?? null }))
  return (
    <ChartCard
      title={tenantLabel(tenant.tenant_id)}
      subtitle={`hit rate ${percent(tenant.hit_rate)} · lost hits ${formatUsd(tenant.lost_hit_cost_usd)}${tenant.suspect_in > 0 ? ' · suspect' : ''}`}
      height={150}
    >
      <TimeSeriesChart
        data={data}
        range={range} bucketSeconds={report.bucket_seconds}
        yLabel="Hit rate (%)"
        yFormat="percent"
        yDomain={[0, 1]}
        bands={bands.map((b) => ({ ...b, label: '' }))}
        series={[
          { key: 'org', name: 'Organisation', color: '#94a3b8', dashed: true },
          { key: 'tenant', name: tenantLabel(tenant.tenant_id), color: tenant.suspect_in > 0 ? '#dc2626' : '#2563eb', width: 2 },
        ]}
      />
    </ChartCard>
  )
}
