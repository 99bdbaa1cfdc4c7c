'use client'

// The copy-paste part of the "send data" instructions. Keys are stored hashed and shown once,
// so the snippets use a placeholder until the newcomer creates a key here.
import { useState, useTransition } from 'react'
import { createOnboardingKeyAction } from '@/app/projects/[projectId]/actions'
import { CopyButton } from '@/components/ui/copy-button'

function Snippet({ title, children, testId }: { title: string; children: string; testId?: string }) {
  const [copied, setCopied] = useState(false)
  return (
    <div>
      <div className="mb-1 flex items-center justify-between">
        <p className="text-xs font-medium uppercase tracking-wide text-slate-500">{title}</p>
        <button
          type="button"
          className="text-xs text-slate-500 hover:text-slate-900"
          onClick={() => {
            void navigator.clipboard?.writeText(children).then(() => {
              setCopied(true)
              setTimeout(() => setCopied(false), 1500)
            })
          }}
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
      <pre className="overflow-x-auto whitespace-pre rounded bg-slate-900 p-3 font-mono text-xs leading-relaxed text-slate-100" data-testid={testId}>
        {children}
      </pre>
    </div>
  )
}

export function SendDataSnippets({ projectId, origin, canCreateKey }: { projectId: string; origin: string; canCreateKey: boolean }) {
  const [key, setKey] = useState<string>()
  const [error, setError] = useState<string>()
  const [pending, startTransition] = useTransition()
  const shownKey = key ?? '$FLIGHTLINE_KEY'
  return (
    <div className="space-y-4">
      <div className="rounded border border-slate-200 bg-slate-50 p-3">
        <p className="font-medium">1. Your API key</p>
        {key ? (
          <>
            <p className="mt-1 text-slate-600">Copy it now: it is shown only once. The snippets below use it.</p>
            <div className="mt-2 flex items-center gap-2">
              <code className="block min-w-0 flex-1 select-all break-all rounded bg-white p-2 font-mono text-xs" data-testid="onboarding-key">
                {key}
              </code>
              <CopyButton text={key} label="Copy key" />
            </div>
          </>
        ) : (
          <div className="mt-1 flex flex-wrap items-center gap-3 text-slate-600">
            <span>
              Use the key you got when the project was created (export it as FLIGHTLINE_KEY)
              {canCreateKey ? ', or' : '. Only administrators create keys: ask one for a key to this project.'}
            </span>
            {canCreateKey && (
            <button
              type="button"
              disabled={pending}
              onClick={() =>
                startTransition(async () => {
                  const result = await createOnboardingKeyAction(projectId)
                  setKey(result.key)
                  setError(result.error)
                })
              }
              className="rounded bg-slate-900 px-3 py-1 text-sm font-medium text-white hover:bg-slate-800 disabled:opacity-50"
            >
              {pending ? 'Creating…' : 'Create a new key'}
            </button>
            )}
          </div>
        )}
        {error && <p className="mt-1 text-red-700">{error}</p>}
      </div>
      <div className="space-y-1">
        <p className="font-medium">2. Point your OpenTelemetry exporter here (OTLP/HTTP, protobuf or JSON)</p>
        <p className="text-slate-600">
          Endpoint <code className="rounded bg-slate-100 px-1 font-mono text-xs">{origin}/v1/traces</code> with the header{' '}
          <code className="rounded bg-slate-100 px-1 font-mono text-xs">Authorization: Bearer {shownKey}</code>
        </p>
        <Snippet title="environment" testId="otlp-snippet">{`export OTEL_EXPORTER_OTLP_ENDPOINT=${origin}
export OTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer ${shownKey}"`}</Snippet>
      </div>
      <div className="space-y-1">
        <p className="font-medium">3. Or send a span with curl (the native JSON API)</p>
        <Snippet title="shell" testId="curl-snippet">{`curl -s -X POST ${origin}/api/v1/spans \\
  -H "Authorization: Bearer ${shownKey}" -H "Content-Type: application/json" \\
  -d '{"spans":[{"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736",
    "span_id":"00f067aa0ba902b7","name":"chat gpt-4o","kind":"llm",
    "start_time":"'$(date -u +%Y-%m-%dT%H:%M:%SZ)'","model_requested":"gpt-4o",
    "input_tokens":1200,"output_tokens":300,"tenant_id":"acme","user_id":"u-42",
    "input":[{"role":"user","content":"Where is my order?"}]}]}'`}</Snippet>
      </div>
      <div className="space-y-1 border-t border-slate-100 pt-4">
        <p className="font-medium">4. Or load demo data</p>
        <p className="text-slate-600">
          A week of a support-agent platform&apos;s traffic for a dozen tenants, with planted incidents to find (among them a tool re-entrancy
          loop), sent into this project from a checkout of Flightline:
        </p>
        <Snippet title="shell" testId="demo-command">{`npm run demo -- --url ${origin} --key ${shownKey}`}</Snippet>
      </div>
    </div>
  )
}
