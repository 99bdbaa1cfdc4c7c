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
      {/* Below 1400 px the email gives its room to the navigation; it stays on Sign out's tooltip. */}
      <span title={`${user.email} (role: ${user.role})`} className="hidden max-w-[11rem] truncate min-[1400px]:inline">
        {user.email}
      </span>
      <form action={logoutAction}>
        <button title={`Signed in as ${user.email} (${user.role})`} className="whitespace-nowrap rounded border border-slate-300 px-2 py-0.5 hover:bg-slate-50">Sign out</button>
      </form>
    </div>
  )
}
