import { DataPolicyScreen } from '@/components/recorder/data-policy-screen'
import { requireProjectAccess } from '@/lib/auth/page-auth'

export const dynamic = 'force-dynamic'

type Props = { params: Promise<{ projectId: string }> }

export default async function Page({ params }: Props) {
  const { projectId } = await params
  const { user } = await requireProjectAccess(projectId)
  return <DataPolicyScreen projectId={projectId} isAdmin={user.role === 'admin'} />
}
