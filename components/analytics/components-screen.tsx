// The component health screen (the on-call landing page), shared by the project page and by
// share links.
import { ComponentsView } from '@/components/analytics/components-view'
import { InvalidParams, PageHeader } from '@/components/analytics/page-header'
import { UrlSelect } from '@/components/ui/url-select'
import { componentsInputSchema, componentsReport } from '@/lib/analytics/components'
import { pickSearchParams } from '@/lib/http/search-params'
import { describeIssues } from '@/lib/ingest/span-schema'

const BUCKETS = [
  { value: 'auto', label: 'automatic' },
  { value: '300', label: '5 minutes' },
  { value: '900', label: '15 minutes' },
  { value: '3600', label: '1 hour' },
]

const BASELINES = [
  { value: 'auto', label: 'the window before, as long' },
  { value: '1h', label: 'the hour before' },
  { value: '24h', label: 'the day before' },
  { value: '7d', label: 'the week before' },
]

export async function ComponentsScreen({ projectId, search }: { projectId: string; search: Record<string, string | string[] | undefined> }) {
  const query = pickSearchParams(search, ['range', 'from', 'to', 'bucket', 'baseline'])
  if (query.bucket === 'auto') delete query.bucket
  if (query.baseline === 'auto') delete query.baseline
  const parsed = componentsInputSchema.safeParse(query)
  return (
    <main className="space-y-4 p-6">
      <PageHeader
        title="Components"
        description="Which component broke: every model, tool, retriever, reranker, guardrail and prompt version against its own baseline, the first bucket where it changed, and the suspects that explain the errors and latency, each with the traces behind it."
      >
        <UrlSelect label="Bucket" param="bucket" value={query.bucket ?? 'auto'} options={BUCKETS} testId="bucket-select" />
        <UrlSelect label="Baseline" param="baseline" value={query.baseline ?? 'auto'} options={BASELINES} testId="baseline-select" />
      </PageHeader>
      {parsed.success ? <ComponentsView report={await componentsReport(projectId, parsed.data)} /> : <InvalidParams message={describeIssues(parsed.error)} />}
    </main>
  )
}
