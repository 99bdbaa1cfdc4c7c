// The traces list screen, shared by the project page and by share links.
import { headers } from 'next/headers'
import { LoadDemoButton } from '@/components/demo/load-demo-button'
import { demoJobStatus } from '@/lib/demo/demo-jobs'
import { SendDataEmptyState } from '@/components/layout/send-data-empty-state'
import { TraceFilters } from '@/components/traces/trace-filters'
import { TracesTable } from '@/components/traces/traces-table'
import { LIST_FILTERS } from '@/components/traces/list-params'
import { listTraceFacets, listTraces, listTracesInputSchema, projectHasSpans, InvalidCursorError } from '@/db/clickhouse/queries/traces'
import { describeIssues } from '@/lib/ingest/span-schema'
import { originFromHeaders } from '@/lib/http/request-origin'
import { pickSearchParams, searchParamsObject } from '@/lib/http/search-params'
import { InvalidRangeError, resolveRange } from '@/lib/time/range'
import { traceRowToApi } from '@/lib/traces/span-api'

export type SearchParams = Record<string, string | string[] | undefined>

/**
 * The traces list of a project. `shared`: rendered through a share link, read-only - no
 * filters to change, no way into traces or other pages, no set-up instructions.
 */
export async function TracesScreen({
  projectId,
  search,
  canWrite,
  canCreateKeys = false,
  shared = false,
}: {
  projectId: string
  search: SearchParams
  canWrite: boolean
  /** Whether the viewer may create API keys (lib/auth/api-keys.ts mayCreateApiKeys). */
  canCreateKeys?: boolean
  shared?: boolean
}) {
  if (!shared && !(await projectHasSpans(projectId))) {
    return (
      <main className="p-6" data-testid="empty-traces">
        <SendDataEmptyState
          projectId={projectId}
          origin={originFromHeaders(await headers())}
          canCreateKey={canCreateKeys}
          demoButton={canWrite ? <LoadDemoButton projectId={projectId} /> : undefined}
        />
      </main>
    )
  }

  const params = searchParamsObject(search)
  let range
  let problem: string | undefined
  try {
    range = resolveRange({ range: params.range, from: params.from, to: params.to })
  } catch (error) {
    if (!(error instanceof InvalidRangeError)) throw error
    problem = error.message
    range = resolveRange({})
  }
  // Empty parameters are cleared filters, not values.
  const query = Object.fromEntries(Object.entries(pickSearchParams(params, [...LIST_FILTERS, 'sort', 'order', 'cursor'])).filter(([, value]) => value !== ''))
  const parsed = listTracesInputSchema.safeParse({ ...query, from: range.from.toISOString(), to: range.to.toISOString() })
  let page
  if (!parsed.success) problem = describeIssues(parsed.error)
  else {
    try {
      page = await listTraces(projectId, parsed.data)
    } catch (error) {
      if (!(error instanceof InvalidCursorError)) throw error
      problem = error.message
    }
  }
  const facets = await listTraceFacets(projectId, range.from, range.to)
  // Demo data arrives oldest first: while it loads, say so (with its progress) above the list.
  const demoLoading = !shared && demoJobStatus(projectId)?.state === 'running'
  const rows = page?.rows.map(traceRowToApi) ?? []

  return (
    <main className="space-y-3 p-4">
      <div className="flex items-baseline gap-3">
        <h1 className="text-lg font-semibold">Traces</h1>
        <span className="text-sm text-slate-500">{range.label}</span>
      </div>
      {!shared && <TraceFilters tenants={facets.tenants} models={facets.models} />}
      {demoLoading && (
        <div className="rounded border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900" data-testid="demo-loading">
          <p className="mb-2">Demo data is loading, oldest traffic first: the most recent hours appear last.</p>
          <LoadDemoButton projectId={projectId} />
        </div>
      )}
      {problem && (
        <p className="rounded border border-red-200 bg-red-50 px-3 py-2 text-red-800" role="alert">
          {problem}
        </p>
      )}
      {rows.length === 0 && !problem ? (
        <div className="rounded border border-dashed border-slate-300 bg-white p-8 text-center text-slate-600" data-testid="empty-traces">
          {shared ? 'No traces in this view’s time range.' : 'No traces match in this time range. Widen the time range or clear a filter.'}
        </div>
      ) : (
        <TracesTable projectId={projectId} rows={rows} nextCursor={page?.next_cursor ?? null} />
      )}
    </main>
  )
}
