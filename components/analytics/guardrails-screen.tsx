// The guardrail latency screen, shared by the project page and by share links.
import { GuardrailsView } from '@/components/analytics/guardrails-view'
import { InvalidParams, PageHeader } from '@/components/analytics/page-header'
import { guardrailsInputSchema, guardrailsReport } from '@/lib/analytics/guardrails'
import { pickSearchParams } from '@/lib/http/search-params'
import { describeIssues } from '@/lib/ingest/span-schema'

export async function GuardrailsScreen({ projectId, search }: { projectId: string; search: Record<string, string | string[] | undefined> }) {
  const parsed = guardrailsInputSchema.safeParse(pickSearchParams(search, ['range', 'from', 'to']))
  return (
    <main className="space-y-4 p-6">
      <PageHeader
        title="Guardrail latency"
        description="Where a request's time goes: each guardrail stage as a round trip before, beside or after the model, the model time an eval of the prompt alone would measure, and the paths requests take (clean, refused, blocked, reformulated) side by side."
      />
      {parsed.success ? <GuardrailsView report={await guardrailsReport(projectId, parsed.data)} /> : <InvalidParams message={describeIssues(parsed.error)} />}
    </main>
  )
}
