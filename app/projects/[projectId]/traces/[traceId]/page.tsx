import { notFound } from 'next/navigation'
import { getTraceSpans } from '@/db/clickhouse/queries/traces'
import { formatDuration } from '@/lib/format'
import { requireProjectAccess } from '@/lib/auth/page-auth'
import { spanToApi, type ApiSpan } from '@/lib/traces/span-api'

export const dynamic = 'force-dynamic'

function depthOrder(spans: ApiSpan[]): { span: ApiSpan; depth: number }[] {
  const children = new Map<string, ApiSpan[]>()
  const ids = new Set(spans.map((s) => s.span_id))
  for (const span of spans) {
    const parent = span.parent_span_id && ids.has(span.parent_span_id) ? span.parent_span_id : ''
    children.set(parent, [...(children.get(parent) ?? []), span])
  }
  const out: { span: ApiSpan; depth: number }[] = []
  const stack: { span: ApiSpan; depth: number }[] = (children.get('') ?? []).map((span) => ({ span, depth: 0 })).reverse()
  while (stack.length > 0) {
    const next = stack.pop()!
    out.push(next)
    for (const child of [...(children.get(next.span.span_id) ?? [])].reverse()) stack.push({ span: child, depth: next.depth + 1 })
  }
  return out
}

export default async function TracePage({ params }: { params: Promise<{ projectId: string; traceId: string }> }) {
  const { projectId, traceId } = await params
  await requireProjectAccess(projectId)
  const { spans } = await getTraceSpans(projectId, traceId)
  if (spans.length === 0) notFound()
  const rows = depthOrder(spans.map(spanToApi))
  return (
    <>
      <main className="space-y-4 p-6">
        <h1 className="font-mono text-base">Trace {traceId}</h1>
        <ul className="rounded border border-slate-200 bg-white" data-testid="span-tree">
          {rows.map(({ span, depth }) => (
            <li key={span.span_id} className="flex items-center gap-3 border-t border-slate-100 px-3 py-1.5" style={{ paddingLeft: 12 + depth * 18 }}>
              <span className="w-20 rounded bg-slate-100 px-1.5 text-center text-xs text-slate-600">{span.kind}</span>
              <span className={span.status === 'error' ? 'text-red-700' : ''}>{span.name}</span>
              <span className="ml-auto text-xs text-slate-500">{formatDuration(span.duration_ms)}</span>
            </li>
          ))}
        </ul>
      </main>
    </>
  )
}
