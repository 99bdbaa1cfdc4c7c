import Link from 'next/link'
import { logoutAction } from '@/app/auth-actions'

export function TopBar({ children, user }: { children?: React.ReactNode; user?: { email: string; role: string } }) {
  return (
    <header className="flex h-12 items-center gap-6 border-b border-slate-200 bg-white px-4">
      <Link href="/" className="flex items-center gap-2 font-semibold tracking-tight text-slate-900">
        <span className="inline-block h-3 w-3 rounded-full bg-amber-500" aria-hidden />
        Flightline
      </Link>
      {children}
      {user && (
        <div className="ml-auto flex items-center gap-3 text-xs text-slate-600">
          {user.role === 'admin' && (
            <Link href="/admin" className="hover:underline">
              Admin
            </Link>
          )}
          <span title={`role: ${user.role}`}>{user.email}</span>
          <form action={logoutAction}>
            <button className="rounded border border-slate-300 px-2 py-0.5 hover:bg-slate-50">Sign out</button>
          </form>
        </div>
      )}
    </header>
  )
}
