// What a project with no data shows: how to send some. Shared by every screen of a project.
import { SendDataSnippets } from './send-data-snippets'

export function SendDataEmptyState({ projectId, origin, demoButton }: { projectId: string; origin: string; demoButton?: React.ReactNode }) {
  return (
    <section className="mx-auto max-w-3xl space-y-5 rounded-lg border border-slate-200 bg-white p-6 shadow-sm" data-testid="send-data">
      <div>
        <h2 className="text-lg font-semibold">No traces yet: send your first one</h2>
        <p className="mt-1 text-slate-600">
          Flightline stores every agent step, model call and tool call your application sends. Send spans over OpenTelemetry or the JSON API, or
          load a demo workload to look around first.
        </p>
      </div>
      <SendDataSnippets projectId={projectId} origin={origin} />
      <div className="space-y-2 border-t border-slate-100 pt-4">
        <p className="font-medium">4. Or load demo data</p>
        <p className="text-slate-600">
          A day of a support agent&apos;s traffic for several tenants, including a tool re-entrancy loop, from the command line:
        </p>
        <pre className="overflow-x-auto rounded bg-slate-900 p-3 font-mono text-xs text-slate-100" data-testid="demo-command">
          npm run demo
        </pre>
        {/* Slot: the "Load demo data" button (components/demo/load-demo-button.tsx), passed in by the page. */}
        {demoButton && <div data-testid="demo-button-slot">{demoButton}</div>}
      </div>
    </section>
  )
}
