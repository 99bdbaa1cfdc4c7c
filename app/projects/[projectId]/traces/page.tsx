import { TracesScreen, type SearchParams } from '@/components/traces/traces-screen'
import { requireProjectAccess } from '@/lib/auth/page-auth'

export const dynamic = 'force-dynamic'

export default async function TracesPage({ params, searchParams }: { params: Promise<{ projectId: string }>; searchParams: Promise<SearchParams> }) {
  const { projectId } = await params
  const { canWrite, canCreateKeys } = await requireProjectAccess(projectId)
  return <TracesScreen projectId={projectId} search={await searchParams} canWrite={canWrite} canCreateKeys={canCreateKeys} />
}
