import { notFound } from 'next/navigation'
import { TraceExplorer } from '@/components/trace/trace-explorer'
import { TraceHeader } from '@/components/trace/trace-header'
import { getTraceOutline } from '@/db/clickhouse/queries/traces'
import { requireProjectAccess } from '@/lib/auth/page-auth'
import { hrefWithRange } from '@/lib/time/range-params'
import { buildExplorerTrace } from '@/lib/traces/explorer-model'

export const dynamic = 'force-dynamic'

export default async function TracePage({
  params,
  searchParams,
}: {
  params: Promise<{ projectId: string; traceId: string }>
  searchParams: Promise<Record<string, string | string[] | undefined>>
}) {
  const { projectId, traceId: rawTraceId } = await params
  await requireProjectAccess(projectId)
  const traceId = decodeURIComponent(rawTraceId)
  const { spans, truncated } = await getTraceOutline(projectId, traceId)
  if (spans.length === 0) notFound()
  const trace = buildExplorerTrace(traceId, spans, truncated)
  const search = new URLSearchParams(Object.entries(await searchParams).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : [])))
  const root = trace.spans.find((span) => span.parent === -1)
  return (
    <div className="flex h-[calc(100vh-3rem)] min-h-[32rem] flex-col">
      <TraceHeader projectId={projectId} trace={trace} name={root?.name ?? traceId} backHref={hrefWithRange(`/projects/${projectId}/traces`, search)} />
      <TraceExplorer projectId={projectId} trace={trace} />
    </div>
  )
}
