'use client'

// The model price table for administrators: every price, sortable and filterable, and a form
// that creates or changes one model's prices (USD per 1M tokens) or removes it. Saves through
// PUT/DELETE /api/v1/prices/{model} with the administrator's session.
import { createColumnHelper } from '@tanstack/react-table'
import { useState } from 'react'
import { ModelEntryActions, useModelEntryEditor } from '@/components/admin/model-entry-editor'
import { DataTable } from '@/components/ui/data-table'
import type { PriceApi } from '@/lib/pricing/price-table'

const column = createColumnHelper<PriceApi>()
const money = (value: number) => `$${value.toFixed(value < 0.1 && value > 0 ? 4 : 2)}`
const FIELDS = [
  ['input_per_mtok', 'Input'],
  ['output_per_mtok', 'Output'],
  ['cache_read_per_mtok', 'Cache read'],
  ['cache_write_per_mtok', 'Cache write'],
] as const

type Draft = { model: string; provider: string } & Record<(typeof FIELDS)[number][0], string>
const emptyDraft: Draft = { model: '', provider: '', input_per_mtok: '', output_per_mtok: '', cache_read_per_mtok: '0', cache_write_per_mtok: '0' }

export function PriceEditor({ prices }: { prices: PriceApi[] }) {
  const [draft, setDraft] = useState<Draft>(emptyDraft)
  const editor = useModelEntryEditor('/api/v1/prices', 'prices')

  const edit = (price: PriceApi) => {
    setDraft({
      model: price.model,
      provider: price.provider,
      input_per_mtok: String(price.input_per_mtok),
      output_per_mtok: String(price.output_per_mtok),
      cache_read_per_mtok: String(price.cache_read_per_mtok),
      cache_write_per_mtok: String(price.cache_write_per_mtok),
    })
    editor.setMessage(undefined)
  }

  const send = async (method: 'PUT' | 'DELETE') => {
    const body = { provider: draft.provider, ...Object.fromEntries(FIELDS.map(([field]) => [field, draft[field] === '' ? undefined : Number(draft[field])])) }
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
    column.accessor('provider', { header: 'Provider' }),
    ...FIELDS.map(([field, label]) => column.accessor(field, { header: `${label} / 1M`, meta: { numeric: true }, cell: (info) => money(info.getValue()) })),
    column.accessor('updated_at', { header: 'Updated (UTC)', cell: (info) => <span className="font-mono text-xs">{info.getValue().slice(0, 16).replace('T', ' ')}</span> }),
  ]

  return (
    <div className="space-y-6">
      <DataTable rows={prices} columns={columns} initialSort={[{ id: 'provider', desc: false }]} pageSize={25} filterPlaceholder="Filter models" empty="No prices: costs are then only those the spans report." testId="prices-table" />
      <form
        className="space-y-3 rounded-lg border border-slate-200 bg-white p-4"
        onSubmit={(event) => {
          event.preventDefault()
          void send('PUT')
        }}
        data-testid="price-form"
      >
        <h2 className="text-sm font-semibold">Create or change a price (USD per 1M tokens)</h2>
        <p className="text-xs text-slate-500">
          A model matches spans by exact name or as a prefix (gpt-4o matches gpt-4o-2024-08-06). A cache-write price of 0 bills cache writes at the input price. Click a
          model above to edit it.
        </p>
        <div className="grid grid-cols-2 gap-3 md:grid-cols-6">
          <label className="text-xs text-slate-600">
            Model
            <input value={draft.model} onChange={(e) => setDraft({ ...draft, model: e.target.value })} className="mt-1 w-full rounded border border-slate-300 px-2 py-1 font-mono text-sm" required />
          </label>
          <label className="text-xs text-slate-600">
            Provider
            <input value={draft.provider} onChange={(e) => setDraft({ ...draft, provider: e.target.value })} className="mt-1 w-full rounded border border-slate-300 px-2 py-1 text-sm" />
          </label>
          {FIELDS.map(([field, label]) => (
            <label key={field} className="text-xs text-slate-600">
              {label} ($ / 1M)
              <input
                type="number"
                step="any"
                min="0"
                value={draft[field]}
                onChange={(e) => setDraft({ ...draft, [field]: e.target.value })}
                className="mt-1 w-full rounded border border-slate-300 px-2 py-1 text-right text-sm tabular-nums"
                required={field === 'input_per_mtok' || field === 'output_per_mtok'}
              />
            </label>
          ))}
        </div>
        <ModelEntryActions busy={editor.busy} canRemove={prices.some((p) => p.model === draft.model.trim().toLowerCase())} onRemove={() => void send('DELETE')} message={editor.message} />
      </form>
    </div>
  )
}
