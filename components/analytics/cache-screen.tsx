// The cache analytics screen, shared by the project page and by share links.
import { CacheView } from '@/components/analytics/cache-view'
import { InvalidParams, PageHeader } from '@/components/analytics/page-header'
import { UrlSelect } from '@/components/ui/url-select'
import { cacheInputSchema, cacheThrashReport } from '@/lib/analytics/cache-thrash'
import { pickSearchParams } from '@/lib/http/search-params'
import { describeIssues } from '@/lib/ingest/span-schema'

const BUCKETS = [
  { value: 'auto', label: 'automatic' },
  { value: '900', label: '15 minutes' },
  { value: '3600', label: '1 hour' },
  { value: '21600', label: '6 hours' },
  { value: '86400', label: '1 day' },
]

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
        <UrlSelect label="Bucket" param="bucket" value={query.bucket ?? 'auto'} options={BUCKETS} testId="bucket-select" />
      </PageHeader>
      {parsed.success ? <CacheView report={await cacheThrashReport(projectId, parsed.data)} /> : <InvalidParams message={describeIssues(parsed.error)} />}
    </main>
  )
}
