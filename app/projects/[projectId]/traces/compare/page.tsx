import { TraceCompareScreen } from '@/components/trace/trace-compare'
import { requireProjectAccess } from '@/lib/auth/page-auth'

export const dynamic = 'force-dynamic'

/** Two traces side by side: `?a=<trace id>&b=<trace id>` (shareable as a saved view). */
export default async function CompareTracesPage({
  params,
  searchParams,
}: {
  params: Promise<{ projectId: string }>
  searchParams: Promise<Record<string, string | string[] | undefined>>
}) {
  const { projectId } = await params
  await requireProjectAccess(projectId)
  const search = await searchParams
  const value = (name: string) => (typeof search[name] === 'string' ? (search[name] as string).trim() : '')
  return <TraceCompareScreen projectId={projectId} a={value('a')} b={value('b')} />
}
