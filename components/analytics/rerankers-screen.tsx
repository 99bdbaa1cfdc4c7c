// The reranker analytics screen, shared by the project page and by share links.
import { InvalidParams, PageHeader } from '@/components/analytics/page-header'
import { RerankersView } from '@/components/analytics/rerankers-view'
import { BUCKET_OPTIONS } from '@/components/analytics/bucket-options'
import { UrlSelect } from '@/components/ui/url-select'
import { rerankersInputSchema, rerankersReport } from '@/lib/analytics/rerankers'
import { pickSearchParams } from '@/lib/http/search-params'
import { describeIssues } from '@/lib/ingest/span-schema'

export async function RerankersScreen({ projectId, search }: { projectId: string; search: Record<string, string | string[] | undefined> }) {
  const query = pickSearchParams(search, ['range', 'from', 'to', 'bucket', 'score_name'])
  if (query.bucket === 'auto') delete query.bucket
  const parsed = rerankersInputSchema.safeParse(query)
  return (
    <main className="space-y-4 p-6">
      <PageHeader
        title="Rerankers"
        description="Each reranker graded on its own: its score distribution, how far it agrees with the retriever it reranks (top-k overlap, rank correlation), the answers' scores, and every point where the serving reranker changed, with before/after numbers and a significance test."
      >
        <UrlSelect label="Bucket" param="bucket" value={query.bucket ?? 'auto'} options={BUCKET_OPTIONS} testId="bucket-select" />
      </PageHeader>
      {parsed.success ? <RerankersView report={await rerankersReport(projectId, parsed.data)} /> : <InvalidParams message={describeIssues(parsed.error)} />}
    </main>
  )
}
