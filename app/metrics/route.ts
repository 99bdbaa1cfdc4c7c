import { answerScrape } from '@/lib/observability/metrics-endpoint'

export const dynamic = 'force-dynamic'

export async function GET(request: Request) {
  const { status, body, headers } = await answerScrape(request.headers.get('authorization'), false)
  return new Response(body, { status, headers })
}
