import { notFound } from 'next/navigation'
import { resolveShareToken } from '@/lib/views/share-links'
import { storesReady } from '@/lib/runtime/stores'
import { SharedView } from '@/components/share/shared-view'

export const dynamic = 'force-dynamic'

export default async function SharePage({ params }: { params: Promise<{ token: string }> }) {
  await storesReady()
  const { token } = await params
  const resolved = await resolveShareToken(token)
  // The proxy answers 404/410 first; this covers a link revoked between the two checks.
  if (resolved.status !== 'ok') notFound()
  return <SharedView token={token} view={resolved.view} />
}
