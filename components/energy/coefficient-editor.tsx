'use client'

// The energy coefficient table for administrators: every model's coefficients (Wh per 1,000
// tokens), sortable and filterable, the size-class fallbacks for unknown models, and a form that
// creates, changes or removes one model's coefficients through
// PUT/DELETE /api/v1/energy-coefficients/{model} with the administrator's session.
import { createColumnHelper } from '@tanstack/react-table'
import { useState } from 'react'
import { ModelEntryActions, useModelEntryEditor } from '@/components/admin/model-entry-editor'
import { DataTable } from '@/components/ui/data-table'
import type { CoefficientApi } from '@/lib/energy/coefficient-table'
import type { EnergyCoefficient, SizeClass } from '@/lib/energy/seed-coefficients'

const column = createColumnHelper<CoefficientApi>()
const FIELDS = [
  ['wh_per_1k_input', 'Input'],
  ['wh_per_1k_cached_input', 'Cached input'],
  ['wh_per_1k_output', 'Output'],
] as const

type Draft = { model: string } & Record<(typeof FIELDS)[number][0], string>
const emptyDraft: Draft = { model: '', wh_per_1k_input: '', wh_per_1k_cached_input: '', wh_per_1k_output: '' }

export function CoefficientEditor({ coefficients, classes }: { coefficients: CoefficientApi[]; classes: Record<SizeClass, Omit<EnergyCoefficient, 'model' | 'size_class'>> }) {
  const [draft, setDraft] = useState<Draft>(emptyDraft)
  const editor = useModelEntryEditor('/api/v1/energy-coefficients', 'coefficients')

  const edit = (row: CoefficientApi) => {
    setDraft({ model: row.model, wh_per_1k_input: String(row.wh_per_1k_input), wh_per_1k_cached_input: String(row.wh_per_1k_cached_input), wh_per_1k_output: String(row.wh_per_1k_output) })
    editor.setMessage(undefined)
  }

  const send = async (method: 'PUT' | 'DELETE') => {
    const body = Object.fromEntries(FIELDS.map(([field]) => [field, draft[field] === '' ? undefined : Number(draft[field])]))
    if ((await editor.send(draft.model, method, body)) && method === 'DELETE') setDraft(emptyDraft)
  }

  const columns = [
    column.accessor('model', {
      header: 'Model',
      cell: (info) => (
        <button type="button" className="font-mono text-xs text-blue-700 hover:underline" onClick={() => edit(info.row.original)}>
          {info.getValue()}
        </button>
      ),
    }),
    column.accessor('size_class', { header: 'Size class' }),
    ...FIELDS.map(([field, label]) => column.accessor(field, { header: `${label} Wh / 1k`, meta: { numeric: true } })),
    column.accessor('updated_at', { header: 'Updated (UTC)', cell: (info) => <span className="font-mono text-xs">{info.getValue().slice(0, 16).replace('T', ' ')}</span> }),
  ]

  return (
    <div className="space-y-6">
      <DataTable rows={coefficients} columns={columns} initialSort={[{ id: 'model', desc: false }]} pageSize={25} filterPlaceholder="Filter models" empty="No coefficients: every model takes its size class's fallback below." testId="coefficients-table" />
      <section className="rounded-lg border border-slate-200 bg-white p-4 text-sm" data-testid="class-fallbacks">
        <h2 className="text-sm font-semibold">Fallback for models not in the table (by the size class the name suggests)</h2>
        <table className="mt-2 text-xs">
          <thead className="text-left text-slate-500">
            <tr>
              <th className="pr-6">Class</th>
              {FIELDS.map(([field, label]) => (
                <th key={field} className="pr-6 text-right">
                  {label} Wh / 1k
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {Object.entries(classes).map(([name, rates]) => (
              <tr key={name}>
                <td className="pr-6">{name}</td>
                {FIELDS.map(([field]) => (
                  <td key={field} className="pr-6 text-right tabular-nums">
                    {rates[field]}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <form
        className="space-y-3 rounded-lg border border-slate-200 bg-white p-4"
        onSubmit={(event) => {
          event.preventDefault()
          void send('PUT')
        }}
        data-testid="coefficient-form"
      >
        <h2 className="text-sm font-semibold">Create or change a model&apos;s coefficients (Wh per 1,000 tokens)</h2>
        <p className="text-xs text-slate-500">A model matches spans by exact name or as a prefix (gpt-4o matches gpt-4o-2024-08-06). Click a model above to edit it.</p>
        <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
          <label className="text-xs text-slate-600">
            Model
            <input value={draft.model} onChange={(e) => setDraft({ ...draft, model: e.target.value })} className="mt-1 w-full rounded border border-slate-300 px-2 py-1 font-mono text-sm" required />
          </label>
          {FIELDS.map(([field, label]) => (
            <label key={field} className="text-xs text-slate-600">
              {label} (Wh / 1k)
              <input
                type="number"
                step="any"
                min="0"
                value={draft[field]}
                onChange={(e) => setDraft({ ...draft, [field]: e.target.value })}
                className="mt-1 w-full rounded border border-slate-300 px-2 py-1 text-right text-sm tabular-nums"
                required
              />
            </label>
          ))}
        </div>
        <ModelEntryActions busy={editor.busy} canRemove={coefficients.some((c) => c.model === draft.model.trim().toLowerCase())} onRemove={() => void send('DELETE')} message={editor.message} />
      </form>
    </div>
  )
}
