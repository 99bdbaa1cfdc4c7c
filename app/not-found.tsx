import { StatusPage } from '@/components/layout/status-page'
import { currentUser } from '@/lib/auth/page-auth'

export default async function NotFound() {
  const user = await currentUser().catch(() => undefined)
  return (
    <StatusPage
      code={404}
      title="Nothing here"
      message="This page does not exist, or it belongs to a project you are not a member of. Check the link, or pick one of your projects."
      user={user ? { email: user.email, role: user.role } : undefined}
    />
  )
}
