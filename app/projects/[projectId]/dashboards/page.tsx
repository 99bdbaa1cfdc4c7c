import { DashboardsScreen } from '@/components/dashboards/dashboards-screen'
import { requireProjectAccess } from '@/lib/auth/page-auth'

export const dynamic = 'force-dynamic'

export default async function DashboardsPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params
  const { canWrite } = await requireProjectAccess(projectId)
  return <DashboardsScreen projectId={projectId} canWrite={canWrite} />
}
