import Link from 'next/link'
import { logoutAction } from '@/app/auth-actions'

/** The signed-in user at the right of the header: admin link, email, sign out. */
export function UserMenu({ user }: { user: { email: string; role: string } }) {
  return (
    <div className="flex items-center gap-3 whitespace-nowrap text-xs text-slate-600">
      {user.role === 'admin' && (
        <Link href="/admin" className="hover:underline">
          Admin
        </Link>
      )}
      <span title={`${user.email} (role: ${user.role})`} className="max-w-[11rem] truncate">
        {user.email}
      </span>
      <form action={logoutAction}>
        <button className="whitespace-nowrap rounded border border-slate-300 px-2 py-0.5 hover:bg-slate-50">Sign out</button>
      </form>
    </div>
  )
}
