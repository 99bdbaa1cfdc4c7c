// The overview analytics screen, shared by the project page and by share links.
import { OverviewView } from '@/components/analytics/overview-view'
import { InvalidParams, PageHeader } from '@/components/analytics/page-header'
import { UrlSelect } from '@/components/ui/url-select'
import { overviewInputSchema, overviewReport } from '@/lib/analytics/overview'
import { COMPONENTS } from '@/db/clickhouse/queries/analytics/overview'
import { pickSearchParams } from '@/lib/http/search-params'
import { describeIssues } from '@/lib/ingest/span-schema'
import { getProject } from '@/lib/projects/projects'
import { samplingOn } from '@/lib/recorder/sampling-policy'
import { SamplingNote } from './sampling-note'

const SPLIT_OPTIONS: Record<(typeof COMPONENTS)[number], string> = { model: 'model', prompt: 'prompt version', tool: 'tool', retriever: 'retriever', guardrail: 'guardrail' }

export async function OverviewScreen({ projectId, search }: { projectId: string; search: Record<string, string | string[] | undefined> }) {
  const query = pickSearchParams(search, ['range', 'from', 'to', 'bucket', 'split'])
  const parsed = overviewInputSchema.safeParse(query)
  const sampling = (await getProject(projectId))?.settings.sampling
  return (
    <main className="space-y-4 p-6">
      <PageHeader
        title="Overview"
        description="Model-call volume, error rate, p95 latency and cost over time, split by component, with markers where a model, prompt version or system prompt first appeared."
      >
        <UrlSelect label="Split by" param="split" value={query.split ?? 'model'} options={COMPONENTS.map((c) => ({ value: c, label: SPLIT_OPTIONS[c] }))} testId="split-select" />
      </PageHeader>
      {samplingOn(sampling) && <SamplingNote rate={sampling.rate} />}
      {parsed.success ? <OverviewView report={await overviewReport(projectId, parsed.data)} /> : <InvalidParams message={describeIssues(parsed.error)} />}
    </main>
  )
}
