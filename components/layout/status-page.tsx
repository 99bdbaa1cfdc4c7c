// The page behind a 404 or a 403, inside the app's frame: what happened in words, and the ways
// back (the project list, the previous page, signing in as someone else).
import Link from 'next/link'
import { TopBar } from './top-bar'

export function StatusPage({
  code,
  title,
  message,
  user,
}: {
  code: 403 | 404
  title: string
  message: string
  user?: { email: string; role: string }
}) {
  return (
    <>
      <TopBar user={user} />
      <main className="mx-auto max-w-xl space-y-4 p-10" data-testid={`status-${code}`}>
        <p className="font-mono text-sm text-slate-400">{code}</p>
        <h1 className="text-xl font-semibold text-slate-900">{title}</h1>
        <p className="text-slate-600">{message}</p>
        <div className="flex gap-3">
          <Link href="/" className="rounded bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-800">
            Go to your projects
          </Link>
          {!user && (
            <Link href="/login" className="rounded border border-slate-300 px-3 py-1.5 text-slate-700 hover:bg-slate-50">
              Sign in
            </Link>
          )}
        </div>
      </main>
    </>
  )
}
