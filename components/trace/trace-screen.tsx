// One trace: its summary, span tree, timeline, inspector and call graph. Shared by the trace page
// and by share links of a trace view.
import { notFound } from 'next/navigation'
import { TraceExplorer } from '@/components/trace/trace-explorer'
import { TraceHeader } from '@/components/trace/trace-header'
import { previousTraceOf } from '@/db/clickhouse/queries/traces'
import { currentPrices } from '@/lib/analytics/costs'
import { readTraceOutline } from '@/lib/traces/merged-spans'
import { hrefWithRange } from '@/lib/time/range-params'
import { buildExplorerTrace } from '@/lib/traces/explorer-model'
import { traceRecorder } from '@/lib/recorder/completeness'

/** The recorder fields each span lacks, for the inspector. */
function missingBySpan(missing: { field: string; spans: string[] }[]): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const { field, spans } of missing) for (const span of spans) (out[span] ??= []).push(field)
  return out
}

export async function TraceScreen({
  projectId,
  traceId,
  search,
  shared = false,
}: {
  projectId: string
  traceId: string
  search: URLSearchParams
  shared?: boolean
}) {
  const [{ spans, truncated }, priceOf, recorder] = await Promise.all([readTraceOutline(projectId, traceId), currentPrices(), traceRecorder(projectId, traceId)])
  if (spans.length === 0) notFound()
  const trace = buildExplorerTrace(traceId, spans, truncated, priceOf)
  const root = trace.spans.find((span) => span.parent === -1)
  // "Compare with the previous run" of this session, else of this user.
  const session = trace.summary.session_ids[0]
  const user = trace.summary.user_ids[0]
  const previous = shared ? undefined : await previousTraceOf(projectId, session ? { session_id: session } : { user_id: user }, new Date(trace.startIso))
  const compareHref = previous ? `/projects/${projectId}/traces/compare?${new URLSearchParams({ a: previous, b: traceId })}` : undefined
  return (
    <div className="flex h-[calc(100vh-3rem)] min-h-[32rem] flex-col">
      <TraceHeader
        projectId={projectId}
        trace={trace}
        name={root?.name ?? traceId}
        backHref={shared ? undefined : hrefWithRange(`/projects/${projectId}/traces`, search)}
        compareHref={compareHref}
        compareLabel={session ? 'Compare with the previous run of this session' : 'Compare with the previous run of this user'}
        recorder={{ score: recorder.score, missing: recorder.missing }}
      />
      <TraceExplorer projectId={projectId} trace={trace} missingBySpan={missingBySpan(recorder.missing)} />
    </div>
  )
}
