// The recorder page: what each service fails to record for an incident review, and the
// attribute to set to fix it (the fix is in the instrumented application).
import { InvalidParams, PageHeader } from '@/components/analytics/page-header'
import { pickSearchParams } from '@/lib/http/search-params'
import { describeIssues } from '@/lib/ingest/span-schema'
import { RECORDER_FIELDS, recorderInputSchema, recorderReport } from '@/lib/recorder/completeness'
import { RecorderView, type FieldGuide } from './recorder-view'

export async function RecorderScreen({ projectId, search }: { projectId: string; search: Record<string, string | string[] | undefined> }) {
  const parsed = recorderInputSchema.safeParse(pickSearchParams(search, ['range', 'from', 'to']))
  const guide: FieldGuide[] = RECORDER_FIELDS.map(({ field, weight, fix }) => ({ field, weight, ...fix }))
  return (
    <main className="space-y-4 p-6">
      <PageHeader
        title="Recorder completeness"
        description="Which facts an incident review needs each service records on its model and tool calls: the resolved model, the system prompt, sampling parameters, full input and output, tokens, finish reason, uncut tool arguments and results, user or tenant, service version. Fix what is missing in the instrumented application."
      />
      {parsed.success ? <RecorderView report={await recorderReport(projectId, parsed.data)} guide={guide} /> : <InvalidParams message={describeIssues(parsed.error)} />}
    </main>
  )
}
