import { TraceScreen } from '@/components/trace/trace-screen'
import { requireProjectAccess } from '@/lib/auth/page-auth'

export const dynamic = 'force-dynamic'

export default async function TracePage({
  params,
  searchParams,
}: {
  params: Promise<{ projectId: string; traceId: string }>
  searchParams: Promise<Record<string, string | string[] | undefined>>
}) {
  const { projectId, traceId } = await params
  await requireProjectAccess(projectId)
  const search = new URLSearchParams(Object.entries(await searchParams).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : [])))
  return <TraceScreen projectId={projectId} traceId={decodeURIComponent(traceId)} search={search} />
}
