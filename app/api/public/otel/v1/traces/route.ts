// The same OTLP/HTTP endpoint at the path Langfuse's OTel SDK posts to.
import { handleOtlpTraces } from '@/lib/otlp/handle-traces'

export const dynamic = 'force-dynamic'

export function POST(request: Request): Promise<Response> {
  return handleOtlpTraces(request)
}
