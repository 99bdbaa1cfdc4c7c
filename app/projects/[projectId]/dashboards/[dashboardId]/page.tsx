import { DashboardScreen } from '@/components/dashboards/dashboard-screen'
import { requireProjectAccess } from '@/lib/auth/page-auth'

export const dynamic = 'force-dynamic'

type Props = { params: Promise<{ projectId: string; dashboardId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }

export default async function DashboardPage({ params, searchParams }: Props) {
  const { projectId, dashboardId } = await params
  const { canWrite } = await requireProjectAccess(projectId)
  return <DashboardScreen projectId={projectId} dashboardId={dashboardId} search={await searchParams} canWrite={canWrite} />
}
