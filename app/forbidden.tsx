import { StatusPage } from '@/components/layout/status-page'
import { currentUser } from '@/lib/auth/page-auth'

export default async function Forbidden() {
  const user = await currentUser().catch(() => undefined)
  return (
    <StatusPage
      code={403}
      title="Not for your role"
      message={`This page is for administrators${user ? `, and you are signed in as ${user.email} (${user.role})` : ''}. Ask an administrator if you need it.`}
      user={user ? { email: user.email, role: user.role } : undefined}
    />
  )
}
