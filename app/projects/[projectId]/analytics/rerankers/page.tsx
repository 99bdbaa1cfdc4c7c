import { RerankersScreen } from '@/components/analytics/rerankers-screen'
import { requireProjectAccess } from '@/lib/auth/page-auth'

export const dynamic = 'force-dynamic'

type Props = { params: Promise<{ projectId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }

export default async function RerankersPage({ params, searchParams }: Props) {
  const { projectId } = await params
  await requireProjectAccess(projectId)
  return <RerankersScreen projectId={projectId} search={await searchParams} />
}
