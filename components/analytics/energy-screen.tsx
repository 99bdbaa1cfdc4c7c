// The energy analytics screen, shared by the project page and by share links.
import { EnergyView } from '@/components/analytics/energy-view'
import { InvalidParams, PageHeader } from '@/components/analytics/page-header'
import { energyInputSchema, energyReport } from '@/lib/analytics/energy'
import { pickSearchParams } from '@/lib/http/search-params'
import { describeIssues } from '@/lib/ingest/span-schema'

export async function EnergyScreen({ projectId, search }: { projectId: string; search: Record<string, string | string[] | undefined> }) {
  const parsed = energyInputSchema.safeParse(pickSearchParams(search, ['range', 'from', 'to']))
  return (
    <main className="space-y-4 p-6">
      <PageHeader
        title="Energy per task"
        description="Estimated energy of the model calls behind each task (the flightline.task of a trace's root span, else the root span's name): per task, per model, tokens per watt-hour and how much the prompt cache spared."
      />
      {parsed.success ? <EnergyView report={await energyReport(projectId, parsed.data)} /> : <InvalidParams message={describeIssues(parsed.error)} />}
    </main>
  )
}
