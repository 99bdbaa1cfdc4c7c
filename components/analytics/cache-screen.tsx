// The cache analytics screen, shared by the project page and by share links.
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
  return (
    <main className="space-y-4 p-6">
      <PageHeader
        title="Cache thrash"
        description="Token-weighted prompt-cache hit rate per tenant beside the organisation's. An incident is an interval where the organisation's rate fell well below its trailing baseline; its suspect is the tenant whose traffic shifted at the onset."
      >
        <UrlSelect label="Bucket" param="bucket" value={query.bucket ?? 'auto'} options={BUCKET_OPTIONS} testId="bucket-select" />
      </PageHeader>
      {parsed.success ? <CacheView report={await cacheThrashReport(projectId, parsed.data)} /> : <InvalidParams message={describeIssues(parsed.error)} />}
    </main>
  )
}
