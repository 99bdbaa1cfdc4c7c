// One trace: its summary, span tree, timeline, inspector and call graph. Shared by the trace page
// and by share links of a trace view.
import { notFound } from 'next/navigation'
import { TraceExplorer } from '@/components/trace/trace-explorer'
import { TraceHeader } from '@/components/trace/trace-header'
import { getTraceOutline } from '@/db/clickhouse/queries/traces'
import { currentPrices } from '@/lib/analytics/costs'
import { hrefWithRange } from '@/lib/time/range-params'
import { buildExplorerTrace } from '@/lib/traces/explorer-model'

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
  const [{ spans, truncated }, priceOf] = await Promise.all([getTraceOutline(projectId, traceId), currentPrices()])
  if (spans.length === 0) notFound()
  const trace = buildExplorerTrace(traceId, spans, truncated, priceOf)
  const root = trace.spans.find((span) => span.parent === -1)
  return (
    <div className="flex h-[calc(100vh-3rem)] min-h-[32rem] flex-col">
      <TraceHeader
        projectId={projectId}
        trace={trace}
        name={root?.name ?? traceId}
        backHref={shared ? undefined : hrefWithRange(`/projects/${projectId}/traces`, search)}
      />
      <TraceExplorer projectId={projectId} trace={trace} />
    </div>
  )
}
