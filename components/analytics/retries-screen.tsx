// The retries analytics screen, shared by the project page and by share links.
import { InvalidParams, PageHeader } from '@/components/analytics/page-header'
import { RetriesView } from '@/components/analytics/retries-view'
import { retriesInputSchema, retriesReport } from '@/lib/analytics/retries'
import { pickSearchParams } from '@/lib/http/search-params'
import { describeIssues } from '@/lib/ingest/span-schema'

export async function RetriesScreen({ projectId, search, shared = false }: { projectId: string; search: Record<string, string | string[] | undefined>; shared?: boolean }) {
  const parsed = retriesInputSchema.safeParse(pickSearchParams(search, ['range', 'from', 'to']))
  return (
    <main className="space-y-4 p-6">
      <PageHeader
        title="Retries"
        description="Attempts against logical calls: a first attempt plus its retries, linked by retry attributes or inferred from a failed sibling of the same name. What each error class costs in retries, how often retrying it pays, and the runaways - loops that kept retrying for far longer than a retry policy should."
      />
      {parsed.success ? <RetriesView projectId={projectId} report={await retriesReport(projectId, parsed.data)} linkTraces={!shared} /> : <InvalidParams message={describeIssues(parsed.error)} />}
    </main>
  )
}
