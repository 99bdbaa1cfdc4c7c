import Link from 'next/link'
import { TopBar } from '@/components/layout/top-bar'
import { PriceEditor } from '@/components/pricing/price-editor'
import { requireAdminUser } from '@/lib/auth/page-auth'
import { listPrices, priceToApi } from '@/lib/pricing/price-table'

export const dynamic = 'force-dynamic'

export default async function PricesPage() {
  const admin = await requireAdminUser()
  const prices = (await listPrices()).map(priceToApi)
  return (
    <>
      <TopBar user={admin} />
      <main className="mx-auto max-w-6xl space-y-4 p-8">
        <div>
          <Link href="/admin" className="text-sm text-blue-700 hover:underline">
            ← Administration
          </Link>
          <h1 className="mt-1 text-xl font-semibold">Model prices</h1>
          <p className="text-sm text-slate-600">
            Analytics costs use a span&apos;s reported cost when it has one, else its tokens at these prices. Seeded with public list prices; the same table is at{' '}
            <code className="font-mono">/api/v1/prices</code> for the admin token.
          </p>
        </div>
        <PriceEditor prices={prices} />
      </main>
    </>
  )
}
