import { checkHealth } from '@/lib/runtime/health'
import { jsonResponse } from '@/lib/http/errors'

export const dynamic = 'force-dynamic'

export async function GET() {
  const health = await checkHealth()
  return jsonResponse(health, health.ok ? 200 : 503)
}
