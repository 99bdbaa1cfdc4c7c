// What a project with no data shows: how to send some. Shared by every screen of a project.
import { SendDataSnippets } from './send-data-snippets'

export function SendDataEmptyState({
  projectId,
  origin,
  canCreateKey,
  demoButton,
}: {
  projectId: string
  origin: string
  /** Whether the viewer may create an API key (administrators only). */
  canCreateKey: boolean
  demoButton?: React.ReactNode
}) {
  return (
    <section className="mx-auto max-w-3xl space-y-5 rounded-lg border border-slate-200 bg-white p-6 shadow-sm" data-testid="send-data">
      <div>
        <h2 className="text-lg font-semibold">No traces yet: send your first one</h2>
        <p className="mt-1 text-slate-600">
          Flightline stores every agent step, model call and tool call your application sends. Send spans over OpenTelemetry or the JSON API, or
          load a demo workload to look around first.
        </p>
      </div>
      <SendDataSnippets projectId={projectId} origin={origin} canCreateKey={canCreateKey} />
      {/* The "Load demo data" button (components/demo/load-demo-button.tsx), passed in by the page. */}
      {demoButton && <div data-testid="demo-button-slot">{demoButton}</div>}
    </section>
  )
}
