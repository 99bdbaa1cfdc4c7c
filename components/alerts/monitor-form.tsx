'use client'

// Create or edit a monitor: name, type (with what it watches), params as JSON (every type works
// with {}), how often to evaluate, and up to three webhook channels. New channel secrets are shown
// once, here, after saving. "Backtest" shows how the type and params would have answered every
// hour of the last 7 days, before the monitor pages anyone.
import { startTransition, useActionState, useRef, useState } from 'react'
import { backtestMonitorAction, saveMonitorAction, type BacktestState, type MonitorFormState } from '@/app/projects/[projectId]/alerts/actions'

export interface MonitorTypeOption {
  type: string
  describe: string
  /** The params `{}` expands to. */
  defaults: Record<string, unknown>
}

export interface MonitorFormValues {
  id: string
  name: string
  type: string
  params: Record<string, unknown>
  evaluate_every_s: number
  channels: Array<{ url: string; format: string }>
}

const CHANNEL_ROWS = 3

const stepText = (seconds: number) => (seconds % 3600 === 0 ? `${seconds / 3600} h` : `${Math.round(seconds / 60)} min`)

export function MonitorForm({ projectId, types, floorSeconds, monitor }: { projectId: string; types: MonitorTypeOption[]; floorSeconds: number; monitor?: MonitorFormValues }) {
  const [state, action, pending] = useActionState<MonitorFormState, FormData>(saveMonitorAction, {})
  const [tested, backtestAction, backtesting] = useActionState<BacktestState, FormData>(backtestMonitorAction, {})
  // The backtest reads the form without submitting it, so what was typed stays as it is.
  const formRef = useRef<HTMLFormElement>(null)
  const runBacktest = () => {
    if (formRef.current) startTransition(() => backtestAction(new FormData(formRef.current!)))
  }
  const [type, setType] = useState(monitor?.type ?? types[0].type)
  const option = types.find((t) => t.type === type) ?? types[0]
  const id = monitor?.id ?? 'new'
  // After an error the form shows what was sent; after a save, the saved monitor (or a blank form).
  const shown = state.values ?? (monitor ? { name: monitor.name, params: JSON.stringify(monitor.params), every: String(monitor.evaluate_every_s), channels: monitor.channels } : undefined)
  return (
    <form ref={formRef} action={action} className="space-y-3 text-sm" data-testid={monitor ? 'edit-monitor-form' : 'new-monitor-form'}>
      <input type="hidden" name="projectId" value={projectId} />
      {monitor && <input type="hidden" name="monitorId" value={monitor.id} />}
      {monitor && <input type="hidden" name="monitorType" value={monitor.type} />}
      <div className="flex flex-wrap gap-3">
        <label className="flex flex-col gap-1">
          <span className="text-xs font-medium text-slate-600">Name</span>
          <input name="name" required maxLength={200} defaultValue={shown?.name} placeholder="Prompt cache thrash" className="w-72 rounded border border-slate-300 px-2 py-1" />
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-xs font-medium text-slate-600">Type</span>
          {monitor ? (
            <span className="rounded border border-slate-200 bg-slate-50 px-2 py-1 font-mono">{monitor.type}</span>
          ) : (
            <select name="type" value={type} onChange={(e) => setType(e.target.value)} className="rounded border border-slate-300 px-2 py-1 font-mono">
              {types.map((t) => (
                <option key={t.type} value={t.type}>
                  {t.type}
                </option>
              ))}
            </select>
          )}
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-xs font-medium text-slate-600">Evaluate every (s)</span>
          <input name="evaluate_every_s" type="number" min={floorSeconds} max={86400} defaultValue={shown?.every || floorSeconds} className="w-28 rounded border border-slate-300 px-2 py-1" />
        </label>
      </div>
      <p className="text-xs text-slate-600">{option.describe}</p>
      <label className="flex flex-col gap-1">
        <span className="text-xs font-medium text-slate-600">
          Params (JSON; <code>{'{}'}</code> uses the defaults: <code className="break-all">{JSON.stringify(option.defaults)}</code>)
        </span>
        <textarea
          key={type}
          name="params"
          rows={2}
          defaultValue={shown?.params ?? '{}'}
          spellCheck={false}
          className="rounded border border-slate-300 px-2 py-1 font-mono text-xs"
          aria-label="Params"
        />
      </label>
      <fieldset className="space-y-1">
        <legend className="text-xs font-medium text-slate-600">Webhook channels (signed: X-Flightline-Signature: sha256=HMAC of the body)</legend>
        {Array.from({ length: CHANNEL_ROWS }, (_, i) => (
          <div key={i} className="flex gap-2">
            <input
              name={`channel_url_${i}`}
              type="url"
              defaultValue={shown?.channels[i]?.url}
              placeholder={i === 0 ? 'https://hooks.example.com/flightline' : 'another webhook (optional)'}
              className="w-[28rem] rounded border border-slate-300 px-2 py-1 font-mono text-xs"
              aria-label={`Webhook URL ${i + 1}`}
            />
            <select name={`channel_format_${i}`} defaultValue={shown?.channels[i]?.format ?? 'json'} className="rounded border border-slate-300 px-1 py-1 text-xs" aria-label={`Format of webhook ${i + 1}`}>
              <option value="json">JSON</option>
              <option value="slack">Slack</option>
            </select>
          </div>
        ))}
      </fieldset>
      <div className="flex items-center gap-3">
        <button disabled={pending} className="rounded bg-slate-900 px-3 py-1 text-white hover:bg-slate-700 disabled:opacity-50" id={`save-${id}`}>
          {monitor ? 'Save changes' : 'Create monitor'}
        </button>
        {state.error && (
          <span className="text-red-700" role="alert">
            {state.error}
          </span>
        )}
        {state.saved && !state.error && <span className="text-emerald-700">Saved.</span>}
        <button
          type="button"
          onClick={runBacktest}
          disabled={backtesting}
          className="rounded border border-slate-300 px-3 py-1 hover:bg-slate-50 disabled:opacity-50"
          title="Evaluates this type and these params every hour of the last 7 days, over the data stored now; nothing is recorded or sent"
        >
          {backtesting ? 'Backtesting the last 7 days…' : 'Backtest last 7 days'}
        </button>
      </div>
      {tested.error && (
        <p className="text-red-700" role="alert">
          {tested.error}
        </p>
      )}
      {tested.result && !backtesting && (
        <div className="rounded border border-slate-200 bg-slate-50 p-3 text-xs" data-testid="backtest-result">
          <p className="font-medium">
            {tested.result.fired === 0
              ? `Would not have fired in ${tested.result.evaluations} evaluations of the last 7 days (one every ${stepText(tested.result.every_s)}).`
              : `Would have fired in ${tested.result.fired} of ${tested.result.evaluations} evaluations of the last 7 days (one every ${stepText(tested.result.every_s)}):`}
          </p>
          {tested.result.firing.length > 0 && (
            <ul className="mt-1 max-h-48 space-y-0.5 overflow-y-auto font-mono">
              {tested.result.firing.map((f) => (
                <li key={f.at}>
                  <span className="text-slate-500">{f.at.slice(0, 16).replace('T', ' ')} UTC</span> {f.summary}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {state.secrets && state.secrets.length > 0 && (
        <div className="rounded border border-amber-300 bg-amber-50 p-3 text-xs" data-testid="channel-secrets">
          <p className="mb-1 font-medium">Signing secrets - copy them now, they are not shown again:</p>
          <ul className="space-y-1 font-mono">
            {state.secrets.map((s) => (
              <li key={s.url}>
                <span className="text-slate-600">{s.url}</span> <input readOnly value={s.secret} onFocus={(e) => e.target.select()} className="w-[30rem] rounded border border-amber-300 bg-white px-1" />
              </li>
            ))}
          </ul>
        </div>
      )}
    </form>
  )
}
