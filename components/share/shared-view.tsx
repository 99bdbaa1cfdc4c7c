// A saved view opened through a share link: the view's own screen, read-only, inside a frame
// without the product's navigation. Only the saved page is rendered, with its saved filters
// and time range; the visitor may change presentation (sorting, paging, columns), nothing else.
import type { SavedView } from '@/db/postgres/schema'
import { CacheScreen } from '@/components/analytics/cache-screen'
import { ComponentsScreen } from '@/components/analytics/components-screen'
import { DiurnalScreen } from '@/components/analytics/diurnal-screen'
import { GuardrailsScreen } from '@/components/analytics/guardrails-screen'
import { OverviewScreen } from '@/components/analytics/overview-screen'
import { RerankersScreen } from '@/components/analytics/rerankers-screen'
import { RoutingScreen } from '@/components/analytics/routing-screen'
import { RetriesScreen, StructuredOutputScreen, TokenizerScreen, EnergyScreen } from '@/components/analytics/money-screens'
import { TraceCompareScreen } from '@/components/trace/trace-compare'
import { TraceScreen } from '@/components/trace/trace-screen'
import { TracesScreen } from '@/components/traces/traces-screen'
import { DashboardScreen } from '@/components/dashboards/dashboard-screen'
import { resolveRange, InvalidRangeError } from '@/lib/time/range'
import { sharedViewSearch, viewTraceId } from '@/lib/views/share-scope'
import { ShareTokenProvider } from './share-context'

/** The saved filters of a view, as read-only chips (the time range is shown beside them). */
function viewFilters(state: Record<string, string>): [string, string][] {
  const hidden = new Set(['range', 'from', 'to', 'cols', 'sort', 'order', 'cursor', 'span', 'panel', 'graph'])
  return Object.entries(state).filter(([key, value]) => !hidden.has(key) && value !== '')
}

export function ShareFrame({ view, rangeLabel, backHref, children }: { view: SavedView; rangeLabel?: string; backHref?: string; children: React.ReactNode }) {
  const filters = viewFilters(view.state)
  return (
    <div className="flex min-h-screen flex-col">
      <header className="sticky top-0 z-20 flex h-12 shrink-0 items-center gap-4 border-b border-slate-200 bg-white px-4">
        <span className="flex items-center gap-2 font-semibold tracking-tight">
          <span className="inline-block h-3 w-3 rounded-full bg-amber-500" aria-hidden />
          Flightline
        </span>
        {backHref && (
          <a href={backHref} className="shrink-0 text-sm text-slate-500 hover:text-slate-900">
            ← Back to the shared list
          </a>
        )}
        <span className="min-w-[6rem] shrink-[10] truncate text-slate-700" title={view.name} data-testid="shared-view-name">
          {view.name}
        </span>
        {rangeLabel && (
          <span className="shrink-0 rounded border border-slate-200 bg-slate-50 px-2 py-0.5 text-xs text-slate-700" data-testid="shared-range" title="The time range of this view (read-only)">
            {rangeLabel}
          </span>
        )}
        {filters.length > 0 && (
          <span className="flex shrink-0 items-center gap-1" data-testid="shared-filters" aria-label="Filters of this view (read-only)">
            {filters.map(([key, value]) => (
              <span key={key} className="whitespace-nowrap rounded border border-slate-200 bg-slate-50 px-1.5 py-0.5 text-xs text-slate-700" title={`${key}: ${value}`} data-testid="shared-filter">
                {key.replace(/_id$/, '').replace(/_/g, ' ')}: <span className="font-medium">{value}</span>
              </span>
            ))}
          </span>
        )}
        <span className="ml-auto shrink-0 whitespace-nowrap rounded-full bg-slate-100 px-2 py-0.5 text-xs text-slate-600">shared view · read-only</span>
      </header>
      <div className="flex min-h-0 flex-1 flex-col">{children}</div>
    </div>
  )
}

/** The view's time range in words, as the shared page shows it (read-only). */
export function rangeLabel(state: Record<string, string>): string | undefined {
  try {
    return resolveRange({ range: state.range, from: state.from, to: state.to }).label
  } catch (error) {
    if (error instanceof InvalidRangeError) return undefined
    throw error
  }
}

const ANALYTICS_SCREENS: Record<string, (props: { projectId: string; search: Record<string, string> }) => Promise<React.ReactNode>> = {
  overview: OverviewScreen,
  cache: CacheScreen,
  routing: RoutingScreen,
  diurnal: DiurnalScreen,
  components: ComponentsScreen,
  guardrails: GuardrailsScreen,
  rerankers: RerankersScreen,
  retries: (props) => RetriesScreen({ ...props, shared: true }),
  'structured-output': StructuredOutputScreen,
  tokenizer: TokenizerScreen,
  energy: EnergyScreen,
}

export async function SharedView({ token, view, query }: { token: string; view: SavedView; query: Record<string, string | string[] | undefined> }) {
  const search = sharedViewSearch(view, query)
  const traceId = viewTraceId(view)
  let screen: React.ReactNode | undefined
  if (view.path === `/projects/${view.projectId}/traces/compare`) {
    screen = <TraceCompareScreen projectId={view.projectId} a={view.state.a ?? ''} b={view.state.b ?? ''} shared />
  } else if (view.path === `/projects/${view.projectId}/traces`) {
    screen = <TracesScreen projectId={view.projectId} search={search} canWrite={false} shared />
  } else if (traceId) {
    screen = <TraceScreen projectId={view.projectId} traceId={traceId} search={new URLSearchParams()} shared />
  } else if (view.path.startsWith(`/projects/${view.projectId}/dashboards/`)) {
    const dashboardId = view.path.slice(`/projects/${view.projectId}/dashboards/`.length)
    screen = <DashboardScreen projectId={view.projectId} dashboardId={dashboardId} search={search} canWrite={false} shared />
  } else if (view.path.startsWith(`/projects/${view.projectId}/analytics/`)) {
    const Screen = ANALYTICS_SCREENS[view.path.slice(`/projects/${view.projectId}/analytics/`.length)]
    screen = Screen ? <Screen projectId={view.projectId} search={search} /> : undefined
  }
  if (!screen) {
    screen = <main className="p-6 text-slate-600">This kind of view cannot be shared.</main>
  }
  return (
    <ShareFrame view={view} rangeLabel={traceId ? undefined : rangeLabel(view.state)}>
      <ShareTokenProvider token={token}>{screen}</ShareTokenProvider>
    </ShareFrame>
  )
}
