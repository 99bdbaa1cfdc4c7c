// The trace-level summary above the explorer: what ran, how long, how big, what it cost, for whom.
import Link from 'next/link'
import { formatCount, formatDuration, formatUsd } from '@/lib/format'
import type { ExplorerTrace } from '@/lib/traces/explorer-model'
import { CostValue } from '@/components/ui/cost-value'
import { kindStyle } from './span-kinds'

function Stat({ label, children, testId }: { label: string; children: React.ReactNode; testId?: string }) {
  return (
    <div className="min-w-0 max-w-[24rem]" data-testid={testId}>
      <p className="text-[10px] font-semibold uppercase tracking-wide text-slate-500">{label}</p>
      <div className="truncate whitespace-nowrap text-sm text-slate-900">{children}</div>
    </div>
  )
}

function Who({ projectId, param, values, linked }: { projectId: string; param: string; values: string[]; linked: boolean }) {
  if (values.length === 0) return <span className="text-slate-400">—</span>
  return (
    <>
      {values.slice(0, 3).map((value, i) => (
        <span key={value}>
          {i > 0 && ', '}
          {linked ? (
            <Link href={`/projects/${projectId}/traces?${new URLSearchParams({ [param]: value, range: '7d' })}`} className="text-blue-700 hover:underline" title={`Traces of ${value}`}>
              {value}
            </Link>
          ) : (
            value
          )}
        </span>
      ))}
      {values.length > 3 && ` +${values.length - 3}`}
    </>
  )
}

/** Without `backHref` (a shared view) the header links nowhere: the view is the whole trace. */
export function TraceHeader({
  projectId,
  trace,
  name,
  backHref,
  compareHref,
  compareLabel,
  recorder,
}: {
  projectId: string
  trace: ExplorerTrace
  name: string
  backHref?: string
  compareHref?: string
  compareLabel?: string
  /** The trace's recorder score (lib/recorder/completeness.ts) and the fields its calls lack. */
  recorder?: { score: number | null; missing: { field: string; spans: string[] }[] }
}) {
  const { summary } = trace
  const kinds = Object.entries(summary.spans_by_kind).sort((a, b) => b[1] - a[1])
  // The badges add up to the span count: the four biggest kinds, then "+N other" for the rest.
  const shown = kinds.length <= 5 ? kinds : kinds.slice(0, 4)
  const rest = kinds.slice(shown.length).reduce((n, [, count]) => n + count, 0)
  return (
    <header className="space-y-2 border-b border-slate-200 bg-white px-4 py-3" data-testid="trace-summary">
      <div className="flex items-baseline gap-3">
        {backHref && (
          <Link href={backHref} className="text-sm text-slate-500 hover:text-slate-900">
            ← Traces
          </Link>
        )}
        <h1 className="truncate text-lg font-semibold">{name}</h1>
        <span className="select-all truncate font-mono text-xs text-slate-500">{trace.traceId}</span>
        {trace.graph.cycles.length > 0 && (
          <span className="shrink-0 rounded-full border border-rose-300 bg-rose-50 px-2 text-xs font-medium text-rose-700" data-testid="trace-cycle-count">
            {trace.graph.cycles.length} cycle{trace.graph.cycles.length === 1 ? '' : 's'} · {trace.graph.cycles.reduce((n, c) => n + c.reentries, 0)} re-entries
          </span>
        )}
        {compareHref && (
          <Link href={compareHref} className="ml-auto shrink-0 rounded border border-slate-300 px-2 py-0.5 text-xs text-slate-700 hover:bg-slate-50" data-testid="compare-previous">
            {compareLabel}
          </Link>
        )}
      </div>
      {trace.truncated && (
        <p className="rounded border border-amber-300 bg-amber-50 px-2 py-1 text-xs text-amber-900">
          This trace has more spans than the explorer loads; the first {formatCount(trace.spans.length)} by start time are shown.
        </p>
      )}
      <div className="flex flex-wrap gap-x-8 gap-y-2">
        <Stat label="Start (UTC)">{trace.startIso.replace('T', ' ').slice(0, 23)}</Stat>
        <Stat label="Duration" testId="summary-duration">
          {formatDuration(summary.duration_ms)}
        </Stat>
        <Stat label="Spans" testId="summary-spans">
          <span title={kinds.map(([k, n]) => `${n} ${k}`).join(', ')}>
            {formatCount(summary.span_count)}{' '}
            {shown.map(([kind, n]) => (
              <span key={kind} className={`ml-1 rounded px-1 text-[10px] font-semibold ${kindStyle(kind).chip}`} data-testid="kind-badge">
                {formatCount(n)} {kind}
              </span>
            ))}
            {rest > 0 && (
              <span className="ml-1 rounded bg-slate-100 px-1 text-[10px] font-semibold text-slate-600" data-testid="kind-badge">
                +{formatCount(rest)} other
              </span>
            )}
          </span>
        </Stat>
        <Stat label="Errors">
          <span className={summary.error_count > 0 ? 'font-semibold text-red-700' : ''}>{summary.error_count}</span>
        </Stat>
        <Stat label="Tokens in / out">
          <span title={`${formatCount(summary.cache_read_tokens)} input tokens read from cache, over ${summary.model_calls} model calls`}>
            {formatCount(summary.input_tokens)} / {formatCount(summary.output_tokens)}
            {summary.input_tokens > 0 && <span className="text-xs text-slate-500"> ({Math.round((summary.cache_read_tokens / summary.input_tokens) * 100)}% cached)</span>}
          </span>
        </Stat>
        <Stat label="Cost" testId="summary-cost">
          <CostValue usd={summary.cost_usd} estimatedCalls={summary.estimated_cost_calls} unpricedCalls={summary.unpriced_cost_calls} calls={summary.model_calls} />
        </Stat>
        <Stat label="Tenant">
          <Who linked={backHref !== undefined} projectId={projectId} param="tenant_id" values={summary.tenant_ids} />
        </Stat>
        <Stat label="User">
          <Who linked={backHref !== undefined} projectId={projectId} param="user_id" values={summary.user_ids} />
        </Stat>
        <Stat label="Session">
          <Who linked={backHref !== undefined} projectId={projectId} param="session_id" values={summary.session_ids} />
        </Stat>
        {recorder && recorder.score !== null && (
          <Stat label="Recorder" testId="summary-recorder">
            <span
              className={recorder.score >= 0.99 ? 'text-emerald-700' : recorder.score >= 0.8 ? 'text-amber-700' : 'font-semibold text-red-700'}
              title={recorder.missing.length === 0 ? 'Every model and tool call records what an incident review needs' : recorder.missing.map((m) => `${m.field.replace(/_/g, ' ')}: missing on ${m.spans.length} span${m.spans.length === 1 ? '' : 's'}`).join('\n')}
            >
              {Math.round(recorder.score * 100)}%
              {recorder.missing.length > 0 && <span className="text-xs text-slate-500"> missing {recorder.missing.map((m) => m.field.replace(/_/g, ' ')).join(', ')}</span>}
            </span>
          </Stat>
        )}
      </div>
    </header>
  )
}
