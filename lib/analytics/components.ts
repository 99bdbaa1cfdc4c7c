// Which component broke (GET /api/v1/analytics/components and the on-call landing page): every
// component's calls, error rate and p95 against the same component over a baseline window, its
// status and since when, and the suspects that explain the request-level errors and latency.
// Definitions and rules: component-health.ts and docs/analytics.md.
import { z } from 'zod'
import { componentBaseline, componentBuckets } from '@/db/clickhouse/queries/analytics/components'
import { relativeRangeMs } from '@/lib/time/range'
import { componentHealth, rankSuspects, verdict, type ComponentHealth, type ComponentInput, type ComponentKind, type Suspect } from './component-health'
import { firstAppearances, type Marker } from './overview'
import { bucketField, rangeFields, refineBucket, refineRange } from './range-params'

export const MAX_COMPONENTS = 200

export const componentsInputSchema = z
  .object({
    ...rangeFields,
    bucket: bucketField,
    baseline: z.string().max(16).optional(),
  })
  .strict()
  .transform((value, ctx) => {
    const range = refineRange(value, ctx)
    if (!range) return z.NEVER
    const bucketSeconds = refineBucket(value.bucket, range, ctx)
    let baselineMs = range.to.getTime() - range.from.getTime()
    if (value.baseline !== undefined) {
      const ms = relativeRangeMs(value.baseline)
      if (ms === undefined || ms > 92 * 86_400_000) {
        ctx.addIssue({ code: 'custom', path: ['baseline'], message: `must look like 15m, 24h or 7d (at most 92 days), got ${JSON.stringify(value.baseline)}` })
        return z.NEVER
      }
      baselineMs = ms
    }
    return { ...range, bucketSeconds, baselineFrom: new Date(range.from.getTime() - baselineMs) }
  })
export type ComponentsInput = z.output<typeof componentsInputSchema>

/** A component in the answer: its health without the ranking internals. */
export type ComponentApi = Omit<ComponentHealth, 'excess' | 'top_error'>

/** The JSON answer of GET /api/v1/analytics/components. */
export interface ComponentsAnswer {
  components: ComponentApi[]
  suspects: Suspect[]
}

export interface ComponentPoint {
  t: string
  calls: number
  error_rate: number | null
  p95_ms: number | null
}

export interface ComponentsReport extends ComponentsAnswer {
  from: string
  to: string
  baseline_from: string
  bucket_seconds: number
  verdict: string
  /** Per component (same order as `components`): its points over the range and its provider. */
  series: Array<{ points: ComponentPoint[]; provider: string; baseline_calls: number }>
  /** Components left out beyond MAX_COMPONENTS (the least called). */
  truncated: number
  /** New models, prompt versions and system prompts in the range, as on the overview. */
  markers: Marker[]
}

const keyOf = (kind: string, component: string) => `${kind}/${component}`

/** The traces list filtered to a component and the window since its change. */
export function evidenceUrl(projectId: string, health: Pick<ComponentHealth, 'kind' | 'component' | 'since' | 'status'>, to: string): string {
  const search = new URLSearchParams({ from: health.since ?? to, to })
  if (health.kind === 'model') search.set('model', health.component)
  else {
    search.set('kind', health.kind === 'prompt' ? 'llm' : health.kind)
    search.set('q', health.kind === 'prompt' ? health.component.split('@')[0] : health.component)
  }
  if (health.status === 'failing') search.set('errors_only', 'true')
  return `/projects/${projectId}/traces?${search}`
}

export async function componentsReport(projectId: string, input: ComponentsInput): Promise<ComponentsReport> {
  const [baselineRows, appearances] = await Promise.all([
    componentBaseline(projectId, { from: input.baselineFrom, to: input.from }),
    firstAppearances(projectId, { from: input.from, to: input.to, bucketSeconds: input.bucketSeconds }),
  ])
  const baseline = new Map(baselineRows.map((row) => [keyOf(row.kind, row.component), row]))
  const withP95 = baselineRows.filter((row) => Number.isFinite(Number(row.p95_ms)))
  const rows = await componentBuckets(projectId, { from: input.from, to: input.to, bucketSeconds: input.bucketSeconds }, { keys: withP95.map((row) => keyOf(row.kind, row.component)), ms: withP95.map((row) => Number(row.p95_ms)) })

  const byComponent = new Map<string, { kind: ComponentKind; component: string; total?: (typeof rows)[number]; buckets: (typeof rows)[number][] }>()
  for (const row of rows) {
    const key = keyOf(row.kind, row.component)
    let entry = byComponent.get(key)
    if (!entry) byComponent.set(key, (entry = { kind: row.kind as ComponentKind, component: row.component, buckets: [] }))
    if (row.t === null || row.t === undefined) entry.total = row
    else entry.buckets.push(row)
  }
  const entries = [...byComponent.values()].sort((a, b) => Number(b.total?.calls ?? 0) - Number(a.total?.calls ?? 0) || a.component.localeCompare(b.component))
  const kept = entries.slice(0, MAX_COMPONENTS)

  const inputs: ComponentInput[] = kept.map((entry) => {
    const base = baseline.get(keyOf(entry.kind, entry.component))
    return {
      component: entry.component,
      kind: entry.kind,
      baseline: { calls: Number(base?.calls ?? 0), errors: Number(base?.errors ?? 0), p95_ms: base && Number.isFinite(Number(base.p95_ms)) ? Number(base.p95_ms) : null },
      buckets: entry.buckets
        .map((b) => ({ t: Number(b.t) * 1000, calls: Number(b.calls), errors: Number(b.errors), slow: Number(b.slow), p95_ms: Number(b.p95_ms) }))
        .sort((a, b) => a.t - b.t),
      p95_ms: entry.total ? Number(entry.total.p95_ms) : null,
      top_error: entry.total?.top_error ?? '',
    }
  })
  const health = componentHealth(inputs)
  const to = input.to.toISOString()
  const suspects = rankSuspects(health, (h) => evidenceUrl(projectId, h, to))

  const bucketMs = input.bucketSeconds * 1000
  const first = Math.floor(input.from.getTime() / bucketMs)
  const last = Math.floor((input.to.getTime() - 1) / bucketMs)
  const series = inputs.map((componentInput, i) => {
    const byT = new Map(componentInput.buckets.map((b) => [b.t, b]))
    const points = Array.from({ length: last - first + 1 }, (_, k) => {
      const t = (first + k) * bucketMs
      const b = byT.get(t)
      return { t: new Date(t).toISOString(), calls: b?.calls ?? 0, error_rate: b && b.calls > 0 ? b.errors / b.calls : null, p95_ms: b ? b.p95_ms : null }
    })
    return { points, provider: kept[i].total?.provider ?? '', baseline_calls: componentInput.baseline.calls }
  })

  return {
    from: input.from.toISOString(),
    to,
    baseline_from: input.baselineFrom.toISOString(),
    bucket_seconds: input.bucketSeconds,
    verdict: verdict(health, suspects),
    components: health.map(({ excess: _excess, top_error: _topError, ...component }) => component),
    suspects,
    series,
    truncated: entries.length - kept.length,
    markers: appearances.markers,
  }
}

export function componentsAnswer(report: ComponentsReport): ComponentsAnswer {
  return { components: report.components, suspects: report.suspects }
}
