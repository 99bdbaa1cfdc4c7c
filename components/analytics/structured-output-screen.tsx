// The structured-output analytics screen, shared by the project page and by share links.
import { InvalidParams, PageHeader } from '@/components/analytics/page-header'
import { StructuredOutputView } from '@/components/analytics/structured-output-view'
import { structuredOutputInputSchema, structuredOutputReport } from '@/lib/analytics/structured-output'
import { pickSearchParams } from '@/lib/http/search-params'
import { describeIssues } from '@/lib/ingest/span-schema'

export async function StructuredOutputScreen({ projectId, search }: { projectId: string; search: Record<string, string | string[] | undefined> }) {
  const parsed = structuredOutputInputSchema.safeParse(pickSearchParams(search, ['range', 'from', 'to']))
  return (
    <main className="space-y-4 p-6">
      <PageHeader
        title="Structured output"
        description="Schema validity at the first try against in the end, the depth of the re-prompt loops behind it and what the loops cost. An object is a logical call (a first attempt plus its retries) whose spans carry a schema validity."
      />
      {parsed.success ? <StructuredOutputView report={await structuredOutputReport(projectId, parsed.data)} /> : <InvalidParams message={describeIssues(parsed.error)} />}
    </main>
  )
}
