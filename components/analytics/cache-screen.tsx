// The cache analytics screen, shared by the project page and by share links.
import Link from 'next/link'
import { CacheView } from '@/components/analytics/cache-view'
import { InvalidParams, PageHeader } from '@/components/analytics/page-header'
import { BUCKET_OPTIONS } from '@/components/analytics/bucket-options'
import { UrlSelect } from '@/components/ui/url-select'
import { cacheInputSchema, cacheThrashReport } from '@/lib/analytics/cache-thrash'
import { pickSearchParams } from '@/lib/http/search-params'
import { describeIssues } from '@/lib/ingest/span-schema'

export async function CacheScreen({ projectId, search }: { projectId: string; search: Record<string, string | string[] | undefined> }) {
  const query = pickSearchParams(search, ['range', 'from', 'to', 'bucket'])
  if (query.bucket === 'auto') delete query.bucket
  const parsed = cacheInputSchema.safeParse(query)
  const report = parsed.success ? await cacheThrashReport(projectId, parsed.data) : undefined
  // A short range with no incident may hide one from earlier in the week: say so, one click away.
  const WEEK = 7 * 86_400_000
  let weekIncidents = 0
  if (parsed.success && report && report.incidents.length === 0 && parsed.data.to.getTime() - parsed.data.from.getTime() < WEEK) {
    const week = cacheInputSchema.safeParse({ range: '7d' })
    if (week.success) weekIncidents = (await cacheThrashReport(projectId, week.data)).incidents.length
  }
  return (
    <main className="space-y-4 p-6">
      <PageHeader
        title="Cache thrash"
        description="Token-weighted prompt-cache hit rate per tenant beside the organisation's. An incident is an interval where the organisation's rate fell well below its trailing baseline; its suspect is the tenant whose traffic shifted at the onset."
      >
        <UrlSelect label="Bucket" param="bucket" value={query.bucket ?? 'auto'} options={BUCKET_OPTIONS} testId="bucket-select" />
      </PageHeader>
      {weekIncidents > 0 && (
        <p className="rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="incident-banner">
          No incident in this range, but {weekIncidents} incident{weekIncidents === 1 ? '' : 's'} in the last 7 days.{' '}
          <Link href="?range=7d" className="font-medium text-blue-700 hover:underline">
            Show the last 7 days
          </Link>
        </p>
      )}
      {report ? <CacheView report={report} /> : <InvalidParams message={describeIssues(parsed.error!)} />}
    </main>
  )
}
