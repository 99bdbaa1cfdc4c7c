// The tokenizer-drift analytics screen, shared by the project page and by share links.
import { InvalidParams, PageHeader } from '@/components/analytics/page-header'
import { TokenizerView } from '@/components/analytics/tokenizer-view'
import { UrlSelect } from '@/components/ui/url-select'
import { DEFAULT_MARGIN, tokenizerInputSchema, tokenizerReport } from '@/lib/analytics/tokenizer'
import { pickSearchParams } from '@/lib/http/search-params'
import { describeIssues } from '@/lib/ingest/span-schema'

const MARGINS = ['0.02', '0.05', '0.1', '0.2'].map((value) => ({ value, label: `${Math.round(Number(value) * 100)}%` }))

export async function TokenizerScreen({ projectId, search }: { projectId: string; search: Record<string, string | string[] | undefined> }) {
  const query = pickSearchParams(search, ['range', 'from', 'to', 'bucket', 'margin'])
  const parsed = tokenizerInputSchema.safeParse(query)
  const margin = query.margin ?? String(DEFAULT_MARGIN)
  return (
    <main className="space-y-4 p-6">
      <PageHeader
        title="Tokenizer drift"
        description="Your own count of input tokens against what the provider billed, by model and by the dominant script of the input. A breach is a call the provider counted more than your count plus the margin: the margin your pre-flight check thought it had was not there."
      >
        <UrlSelect label="Margin" param="margin" value={margin} options={MARGINS.some((m) => m.value === margin) ? MARGINS : [...MARGINS, { value: margin, label: margin }]} testId="margin-select" />
      </PageHeader>
      {parsed.success ? <TokenizerView report={await tokenizerReport(projectId, parsed.data)} /> : <InvalidParams message={describeIssues(parsed.error)} />}
    </main>
  )
}
