import Link from 'next/link'
import { UserMenu } from './user-menu'

export function TopBar({ children, user }: { children?: React.ReactNode; user?: { email: string; role: string } }) {
  return (
    <header className="flex h-12 items-center gap-6 border-b border-slate-200 bg-white px-4">
      <Link href="/" className="flex items-center gap-2 font-semibold tracking-tight text-slate-900">
        <span className="inline-block h-3 w-3 rounded-full bg-amber-500" aria-hidden />
        Flightline
      </Link>
      {children}
      {user && (
        <div className="ml-auto">
          <UserMenu user={user} />
        </div>
      )}
    </header>
  )
}
