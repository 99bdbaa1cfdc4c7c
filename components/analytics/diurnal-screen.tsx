// The diurnal analytics screen, shared by the project page and by share links.
import { DiurnalView } from '@/components/analytics/diurnal-view'
import { HEATMAP_LABELS } from '@/components/analytics/heatmap-metrics'
import { InvalidParams, PageHeader } from '@/components/analytics/page-header'
import { UrlSelect } from '@/components/ui/url-select'
import { diurnalInputSchema, diurnalReport, HEATMAP_METRICS } from '@/lib/analytics/diurnal'
import { pickSearchParams } from '@/lib/http/search-params'
import { describeIssues } from '@/lib/ingest/span-schema'

const ZONES = [
  'UTC',
  'America/Los_Angeles',
  'America/Denver',
  'America/Chicago',
  'America/New_York',
  'America/Sao_Paulo',
  'Europe/London',
  'Europe/Paris',
  'Europe/Berlin',
  'Asia/Kolkata',
  'Asia/Shanghai',
  'Asia/Tokyo',
  'Australia/Sydney',
]

export async function DiurnalScreen({ projectId, search }: { projectId: string; search: Record<string, string | string[] | undefined> }) {
  const query = pickSearchParams(search, ['range', 'from', 'to', 'tz', 'metric', 'score_name'])
  const parsed = diurnalInputSchema.safeParse(query)
  // The zone as the server resolved it (`utc` is shown as UTC), else as the URL gave it.
  const tz = parsed.success ? parsed.data.tz : (query.tz ?? 'UTC')
  return (
    <main className="space-y-4 p-6">
      <PageHeader
        title="Diurnal comparison"
        description="An LLM call is not a pure function of its input: load, batching and routing follow the wall clock. Production model calls by hour of day in a time zone, and the hours your evals ran against the hours your users arrive."
      >
        <UrlSelect label="Time zone" param="tz" value={tz} options={(ZONES.includes(tz) ? ZONES : [tz, ...ZONES]).map((zone) => ({ value: zone, label: zone }))} testId="tz-select" />
        <UrlSelect
          label="Heatmap"
          param="metric"
          value={query.metric ?? 'p95_ms'}
          options={HEATMAP_METRICS.map((metric) => ({ value: metric, label: HEATMAP_LABELS[metric].label }))}
          testId="metric-select"
        />
      </PageHeader>
      {parsed.success ? <DiurnalView report={await diurnalReport(projectId, parsed.data)} /> : <InvalidParams message={describeIssues(parsed.error)} />}
    </main>
  )
}
