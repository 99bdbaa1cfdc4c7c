import { redirect } from 'next/navigation'
import { SetupForm } from '@/components/auth/auth-forms'
import { countUsers } from '@/lib/auth/users'
import { storesReady } from '@/lib/runtime/stores'

export const dynamic = 'force-dynamic'

export default async function SetupPage() {
  await storesReady()
  if ((await countUsers()) > 0) redirect('/login')
  return (
    <main className="mx-auto mt-24 max-w-sm space-y-6 rounded-lg border border-slate-200 bg-white p-8 shadow-sm">
      <div>
        <h1 className="text-lg font-semibold">Welcome to Flightline</h1>
        <p className="text-slate-500">
          Create the administrator account. (Or start the server with FLIGHTLINE_ADMIN_EMAIL and FLIGHTLINE_ADMIN_PASSWORD set.)
        </p>
      </div>
      <SetupForm />
    </main>
  )
}
