'use client'

// A dashboard's widgets on a 12-column grid. Read-only for viewers and share links; in edit mode
// widgets are added and changed with the builder, dragged by their title bar and resized by their
// corner, and the whole board is saved at once (PATCH /api/v1/dashboards/{id}).
import { useRouter, usePathname, useSearchParams } from 'next/navigation'
import { useRef, useState } from 'react'
import type { DashboardWidget } from '@/db/postgres/schema'
import type { ChartAnswer } from '@/lib/analytics/query-engine'
import { WidgetBuilder } from './widget-builder'
import { WidgetChart, isEmptyAnswer } from './widget-chart'

export type WidgetResult = { answer?: ChartAnswer; error?: string }

const COLUMNS = 12
const ROW_HEIGHT = 72
const GAP = 12

type Drag = { index: number; mode: 'move' | 'resize'; startX: number; startY: number; dx: number; dy: number }

export function DashboardBoard({
  projectId,
  dashboard,
  results,
  board,
  canWrite,
  shared,
}: {
  projectId: string
  dashboard: { id: string; name: string; widgets: DashboardWidget[] }
  results: WidgetResult[]
  board: { from: string; to: string; tenantId?: string }
  canWrite: boolean
  shared: boolean
}) {
  const router = useRouter()
  const pathname = usePathname()
  const search = useSearchParams()
  const [editing, setEditing] = useState(false)
  const [name, setName] = useState(dashboard.name)
  const [widgets, setWidgets] = useState(dashboard.widgets)
  const [answers, setAnswers] = useState<WidgetResult[]>(results)
  const [builder, setBuilder] = useState<{ index?: number } | null>(null)
  const [drag, setDrag] = useState<Drag | null>(null)
  const [dirty, setDirty] = useState(false)
  const [saving, setSaving] = useState(false)
  const [error, setError] = useState<string>()
  const [tenant, setTenant] = useState(board.tenantId ?? '')
  const grid = useRef<HTMLDivElement>(null)

  const cellWidth = () => ((grid.current?.clientWidth ?? 1200) + GAP) / COLUMNS
  const bottom = Math.max(0, ...widgets.map((w) => w.layout.y + w.layout.h))

  const change = (next: DashboardWidget[]) => {
    setWidgets(next)
    setDirty(true)
  }

  const save = async () => {
    setSaving(true)
    setError(undefined)
    const response = await fetch(`/api/v1/dashboards/${dashboard.id}?project=${encodeURIComponent(projectId)}`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name, widgets }),
    })
    setSaving(false)
    if (!response.ok) {
      const json = await response.json().catch(() => ({}))
      return setError(String(json.error ?? `could not save (${response.status})`))
    }
    setDirty(false)
    setEditing(false)
    router.refresh()
  }

  const onPointerDown = (event: React.PointerEvent, index: number, mode: Drag['mode']) => {
    if (!editing) return
    event.preventDefault()
    ;(event.target as Element).setPointerCapture?.(event.pointerId)
    setDrag({ index, mode, startX: event.clientX, startY: event.clientY, dx: 0, dy: 0 })
  }
  const onPointerMove = (event: React.PointerEvent) => {
    if (!drag) return
    setDrag({ ...drag, dx: event.clientX - drag.startX, dy: event.clientY - drag.startY })
  }
  const onPointerUp = () => {
    if (!drag) return
    const next = widgets.map((w, i) => (i === drag.index ? { ...w, layout: draggedLayout(w.layout, drag) } : w))
    setDrag(null)
    if (drag.dx !== 0 || drag.dy !== 0) change(next)
  }
  const draggedLayout = (layout: DashboardWidget['layout'], d: Drag): DashboardWidget['layout'] => {
    const cols = Math.round(d.dx / cellWidth())
    const rowsMoved = Math.round(d.dy / (ROW_HEIGHT + GAP))
    if (d.mode === 'move') {
      return { ...layout, x: Math.min(Math.max(0, layout.x + cols), COLUMNS - layout.w), y: Math.max(0, layout.y + rowsMoved) }
    }
    return { ...layout, w: Math.min(Math.max(1, layout.w + cols), COLUMNS - layout.x), h: Math.min(Math.max(1, layout.h + rowsMoved), 24) }
  }

  const applyTenant = (event: React.FormEvent) => {
    event.preventDefault()
    const next = new URLSearchParams(search)
    if (tenant.trim()) next.set('tenant_id', tenant.trim())
    else next.delete('tenant_id')
    router.push(`${pathname}?${next.toString()}`)
  }

  const placeNew = (widget: DashboardWidget): DashboardWidget => ({ ...widget, layout: { ...widget.layout, x: 0, y: bottom } })

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-3">
        {editing ? (
          <input value={name} onChange={(e) => (setName(e.target.value), setDirty(true))} aria-label="Dashboard name" className="rounded border border-slate-300 px-2 py-1 text-lg font-semibold" />
        ) : (
          <h1 className="text-lg font-semibold" data-testid="dashboard-name">
            {name}
          </h1>
        )}
        {!shared && (
          <form onSubmit={applyTenant} className="flex items-center gap-1 text-sm">
            <label htmlFor="board-tenant" className="text-slate-600">
              Tenant
            </label>
            <input id="board-tenant" value={tenant} onChange={(e) => setTenant(e.target.value)} placeholder="all tenants" className="w-40 rounded border border-slate-300 px-2 py-1 text-sm" data-testid="board-tenant" />
            <button type="submit" className="rounded border border-slate-300 px-2 py-1 text-xs hover:bg-slate-50">
              Apply
            </button>
          </form>
        )}
        {canWrite && !shared && (
          <div className="ml-auto flex items-center gap-2">
            {editing ? (
              <>
                {dirty && <span className="text-xs text-amber-700">unsaved changes</span>}
                <button type="button" onClick={() => setBuilder({})} className="rounded border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-50">
                  Add widget
                </button>
                <button type="button" onClick={save} disabled={saving} className="rounded bg-slate-900 px-3 py-1.5 text-sm text-white hover:bg-slate-700">
                  {saving ? 'Saving…' : 'Save dashboard'}
                </button>
                <button
                  type="button"
                  onClick={() => {
                    setWidgets(dashboard.widgets)
                    setAnswers(results)
                    setName(dashboard.name)
                    setDirty(false)
                    setEditing(false)
                    setBuilder(null)
                  }}
                  className="rounded border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-50"
                >
                  Discard
                </button>
              </>
            ) : (
              <button type="button" onClick={() => setEditing(true)} className="rounded border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-50">
                Edit dashboard
              </button>
            )}
          </div>
        )}
      </div>
      {error && <div className="rounded border border-red-200 bg-red-50 p-2 text-sm text-red-800">{error}</div>}
      {editing && (
        <p className="text-xs text-slate-500">Drag a widget by its title bar to move it and by its lower right corner to resize it; then save the dashboard.</p>
      )}

      {builder && (
        <WidgetBuilder
          projectId={projectId}
          board={board}
          initial={builder.index !== undefined ? widgets[builder.index] : undefined}
          onCancel={() => setBuilder(null)}
          onSave={(widget, preview) => {
            if (builder.index !== undefined) {
              change(widgets.map((w, i) => (i === builder.index ? widget : w)))
              setAnswers(answers.map((a, i) => (i === builder.index ? (preview ? { answer: preview } : {}) : a)))
            } else {
              change([...widgets, placeNew(widget)])
              setAnswers([...answers, preview ? { answer: preview } : {}])
            }
            setBuilder(null)
          }}
        />
      )}

      {widgets.length === 0 ? (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-sm text-slate-600" data-testid="board-empty">
          This dashboard has no widgets yet.{' '}
          {canWrite && !shared ? (
            <>
              {editing ? 'Press' : <>Press <strong>Edit dashboard</strong>, then</>} <strong>Add widget</strong>: pick a metric (say p95 latency), a group-by (model, tenant, tool…) and a chart, and watch the preview as
              you go.
            </>
          ) : (
            'Someone with write access can add charts to it.'
          )}
        </div>
      ) : (
        <div
          ref={grid}
          className="relative grid"
          style={{ gridTemplateColumns: `repeat(${COLUMNS}, minmax(0, 1fr))`, gridAutoRows: `${ROW_HEIGHT}px`, gap: GAP }}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
          onPointerCancel={() => setDrag(null)}
          data-testid="dashboard-grid"
        >
          {widgets.map((widget, index) => {
            const layout = drag?.index === index ? draggedLayout(widget.layout, drag) : widget.layout
            const result = answers[index]
            return (
              <section
                key={index}
                className={`flex min-w-0 flex-col rounded-lg border bg-white p-3 shadow-sm ${drag?.index === index ? 'border-blue-400 ring-2 ring-blue-200' : 'border-slate-200'}`}
                style={{ gridColumn: `${layout.x + 1} / span ${layout.w}`, gridRow: `${layout.y + 1} / span ${layout.h}` }}
                data-testid="dashboard-widget"
              >
                <header
                  className={`mb-1 flex items-center gap-2 ${editing ? 'cursor-move select-none' : ''}`}
                  onPointerDown={(event) => onPointerDown(event, index, 'move')}
                  data-testid="widget-handle"
                >
                  <h2 className="truncate text-sm font-semibold text-slate-900">{widget.title}</h2>
                  {editing && (
                    <span className="ml-auto flex shrink-0 gap-1" onPointerDown={(event) => event.stopPropagation()}>
                      <button type="button" onClick={() => setBuilder({ index })} className="rounded border border-slate-300 px-1.5 text-xs hover:bg-slate-50">
                        Edit
                      </button>
                      <button
                        type="button"
                        onClick={() => {
                          change(widgets.filter((_, i) => i !== index))
                          setAnswers(answers.filter((_, i) => i !== index))
                        }}
                        className="rounded border border-slate-300 px-1.5 text-xs text-red-700 hover:bg-red-50"
                      >
                        Remove
                      </button>
                    </span>
                  )}
                </header>
                <div className="min-h-0 flex-1 overflow-auto">
                  {result?.error ? (
                    <div className="text-xs text-red-700">This widget cannot be drawn: {result.error}</div>
                  ) : !result?.answer ? (
                    <div className="flex h-full items-center justify-center text-xs text-slate-500">Save the dashboard to draw this widget.</div>
                  ) : isEmptyAnswer(result.answer) ? (
                    <div className="flex h-full items-center justify-center rounded border border-dashed border-slate-200 text-xs text-slate-500" data-testid="widget-empty">
                      No matching spans in this time range.
                    </div>
                  ) : (
                    <WidgetChart answer={result.answer} chart={widget.chart} tableRows={Math.max(3, Math.floor((layout.h * (ROW_HEIGHT + GAP) - 170) / 33))} />
                  )}
                </div>
                {editing && (
                  <div
                    className="-mb-2 -mr-2 ml-auto h-4 w-4 cursor-se-resize rounded-br border-b-4 border-r-4 border-slate-400"
                    onPointerDown={(event) => onPointerDown(event, index, 'resize')}
                    aria-label="Resize widget"
                    data-testid="widget-resize"
                  />
                )}
              </section>
            )
          })}
        </div>
      )}
    </div>
  )
}
