'use client'

// The widget builder: metric, filters, group-by, bucket and chart type, previewed as you edit
// (POST /api/v1/query over the board's range and tenant) before the widget goes on the board.
import { useEffect, useMemo, useState } from 'react'
import { CHART_DIMENSIONS, CHART_METRICS, COLUMN_FILTERS, SPAN_KINDS, SPAN_STATUSES, MAX_CHART_GROUPS } from '@/db/clickhouse/queries/analytics/chart-fields'
import type { DashboardWidget } from '@/db/postgres/schema'
import type { ChartAnswer } from '@/lib/analytics/query-engine'
import { widgetQueryOnBoard } from '@/lib/dashboards/board-query'
import { METRIC_LABELS, WidgetChart, isEmptyAnswer, type ChartType } from './widget-chart'

const CHART_TYPES: { value: ChartType; label: string }[] = [
  { value: 'line', label: 'Line' },
  { value: 'bar', label: 'Bar' },
  { value: 'stacked', label: 'Stacked' },
  { value: 'table', label: 'Table' },
  { value: 'number', label: 'Number' },
]

const BUCKETS: { value: string; label: string }[] = [
  { value: '', label: 'none (one value per group)' },
  { value: '300', label: '5 minutes' },
  { value: '900', label: '15 minutes' },
  { value: '3600', label: '1 hour' },
  { value: '21600', label: '6 hours' },
  { value: '86400', label: '1 day' },
]

const DIMENSION_LABELS: Record<(typeof CHART_DIMENSIONS)[number], string> = {
  model: 'model',
  tenant_id: 'tenant',
  tool_name: 'tool',
  kind: 'span kind',
  status: 'status',
  service: 'service',
  prompt_version: 'prompt version',
  route_segment: 'route segment',
  name: 'span name',
}

const FILTER_LABELS: Record<(typeof COLUMN_FILTERS)[number], string> = {
  model: 'Model',
  tenant_id: 'Tenant',
  user_id: 'User',
  service: 'Service',
  tool_name: 'Tool',
  prompt_name: 'Prompt',
  route_segment: 'Route segment',
}

type Query = Record<string, unknown> & { filters?: Record<string, unknown> }

const input = 'w-full rounded border border-slate-300 bg-white px-2 py-1 text-sm'

function attributesText(attributes: unknown): string {
  if (!attributes || typeof attributes !== 'object') return ''
  return Object.entries(attributes as Record<string, string>)
    .map(([key, value]) => `${key}=${value}`)
    .join('\n')
}

function parseAttributes(text: string): Record<string, string> | undefined {
  const entries = text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const eq = line.indexOf('=')
      return eq < 0 ? [line, ''] : [line.slice(0, eq).trim(), line.slice(eq + 1).trim()]
    })
  return entries.length > 0 ? Object.fromEntries(entries) : undefined
}

export function WidgetBuilder({
  projectId,
  board,
  initial,
  onSave,
  onCancel,
}: {
  projectId: string
  board: { from: string; to: string; tenantId?: string }
  initial?: DashboardWidget
  onSave: (widget: DashboardWidget, preview?: ChartAnswer) => void
  onCancel: () => void
}) {
  const [title, setTitle] = useState(initial?.title ?? '')
  const [chart, setChart] = useState<ChartType>(initial?.chart ?? 'line')
  const [query, setQuery] = useState<Query>(initial?.query ?? { metric: 'count', group_by: 'model', bucket: 3600 })
  const [attributes, setAttributes] = useState(attributesText(query.filters?.attributes))
  const [answer, setAnswer] = useState<ChartAnswer>()
  const [error, setError] = useState<string>()
  const [loading, setLoading] = useState(false)

  const set = (field: string, value: unknown) =>
    setQuery((current) => {
      const next = { ...current }
      if (value === undefined || value === '') delete next[field]
      else next[field] = value
      return next
    })
  const setFilter = (field: string, value: unknown) =>
    setQuery((current) => {
      const filters = { ...(current.filters ?? {}) }
      if (value === undefined || value === '') delete filters[field]
      else filters[field] = value
      const next: Query = { ...current, filters }
      if (Object.keys(filters).length === 0) delete next.filters
      return next
    })

  const groupBy = typeof query.group_by === 'string' ? query.group_by : ''
  const byAttribute = groupBy.startsWith('attribute:')
  const body = useMemo(() => widgetQueryOnBoard(query, { from: new Date(board.from), to: new Date(board.to), tenantId: board.tenantId }), [query, board.from, board.to, board.tenantId])

  // Preview as you edit: the same query the board will run, a moment after the last change.
  useEffect(() => {
    const controller = new AbortController()
    const timer = setTimeout(async () => {
      setLoading(true)
      try {
        const response = await fetch(`/api/v1/query?project=${encodeURIComponent(projectId)}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
          signal: controller.signal,
        })
        const json = await response.json().catch(() => ({}))
        if (response.ok) {
          setAnswer(json as ChartAnswer)
          setError(undefined)
        } else {
          setAnswer(undefined)
          setError(String(json.error ?? `the query failed (${response.status})`))
        }
      } catch (caught) {
        if ((caught as Error).name !== 'AbortError') setError(String(caught))
      } finally {
        if (!controller.signal.aborted) setLoading(false)
      }
    }, 350)
    return () => {
      controller.abort()
      clearTimeout(timer)
    }
  }, [body, projectId])

  const metric = String(query.metric ?? 'count') as (typeof CHART_METRICS)[number]
  const save = (event: React.FormEvent) => {
    event.preventDefault()
    const { from: _from, to: _to, range: _range, ...stored } = query
    const defaultTitle = `${METRIC_LABELS[metric]}${groupBy ? ` by ${byAttribute ? groupBy.slice(10) : DIMENSION_LABELS[groupBy as keyof typeof DIMENSION_LABELS]}` : ''}`
    onSave({ title: title.trim() || defaultTitle, chart, query: stored, layout: initial?.layout ?? { x: 0, y: 0, w: 6, h: 4 } }, error ? undefined : answer)
  }

  return (
    <form onSubmit={save} className="grid gap-4 rounded-lg border border-slate-300 bg-white p-4 shadow-lg lg:grid-cols-[22rem_1fr]" data-testid="widget-builder">
      <div className="space-y-3 text-sm">
        <label className="block">
          <span className="text-xs font-medium text-slate-600">Title</span>
          <input className={input} value={title} onChange={(e) => setTitle(e.target.value)} placeholder={METRIC_LABELS[metric]} aria-label="Widget title" />
        </label>
        <div className="grid grid-cols-2 gap-2">
          <label className="block">
            <span className="text-xs font-medium text-slate-600">Metric</span>
            <select
              className={input}
              aria-label="Metric"
              value={metric}
              onChange={(e) => {
                set('metric', e.target.value)
                if (e.target.value !== 'score_mean') set('score_name', undefined)
              }}
            >
              {CHART_METRICS.map((m) => (
                <option key={m} value={m}>
                  {METRIC_LABELS[m]}
                </option>
              ))}
            </select>
          </label>
          <label className="block">
            <span className="text-xs font-medium text-slate-600">Chart</span>
            <select className={input} aria-label="Chart type" value={chart} onChange={(e) => setChart(e.target.value as ChartType)}>
              {CHART_TYPES.map((c) => (
                <option key={c.value} value={c.value}>
                  {c.label}
                </option>
              ))}
            </select>
          </label>
        </div>
        {metric === 'score_mean' && (
          <label className="block">
            <span className="text-xs font-medium text-slate-600">Score name</span>
            <input className={input} aria-label="Score name" value={String(query.score_name ?? '')} onChange={(e) => set('score_name', e.target.value)} placeholder="helpfulness" />
          </label>
        )}
        <div className="grid grid-cols-2 gap-2">
          <label className="block">
            <span className="text-xs font-medium text-slate-600">Group by</span>
            <select className={input} aria-label="Group by" value={byAttribute ? 'attribute:' : groupBy} onChange={(e) => set('group_by', e.target.value === 'attribute:' ? 'attribute:app.feature' : e.target.value)}>
              <option value="">nothing (one series)</option>
              {CHART_DIMENSIONS.map((d) => (
                <option key={d} value={d}>
                  {DIMENSION_LABELS[d]}
                </option>
              ))}
              <option value="attribute:">an attribute…</option>
            </select>
          </label>
          <label className="block">
            <span className="text-xs font-medium text-slate-600">Over time</span>
            <select className={input} aria-label="Bucket" value={String(query.bucket ?? '')} onChange={(e) => set('bucket', e.target.value ? Number(e.target.value) : undefined)}>
              {BUCKETS.map((b) => (
                <option key={b.value} value={b.value}>
                  {b.label}
                </option>
              ))}
            </select>
          </label>
        </div>
        {byAttribute && (
          <label className="block">
            <span className="text-xs font-medium text-slate-600">Attribute key</span>
            <input className={input} aria-label="Attribute key" value={groupBy.slice(10)} onChange={(e) => set('group_by', `attribute:${e.target.value}`)} />
          </label>
        )}
        {groupBy && (
          <label className="block">
            <span className="text-xs font-medium text-slate-600">Groups shown (the rest is pooled as “other”)</span>
            <input className={input} type="number" min={1} max={MAX_CHART_GROUPS} aria-label="Groups shown" value={String(query.limit ?? 10)} onChange={(e) => set('limit', e.target.value ? Number(e.target.value) : undefined)} />
          </label>
        )}
        <fieldset className="space-y-2 rounded border border-slate-200 p-2">
          <legend className="px-1 text-xs font-medium text-slate-600">Filters</legend>
          <div className="grid grid-cols-2 gap-2">
            <label className="block">
              <span className="text-xs text-slate-500">Span kind</span>
              <select className={input} aria-label="Span kind" value={String(query.filters?.kind ?? '')} onChange={(e) => setFilter('kind', e.target.value)}>
                <option value="">model calls (llm)</option>
                {SPAN_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {k}
                  </option>
                ))}
              </select>
            </label>
            <label className="block">
              <span className="text-xs text-slate-500">Status</span>
              <select className={input} aria-label="Status" value={String(query.filters?.status ?? '')} onChange={(e) => setFilter('status', e.target.value)}>
                <option value="">any</option>
                {SPAN_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
            </label>
            {COLUMN_FILTERS.map((name) => (
              <label key={name} className="block">
                <span className="text-xs text-slate-500">{FILTER_LABELS[name]}</span>
                <input className={input} aria-label={`Filter ${FILTER_LABELS[name]}`} value={String(query.filters?.[name] ?? '')} onChange={(e) => setFilter(name, e.target.value)} />
              </label>
            ))}
          </div>
          <label className="block">
            <span className="text-xs text-slate-500">Attributes (one key=value a line)</span>
            <textarea
              className={`${input} font-mono text-xs`}
              rows={2}
              aria-label="Attribute filters"
              value={attributes}
              onChange={(e) => {
                setAttributes(e.target.value)
                setFilter('attributes', parseAttributes(e.target.value))
              }}
            />
          </label>
        </fieldset>
        <div className="flex gap-2">
          <button type="submit" className="rounded bg-slate-900 px-3 py-1.5 text-sm text-white hover:bg-slate-700" disabled={Boolean(error)}>
            {initial ? 'Update widget' : 'Add to dashboard'}
          </button>
          <button type="button" onClick={onCancel} className="rounded border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-50">
            Cancel
          </button>
        </div>
      </div>
      <div className="flex min-h-[22rem] flex-col rounded border border-slate-200 p-3" data-testid="widget-preview">
        <div className="mb-2 flex items-center justify-between text-xs text-slate-500">
          <span>Preview over the board’s time range{board.tenantId ? ` for tenant ${board.tenantId}` : ''}</span>
          {loading && <span>updating…</span>}
        </div>
        {error ? (
          <div className="rounded border border-red-200 bg-red-50 p-3 text-sm text-red-800" data-testid="widget-preview-error">
            {error}
          </div>
        ) : answer && isEmptyAnswer(answer) ? (
          <div className="flex flex-1 items-center justify-center rounded border border-dashed border-slate-300 p-4 text-center text-sm text-slate-500">
            No spans match in this time range. Widen the range, or loosen the filters.
          </div>
        ) : answer ? (
          <div className="min-h-0 flex-1">
            <WidgetChart answer={answer} chart={chart} />
          </div>
        ) : null}
      </div>
    </form>
  )
}
