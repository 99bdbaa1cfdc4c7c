import { notFound } from 'next/navigation'
import { rangeLabel, ShareFrame } from '@/components/share/shared-view'
import { ShareTokenProvider } from '@/components/share/share-context'
import { TraceScreen } from '@/components/trace/trace-screen'
import { storesReady } from '@/lib/runtime/stores'
import { isTracesListView, sharedViewOpensTrace } from '@/lib/traces/shared-trace-access'
import { resolveShareToken } from '@/lib/views/share-links'

export const dynamic = 'force-dynamic'

/** A trace opened from a shared traces list: read-only, and only a trace that list contains. */
export default async function SharedTracePage({ params }: { params: Promise<{ token: string; traceId: string }> }) {
  await storesReady()
  const { token, traceId } = await params
  const resolved = await resolveShareToken(token)
  if (resolved.status !== 'ok') notFound()
  const { view } = resolved
  const id = decodeURIComponent(traceId)
  if (!isTracesListView(view) || !(await sharedViewOpensTrace(view, view.projectId, id))) notFound()
  return (
    <ShareFrame view={view} rangeLabel={rangeLabel(view.state)} backHref={`/s/${encodeURIComponent(token)}`}>
      <ShareTokenProvider token={token}>
        <TraceScreen projectId={view.projectId} traceId={id} search={new URLSearchParams()} shared />
      </ShareTokenProvider>
    </ShareFrame>
  )
}
