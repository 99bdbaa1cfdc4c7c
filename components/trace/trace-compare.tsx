// Two traces side by side: aligned span trees, what differs per span (model, prompt, parameters,
// tokens, cost, duration, status), and the first point where the runs part. The pair lives in
// the URL (?a=&b=), so the page can be bookmarked, saved and shared.
import Link from 'next/link'
import { readTraceOutline } from '@/lib/traces/merged-spans'
import { currentPrices } from '@/lib/analytics/costs'
import { formatCount, formatDuration } from '@/lib/format'
import { compareTraces, type CompareRow } from '@/lib/traces/compare'
import { buildExplorerTrace, type ExplorerSpan, type ExplorerTrace } from '@/lib/traces/explorer-model'
import { treeIndent } from '@/lib/traces/tree-rows'
import { CostValue } from '@/components/ui/cost-value'
import { kindStyle } from './span-kinds'

function SpanCell({ span, depth }: { span?: ExplorerSpan; depth: number }) {
  if (!span) return <td className="bg-slate-50 px-2 text-xs italic text-slate-400">— not in this run</td>
  const indent = treeIndent(depth)
  return (
    <td className="max-w-0 px-2">
      <div className="flex items-center gap-1" style={{ paddingLeft: indent.levels * 12 }}>
        {indent.depthLabel !== undefined && <span className="shrink-0 rounded bg-slate-200 px-1 text-[10px] font-semibold tabular-nums">{indent.depthLabel}</span>}
        <span className={`shrink-0 rounded px-1 text-[9px] font-semibold ${kindStyle(span.kind).chip}`}>{kindStyle(span.kind).label}</span>
        <span className={`min-w-0 flex-1 truncate ${span.status === 'error' ? 'font-medium text-red-700' : ''}`} title={span.name}>
          {span.name}
        </span>
        {span.status === 'error' && <span className="shrink-0 rounded bg-red-100 px-1 text-[10px] font-semibold text-red-700">ERR</span>}
        <span className="shrink-0 text-[11px] tabular-nums text-slate-500">{formatDuration(span.durationMs)}</span>
      </div>
    </td>
  )
}

function Side({ label, trace, projectId, shared }: { label: string; trace: ExplorerTrace; projectId: string; shared: boolean }) {
  const root = trace.spans.find((span) => span.parent === -1)
  return (
    <div className="min-w-0 rounded border border-slate-200 bg-white p-3 text-sm" data-testid={`compare-side-${label.toLowerCase()}`}>
      <p className="text-[10px] font-semibold uppercase tracking-wide text-slate-500">Run {label}</p>
      {shared ? (
        <span className="font-medium">{root?.name ?? trace.traceId}</span>
      ) : (
        <Link href={`/projects/${projectId}/traces/${encodeURIComponent(trace.traceId)}`} className="font-medium text-blue-700 hover:underline">
          {root?.name ?? trace.traceId}
        </Link>
      )}{' '}
      <span className="font-mono text-xs text-slate-500">{trace.traceId}</span>
      <p className="mt-1 text-xs text-slate-600">
        {trace.startIso.replace('T', ' ').slice(0, 19)} UTC · {formatDuration(trace.durationMs)} · {formatCount(trace.spans.length)} spans ·{' '}
        <span className={trace.summary.error_count > 0 ? 'font-semibold text-red-700' : ''}>{trace.summary.error_count} errors</span> ·{' '}
        <CostValue usd={trace.summary.cost_usd} estimatedCalls={trace.summary.estimated_cost_calls} unpricedCalls={trace.summary.unpriced_cost_calls} calls={trace.summary.model_calls} /> ·{' '}
        {trace.summary.models.join(', ') || 'no model calls'}
      </p>
    </div>
  )
}

function describeDivergence(row: CompareRow): string {
  if (!row.a) return `run B has "${row.b!.span.name}" where run A has nothing`
  if (!row.b) return `run A has "${row.a.span.name}" where run B has nothing`
  return row.differences.map((d) => `${d.field} ${d.a} → ${d.b}`).join(', ')
}

/** `shared`: through a share link, the pair is the view's and the traces are not links. */
export async function TraceCompareScreen({ projectId, a, b, shared = false }: { projectId: string; a: string; b: string; shared?: boolean }) {
  const form = (
    <form className="flex flex-wrap items-end gap-2 text-sm" aria-label="Traces to compare">
      <label className="flex flex-col gap-1">
        <span className="text-xs text-slate-600">Run A (trace id)</span>
        <input name="a" defaultValue={a} required className="w-80 rounded border border-slate-300 px-2 py-1 font-mono text-xs" />
      </label>
      <label className="flex flex-col gap-1">
        <span className="text-xs text-slate-600">Run B (trace id)</span>
        <input name="b" defaultValue={b} required className="w-80 rounded border border-slate-300 px-2 py-1 font-mono text-xs" />
      </label>
      <button className="rounded bg-slate-900 px-3 py-1.5 font-medium text-white">Compare</button>
    </form>
  )
  if (!a || !b) {
    return (
      <main className="space-y-3 p-4">
        <h1 className="text-lg font-semibold">Compare two traces</h1>
        <p className="text-slate-600">Select two traces in the list and press Compare, or give their ids here.</p>
        {form}
      </main>
    )
  }
  const [outlineA, outlineB, priceOf] = await Promise.all([readTraceOutline(projectId, a), readTraceOutline(projectId, b), currentPrices()])
  const missing = [outlineA.spans.length === 0 && a, outlineB.spans.length === 0 && b].filter(Boolean)
  if (missing.length > 0) {
    return (
      <main className="space-y-3 p-4">
        <h1 className="text-lg font-semibold">Compare two traces</h1>
        <p className="rounded border border-red-200 bg-red-50 px-3 py-2 text-red-800" role="alert">
          No trace with id {missing.map((id) => `"${id}"`).join(' or ')} in this project.
        </p>
        {form}
      </main>
    )
  }
  const traceA = buildExplorerTrace(a, outlineA.spans, outlineA.truncated, priceOf)
  const traceB = buildExplorerTrace(b, outlineB.spans, outlineB.truncated, priceOf)
  const { rows, firstDivergence } = compareTraces(traceA, traceB)
  const differing = rows.filter((row) => !row.a || !row.b || row.differences.length > 0).length
  return (
    <main className="space-y-3 p-4" data-testid="trace-compare">
      <div className="flex items-baseline gap-3">
        <h1 className="text-lg font-semibold">Compare two traces</h1>
        <span className="text-sm text-slate-500">
          {formatCount(rows.length)} aligned rows, {formatCount(differing)} with differences
        </span>
      </div>
      <div className="grid grid-cols-2 gap-3">
        <Side label="A" trace={traceA} projectId={projectId} shared={shared} />
        <Side label="B" trace={traceB} projectId={projectId} shared={shared} />
      </div>
      {firstDivergence >= 0 ? (
        <p className="rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950" data-testid="first-divergence">
          <a href={`#row-${firstDivergence}`} className="font-semibold text-blue-700 hover:underline">
            First divergence, row {firstDivergence + 1}
          </a>
          : {describeDivergence(rows[firstDivergence])}
        </p>
      ) : (
        <p className="rounded border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900" data-testid="first-divergence">
          The runs have the same shape, statuses and models; only timings, tokens or costs may differ.
        </p>
      )}
      <div className="overflow-x-auto rounded border border-slate-200 bg-white">
        <table className="w-full table-fixed border-collapse text-[13px]">
          <colgroup>
            <col className="w-[38%]" />
            <col className="w-[24%]" />
            <col className="w-[38%]" />
          </colgroup>
          <thead className="bg-slate-50 text-left text-[11px] uppercase tracking-wide text-slate-500">
            <tr>
              <th className="px-2 py-1.5">Run A</th>
              <th className="px-2 py-1.5">Differences</th>
              <th className="px-2 py-1.5">Run B</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => (
              <tr
                key={i}
                id={`row-${i}`}
                data-testid="compare-row"
                className={`h-7 border-t border-slate-100 ${i === firstDivergence ? 'bg-amber-100' : !row.a || !row.b ? 'bg-slate-50' : row.differences.length > 0 ? 'bg-yellow-50/60' : ''}`}
              >
                <SpanCell span={row.a?.span} depth={row.depth} />
                <td className="max-w-0 px-2">
                  <div className="flex flex-wrap gap-1">
                    {row.differences.map((d) => (
                      <span key={d.field} className="truncate rounded bg-yellow-100 px-1 text-[11px] text-yellow-900" title={`${d.field}: ${d.a} → ${d.b}`}>
                        {d.field}: {d.a} → {d.b}
                      </span>
                    ))}
                  </div>
                </td>
                <SpanCell span={row.b?.span} depth={row.depth} />
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </main>
  )
}
