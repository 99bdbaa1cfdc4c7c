'use client'

// Everything about the selected span: status and error, model requested vs resolved, tokens
// (cache included), cost, parameters, input and output (previewed; the rest loads on demand),
// attributes, resource and events. A payload cut at ingest says so, with its original size.
import { useEffect, useState, useTransition } from 'react'
import { useShareToken } from '@/components/share/share-context'
import { loadPayloadAction, loadSpanAction, type InspectedSpan } from '@/app/projects/[projectId]/traces/[traceId]/actions'
import { formatCount, formatDuration, formatUsd } from '@/lib/format'
import type { ExplorerSpan } from '@/lib/traces/explorer-model'
import { JsonTree } from './json-tree'
import { PayloadView } from './payload-view'
import { kindStyle } from './span-kinds'

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`
  return `${(bytes / 1024 / 1024).toFixed(2)} MiB`
}

function Section({ title, children, testId }: { title: string; children: React.ReactNode; testId?: string }) {
  return (
    <section className="border-b border-slate-100 px-3 py-2.5" data-testid={testId}>
      <h3 className="mb-1.5 text-[11px] font-semibold uppercase tracking-wide text-slate-500">{title}</h3>
      {children}
    </section>
  )
}

function Facts({ rows }: { rows: Array<[string, React.ReactNode] | false | undefined> }) {
  const shown = rows.filter((row): row is [string, React.ReactNode] => Boolean(row))
  return (
    <dl className="grid grid-cols-[max-content_1fr] gap-x-3 gap-y-0.5 text-[13px]">
      {shown.map(([label, value]) => (
        <div key={label} className="contents">
          <dt className="text-slate-500">{label}</dt>
          <dd className="min-w-0 break-words text-slate-900">{value}</dd>
        </div>
      ))}
    </dl>
  )
}

function Payload({
  projectId,
  traceId,
  span,
  field,
}: {
  projectId: string
  traceId: string
  span: InspectedSpan
  field: 'input' | 'output'
}) {
  const [full, setFull] = useState<string>()
  const [pending, start] = useTransition()
  const shareToken = useShareToken()
  const preview = span[field] as string
  const chars = field === 'input' ? span.input_chars : span.output_chars
  const cut = field === 'input' ? span.input_truncated : span.output_truncated
  const original = field === 'input' ? span.input_original_bytes : span.output_original_bytes
  const text = full ?? preview
  const partial = full === undefined && chars > preview.length
  return (
    <Section title={field === 'input' ? 'Input' : 'Output'} testId={`payload-${field}`}>
      {cut && (
        <p className="mb-1.5 rounded border border-amber-300 bg-amber-50 px-2 py-1 text-xs text-amber-900" data-testid="payload-cut">
          Cut at ingest: the original was {formatBytes(original)}, over the per-field limit. What follows is the stored beginning.
        </p>
      )}
      {partial ? (
        <>
          <pre className="max-h-[24rem] overflow-auto whitespace-pre-wrap break-words rounded bg-slate-50 p-2 font-mono text-xs text-slate-800">{preview}</pre>
          <button
            type="button"
            disabled={pending}
            onClick={() => start(async () => setFull((await loadPayloadAction(projectId, traceId, span.span_id, field, shareToken)) ?? ''))}
            className="mt-1.5 rounded border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-50 disabled:opacity-50"
            data-testid={`load-full-${field}`}
          >
            {pending ? 'Loading…' : `Showing ${formatCount(preview.length)} of ${formatCount(chars)} characters: load all`}
          </button>
        </>
      ) : (
        <PayloadView text={text} />
      )}
    </Section>
  )
}

export function SpanInspector({ projectId, traceId, outline, missing }: { projectId: string; traceId: string; outline: ExplorerSpan; missing?: string[] }) {
  const [span, setSpan] = useState<InspectedSpan | null>()
  const [error, setError] = useState<string>()
  const shareToken = useShareToken()
  useEffect(() => {
    let current = true
    setSpan(undefined)
    setError(undefined)
    loadSpanAction(projectId, traceId, outline.id, shareToken)
      .then((loaded) => current && setSpan(loaded))
      .catch((e: unknown) => current && setError(e instanceof Error ? e.message : String(e)))
    return () => {
      current = false
    }
  }, [projectId, traceId, outline.id, shareToken])

  const style = kindStyle(outline.kind)
  return (
    <div className="min-h-0 flex-1 overflow-y-auto" data-testid="span-inspector">
      <header className="border-b border-slate-200 px-3 py-2.5">
        <div className="flex items-center gap-2">
          <span className={`rounded px-1 text-[10px] font-semibold ${style.chip}`}>{style.label}</span>
          <h2 className="min-w-0 truncate font-semibold" title={outline.name}>
            {outline.name}
          </h2>
          <span
            className={`ml-auto shrink-0 rounded px-1.5 text-[11px] font-semibold ${outline.status === 'error' ? 'bg-red-100 text-red-700' : outline.status === 'ok' ? 'bg-emerald-100 text-emerald-800' : 'bg-slate-100 text-slate-600'}`}
          >
            {outline.status}
          </span>
        </div>
        <p className="mt-0.5 text-xs text-slate-500">
          {formatDuration(outline.durationMs)} · {outline.startMs === 0 ? 'starts with the trace' : `starts at +${formatDuration(outline.startMs)}`} · span <span className="font-mono">{outline.id}</span>
          {outline.missingParent && (
            <>
              {' '}
              · parent <span className="font-mono">{outline.missingParent}</span> not received
            </>
          )}
        </p>
      </header>
      {missing && missing.length > 0 && (
        <p className="border-b border-amber-200 bg-amber-50 px-3 py-1.5 text-xs text-amber-900" data-testid="span-recorder-missing">
          Not recorded: <strong>{missing.map((field) => field.replace(/_/g, ' ')).join(', ')}</strong> (see Analytics → Recorder for the attribute to set)
        </p>
      )}
      {error && <p className="p-3 text-sm text-red-700">Could not load the span: {error}</p>}
      {span === undefined && !error && <p className="p-3 text-sm text-slate-500">Loading…</p>}
      {span === null && <p className="p-3 text-sm text-slate-500">This span is no longer stored.</p>}
      {span && <SpanDetails projectId={projectId} traceId={traceId} span={span} outline={outline} />}
    </div>
  )
}

function SpanDetails({ projectId, traceId, span, outline }: { projectId: string; traceId: string; span: InspectedSpan; outline: ExplorerSpan }) {
  const isModelCall = span.kind === 'llm' || Boolean(span.model_requested || span.model_resolved)
  const routed = span.model_requested && span.model_resolved && span.model_requested !== span.model_resolved
  const params = span.params as Record<string, unknown>
  const attributes = Object.entries(span.attributes).sort(([a], [b]) => a.localeCompare(b))
  const resource = Object.entries(span.resource).sort(([a], [b]) => a.localeCompare(b))
  const redactions = Object.entries(span.redactions ?? {}).sort(([a], [b]) => a.localeCompare(b))
  return (
    <>
      {redactions.length > 0 && (
        <Section title="Redacted before storage" testId="span-redactions">
          <Facts rows={redactions.map(([rule, n]) => [rule.replace(/_/g, ' '), `${formatCount(n)} value${n === 1 ? '' : 's'}`])} />
        </Section>
      )}
      {span.status === 'error' && (
        <Section title="Error" testId="span-error">
          <p className="whitespace-pre-wrap break-words rounded bg-red-50 p-2 font-mono text-xs text-red-800">
            {span.error_type ? `${span.error_type}: ` : ''}
            {span.status_message || '(no message)'}
          </p>
        </Section>
      )}
      {isModelCall && (
        <Section title="Model call" testId="span-model">
          <Facts
            rows={[
              ['requested', span.model_requested || '—'],
              [
                'resolved',
                <span key="r" className={routed ? 'font-medium text-amber-800' : ''}>
                  {span.model_resolved || '—'}
                  {routed ? ' (differs from requested)' : ''}
                </span>,
              ],
              !!span.provider && ['provider', span.provider],
              !!span.finish_reason && ['finish', span.finish_reason],
              span.ttft_ms !== null && ['first token', formatDuration(span.ttft_ms)],
              !!span.route_segment && ['route', span.route_segment],
              span.fallback && ['fallback', 'yes'],
              span.retry_attempt > 0 && ['retry attempt', `${span.retry_attempt}${span.retry_of ? ` of ${span.retry_of}` : ''}`],
              span.refusal && ['refusal', 'yes'],
              span.schema_valid !== null && ['schema valid', String(span.schema_valid)],
              !!span.prompt_name && ['prompt', `${span.prompt_name}${span.prompt_version ? ` v${span.prompt_version}` : ''}`],
              !!span.system_prompt_hash && ['system prompt', <span key="h" className="font-mono text-xs">{span.system_prompt_hash.slice(0, 16)}…</span>],
            ]}
          />
        </Section>
      )}
      {(isModelCall || span.input_tokens > 0 || span.output_tokens > 0) && (
        <Section title="Tokens and cost" testId="span-tokens">
          <Facts
            rows={[
              ['input', formatCount(span.input_tokens)],
              ['cache read', formatCount(span.cache_read_tokens)],
              ['cache write', formatCount(span.cache_write_tokens)],
              ['output', formatCount(span.output_tokens)],
              span.reasoning_tokens > 0 && ['reasoning', formatCount(span.reasoning_tokens)],
              span.local_input_tokens !== null && ['counted locally', formatCount(span.local_input_tokens)],
              [
                'cost',
                outline.costSource === 'estimated' ? (
                  <span key="c" title="Not reported by the span: its tokens at the model's price from the price table">
                    {formatUsd(outline.cost ?? 0)} <span className="text-xs text-slate-500">estimated from the price table</span>
                  </span>
                ) : span.cost_usd !== null ? (
                  formatUsd(span.cost_usd)
                ) : (
                  <span key="c" className="text-slate-500">not reported, and no price for this model</span>
                ),
              ],
            ]}
          />
        </Section>
      )}
      {(span.tool_name || span.tool_call_id) && (
        <Section title="Tool">
          <Facts rows={[['tool', span.tool_name || '—'], !!span.tool_call_id && ['call id', <span key="c" className="font-mono text-xs">{span.tool_call_id}</span>]]} />
        </Section>
      )}
      {Object.keys(params).length > 0 && (
        <Section title="Parameters" testId="span-params">
          <JsonTree value={params} />
        </Section>
      )}
      <Payload projectId={projectId} traceId={traceId} span={span} field="input" />
      <Payload projectId={projectId} traceId={traceId} span={span} field="output" />
      <Section title={`Attributes (${attributes.length})`} testId="span-attributes">
        {attributes.length === 0 ? (
          <p className="text-xs italic text-slate-400">none</p>
        ) : (
          <Facts rows={attributes.map(([key, value]) => [key, <span key={key} className="font-mono text-xs">{value}</span>])} />
        )}
      </Section>
      {span.events.length > 0 && (
        <Section title={`Events (${span.events.length})`}>
          <JsonTree value={span.events} openDepth={1} />
        </Section>
      )}
      <Section title="Context">
        <Facts
          rows={[
            !!span.tenant_id && ['tenant', span.tenant_id],
            !!span.user_id && ['user', span.user_id],
            !!span.session_id && ['session', span.session_id],
            !!span.agent_name && ['agent', span.agent_name],
            !!span.service_name && ['service', `${span.service_name}${span.service_version ? ` ${span.service_version}` : ''}`],
            !!span.environment && ['environment', span.environment],
            span.tags.length > 0 && ['tags', span.tags.join(', ')],
            ['start', span.start_time],
            ['ingested', span.ingested_at],
            ...resource.map(([key, value]): [string, React.ReactNode] => [`resource ${key}`, value]),
          ]}
        />
      </Section>
    </>
  )
}
