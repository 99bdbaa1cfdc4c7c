// The traces list screen, shared by the project page and by share links.
import { headers } from 'next/headers'
import { LoadDemoButton } from '@/components/demo/load-demo-button'
import { demoJobStatus } from '@/lib/demo/demo-jobs'
import { demoGuide } from '@/lib/demo/guide'
import { SendDataEmptyState } from '@/components/layout/send-data-empty-state'
import { TraceFilters } from '@/components/traces/trace-filters'
import { TracesTable } from '@/components/traces/traces-table'
import { LIST_FILTERS } from '@/components/traces/list-params'
import Link from 'next/link'
import { TraceHistogram } from '@/components/traces/trace-histogram'
import { latestTraceStart, listTraceFacets, listTracesInputSchema, projectHasSpans, InvalidCursorError, type TraceHistogram as Histogram } from '@/db/clickhouse/queries/traces'
import { formatCount } from '@/lib/format'
import { replaceRange } from '@/lib/time/range-params'
import { fillBuckets } from '@/lib/traces/histogram'
import { listPricedTracesWithHistogram } from '@/lib/traces/list-traces'
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
  let histogram: Histogram | undefined
  if (!parsed.success) problem = describeIssues(parsed.error)
  else {
    try {
      ;({ page, histogram } = await listPricedTracesWithHistogram(projectId, parsed.data))
    } catch (error) {
      if (!(error instanceof InvalidCursorError)) throw error
      problem = error.message
    }
  }
  const facets = await listTraceFacets(projectId, range.from, range.to)
  // Demo data arrives oldest first: while it loads, say so (with its progress) above the list.
  const demoJob = shared ? undefined : demoJobStatus(projectId)
  const demoLoading = demoJob?.state === 'running'
  // When demo data has just loaded: where each planted story can be seen.
  const guide = demoJob?.state === 'done' ? demoGuide(projectId, demoJob) : []
  const rows = page?.rows.map(traceRowToApi) ?? []
  // An empty range in a project with data: say where the newest data is, one click away.
  const latest = rows.length === 0 && !problem ? await latestTraceStart(projectId) : null
  const latestOutside = latest && (latest < range.from || latest >= range.to) ? latest : null
  const jumpHref = latestOutside
    ? `?${replaceRange(new URLSearchParams(params as Record<string, string>), {
        from: new Date(Math.floor(latestOutside.getTime() / 3_600_000) * 3_600_000 - 23 * 3_600_000).toISOString(),
        to: new Date(Math.floor(latestOutside.getTime() / 3_600_000) * 3_600_000 + 3_600_000).toISOString(),
      })}`
    : undefined

  return (
    <main className="space-y-3 p-4">
      <div className="flex items-baseline gap-3">
        <h1 className="text-lg font-semibold">Traces</h1>
        <span className="text-sm text-slate-500">{range.label}</span>
        {page && (
          <span className="text-sm text-slate-700" data-testid="traces-total">
            {formatCount(page.total)} matching trace{page.total === 1 ? '' : 's'}
          </span>
        )}
      </div>
      {!shared && <TraceFilters tenants={facets.tenants} models={facets.models} />}
      {demoLoading && (
        <div className="rounded border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900" data-testid="demo-loading">
          <p className="mb-2">Demo data is loading, oldest traffic first: the most recent hours appear last.</p>
          <LoadDemoButton projectId={projectId} />
        </div>
      )}
      {guide.length > 0 && (
        <details open className="rounded border border-emerald-200 bg-emerald-50 p-3 text-sm text-emerald-950" data-testid="demo-guide">
          <summary className="cursor-pointer font-medium">Demo data loaded: {guide.length} planted stories to find</summary>
          <ul className="mt-2 grid gap-2 md:grid-cols-2 xl:grid-cols-3">
            {guide.map((entry) => (
              <li key={entry.title} className="rounded border border-emerald-200 bg-white p-2">
                <Link href={entry.href} className="font-medium text-blue-700 hover:underline">
                  {entry.title}
                </Link>
                <p className="text-xs text-slate-600">{entry.what}</p>
              </li>
            ))}
          </ul>
        </details>
      )}
      {problem && (
        <p className="rounded border border-red-200 bg-red-50 px-3 py-2 text-red-800" role="alert">
          {problem}
        </p>
      )}
      {histogram && page && page.total > 0 && (
        <TraceHistogram
          buckets={fillBuckets(range.from, range.to, histogram.bucket_seconds, histogram.buckets)}
          bucketSeconds={histogram.bucket_seconds}
          from={range.from.toISOString()}
          to={range.to.toISOString()}
          interactive={!shared}
        />
      )}
      {rows.length === 0 && !problem ? (
        <div className="space-y-3 rounded border border-dashed border-slate-300 bg-white p-8 text-center text-slate-600" data-testid="empty-traces">
          <p>{shared ? 'No traces in this view’s time range.' : 'No traces match in this time range. Widen the time range or clear a filter.'}</p>
          {latestOutside && !shared && (
            <p data-testid="latest-data">
              The newest trace of this project started {latestOutside.toISOString().slice(0, 16).replace('T', ' ')} UTC, {latestOutside < range.from ? 'before' : 'after'} this range.{' '}
              <Link href={jumpHref!} className="font-medium text-blue-700 hover:underline">
                Show the 24 hours up to it
              </Link>
            </p>
          )}
        </div>
      ) : (
        <TracesTable projectId={projectId} rows={rows} nextCursor={page?.next_cursor ?? null} />
      )}
    </main>
  )
}
