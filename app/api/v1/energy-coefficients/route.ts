import { answer, requireAdmin } from '@/lib/auth/with-project'
import { jsonResponse } from '@/lib/http/errors'
import { listCoefficients } from '@/lib/energy/coefficient-table'

export const dynamic = 'force-dynamic'

export function GET(request: Request) {
  return answer(async () => {
    await requireAdmin(request)
    return jsonResponse({ coefficients: await listCoefficients() })
  })
}
