import Link from 'next/link'
import { notFound } from 'next/navigation'
import { listTraces, listTracesInputSchema } from '@/db/clickhouse/queries/traces'
import { formatCount, formatDuration, formatTime, formatUsd } from '@/lib/format'
import { getProject } from '@/lib/projects/projects'
import { storesReady } from '@/lib/runtime/stores'
import { resolveRange } from '@/lib/time/range'
import { traceRowToApi } from '@/lib/traces/span-api'

export const dynamic = 'force-dynamic'

export default async function TracesPage({
  params,
  searchParams,
}: {
  params: Promise<{ projectId: string }>
  searchParams: Promise<Record<string, string | string[] | undefined>>
}) {
  await storesReady()
  const { projectId } = await params
  const project = await getProject(projectId)
  if (!project) notFound()
  const query = Object.fromEntries(Object.entries(await searchParams).filter(([, v]) => typeof v === 'string')) as Record<string, string>
  let range
  try {
    range = resolveRange(query)
  } catch {
    range = resolveRange({})
  }
  const parsed = listTracesInputSchema.safeParse({ ...query, range: undefined, from: range.from.toISOString(), to: range.to.toISOString() })
  const page = parsed.success ? await listTraces(projectId, parsed.data) : undefined
  const traces = page?.rows.map(traceRowToApi) ?? []
  return (
    <>
      <main className="space-y-4 p-6">
        <h1 className="text-lg font-semibold">Traces</h1>
        {!parsed.success && <p className="text-red-700">Invalid filter: {parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}</p>}
        {traces.length === 0 ? (
          <div className="rounded border border-dashed border-slate-300 bg-white p-6 text-slate-600" data-testid="empty-traces">
            No traces in this time range. Send spans with your project&apos;s API key to <code className="font-mono">POST /api/v1/spans</code> or point
            an OTLP exporter at this server.
          </div>
        ) : (
          <table className="w-full border-collapse overflow-hidden rounded border border-slate-200 bg-white" data-testid="traces-table">
            <thead className="bg-slate-100 text-left text-xs uppercase text-slate-500">
              <tr>
                <th className="px-3 py-2">Time</th>
                <th className="px-3 py-2">Name</th>
                <th className="px-3 py-2 text-right">Duration</th>
                <th className="px-3 py-2 text-right">Spans</th>
                <th className="px-3 py-2 text-right">Errors</th>
                <th className="px-3 py-2">Tenant</th>
                <th className="px-3 py-2">User</th>
                <th className="px-3 py-2">Models</th>
                <th className="px-3 py-2 text-right">Tokens in/out</th>
                <th className="px-3 py-2 text-right">Cost</th>
              </tr>
            </thead>
            <tbody>
              {traces.map((trace) => (
                <tr key={trace.trace_id} className="border-t border-slate-100 hover:bg-slate-50">
                  <td className="whitespace-nowrap px-3 py-2 font-mono text-xs">{formatTime(trace.start_time)}</td>
                  <td className="px-3 py-2">
                    <Link className="text-blue-700 hover:underline" href={`/projects/${projectId}/traces/${trace.trace_id}`}>
                      {trace.name}
                    </Link>
                  </td>
                  <td className="px-3 py-2 text-right">{formatDuration(trace.duration_ms)}</td>
                  <td className="px-3 py-2 text-right">{trace.span_count}</td>
                  <td className={`px-3 py-2 text-right ${trace.error_count > 0 ? 'font-medium text-red-700' : ''}`}>{trace.error_count}</td>
                  <td className="px-3 py-2">{trace.tenant_id ?? '—'}</td>
                  <td className="px-3 py-2">{trace.user_id ?? '—'}</td>
                  <td className="px-3 py-2 text-xs">{trace.models.join(', ')}</td>
                  <td className="px-3 py-2 text-right">
                    {formatCount(trace.input_tokens)} / {formatCount(trace.output_tokens)}
                  </td>
                  <td className="px-3 py-2 text-right">{formatUsd(trace.cost_usd)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </main>
    </>
  )
}
