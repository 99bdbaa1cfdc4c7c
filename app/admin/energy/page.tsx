import Link from 'next/link'
import { TopBar } from '@/components/layout/top-bar'
import { CoefficientEditor } from '@/components/energy/coefficient-editor'
import { requireAdminUser } from '@/lib/auth/page-auth'
import { listCoefficients } from '@/lib/energy/coefficient-table'
import { CLASS_COEFFICIENTS } from '@/lib/energy/seed-coefficients'

export const dynamic = 'force-dynamic'

export default async function EnergyCoefficientsPage() {
  const admin = await requireAdminUser()
  const coefficients = await listCoefficients()
  return (
    <>
      <TopBar user={admin} />
      <main className="mx-auto max-w-6xl space-y-4 p-8">
        <div>
          <Link href="/admin" className="text-sm text-blue-700 hover:underline">
            ← Administration
          </Link>
          <h1 className="mt-1 text-xl font-semibold">Energy coefficients</h1>
          <p className="max-w-4xl text-sm text-slate-600">
            The energy view estimates each model call as uncached input × the input coefficient + cache reads × the cached-input coefficient + output × the output coefficient (Wh per 1,000
            tokens). Seeded with published per-token estimates scaled by model size class (Epoch AI&apos;s GPT-4o estimate for the large class; see docs/analytics.md); replace them with your
            provider&apos;s or your own measurements. The same table is at <code className="font-mono">/api/v1/energy-coefficients</code> for the admin token.
          </p>
        </div>
        <CoefficientEditor coefficients={coefficients} classes={CLASS_COEFFICIENTS} />
      </main>
    </>
  )
}
