// A missing trace, view or page inside a project: shown in the project's frame, so the
// navigation and the time range picker are still there.
import Link from 'next/link'

export default function ProjectNotFound() {
  return (
    <main className="mx-auto max-w-xl space-y-4 p-10" data-testid="status-404">
      <p className="font-mono text-sm text-slate-400">404</p>
      <h1 className="text-xl font-semibold text-slate-900">Not found in this project</h1>
      <p className="text-slate-600">
        No trace or page here has this address. A trace id may be mistyped, or its spans may be older than the retention period. Use the navigation above, or
        go back to the list.
      </p>
      <Link href="/" className="inline-block rounded bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-800">
        Go to your projects
      </Link>
    </main>
  )
}
