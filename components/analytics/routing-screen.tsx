// The routing analytics screen, shared by the project page and by share links.
import { InvalidParams, PageHeader } from '@/components/analytics/page-header'
import { RoutingView } from '@/components/analytics/routing-view'
import { UrlSelect } from '@/components/ui/url-select'
import { MAX_TIMELINE_REQUESTS, routingInputSchema, routingReport, timelineInputSchema, userTimeline } from '@/lib/analytics/routing'
import { pickSearchParams } from '@/lib/http/search-params'
import { describeIssues } from '@/lib/ingest/span-schema'

export async function RoutingScreen({ projectId, search }: { projectId: string; search: Record<string, string | string[] | undefined> }) {
  const query = pickSearchParams(search, ['range', 'from', 'to', 'by', 'score_name'])
  const parsed = routingInputSchema.safeParse(query)
  const user = pickSearchParams(search, ['user']).user
  const timelineInput = user ? timelineInputSchema.safeParse({ ...pickSearchParams(search, ['range', 'from', 'to', 'by']), user_id: user, limit: String(MAX_TIMELINE_REQUESTS) }) : undefined
  const [report, timeline] = parsed.success
    ? await Promise.all([routingReport(projectId, parsed.data), timelineInput?.success ? userTimeline(projectId, timelineInput.data) : undefined])
    : [undefined, undefined]
  return (
    <main className="space-y-4 p-6">
      <PageHeader
        title="Routing cohorts"
        description="Requests grouped by the route segment (or the model) that served them: errors, refusals, structured-output failures, latency, eval scores and cost side by side, and the users and tenants who were switched between segments."
      >
        <UrlSelect
          label="Group by"
          param="by"
          value={query.by ?? 'segment'}
          options={[
            { value: 'segment', label: 'route segment' },
            { value: 'model', label: 'serving model' },
          ]}
          testId="by-select"
        />
      </PageHeader>
      {report ? <RoutingView report={report} timeline={timeline} /> : <InvalidParams message={parsed.success ? '' : describeIssues(parsed.error)} />}
    </main>
  )
}
