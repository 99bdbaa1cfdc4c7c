import { RecorderScreen } from '@/components/recorder/recorder-screen'
import { requireProjectAccess } from '@/lib/auth/page-auth'

export const dynamic = 'force-dynamic'

type Props = { params: Promise<{ projectId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }

export default async function Page({ params, searchParams }: Props) {
  const { projectId } = await params
  await requireProjectAccess(projectId)
  return <RecorderScreen projectId={projectId} search={await searchParams} />
}
