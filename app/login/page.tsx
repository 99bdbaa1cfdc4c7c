import { redirect } from 'next/navigation'
import { LoginForm } from '@/components/auth/auth-forms'
import { currentUser } from '@/lib/auth/page-auth'
import { countUsers } from '@/lib/auth/users'

export const dynamic = 'force-dynamic'

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  if (await currentUser()) redirect('/')
  if ((await countUsers()) === 0) redirect('/setup')
  const { next } = await searchParams
  return (
    <main className="mx-auto mt-24 max-w-sm space-y-6 rounded-lg border border-slate-200 bg-white p-8 shadow-sm">
      <div>
        <h1 className="text-lg font-semibold">Sign in to Flightline</h1>
        <p className="text-slate-500">Ask an administrator for an account if you have none.</p>
      </div>
      <LoginForm next={next} />
    </main>
  )
}
