import { GuardrailsScreen } from '@/components/analytics/guardrails-screen'
import { requireProjectAccess } from '@/lib/auth/page-auth'

export const dynamic = 'force-dynamic'

type Props = { params: Promise<{ projectId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }

export default async function GuardrailsPage({ params, searchParams }: Props) {
  const { projectId } = await params
  await requireProjectAccess(projectId)
  return <GuardrailsScreen projectId={projectId} search={await searchParams} />
}
