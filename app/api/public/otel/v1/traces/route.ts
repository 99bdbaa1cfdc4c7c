// The same OTLP/HTTP endpoint at the path Langfuse's OTel SDK posts to.
import { handleOtlpExport } from '@/lib/otlp/handle-export'

export const dynamic = 'force-dynamic'

export function POST(request: Request): Promise<Response> {
  return handleOtlpExport(request, 'traces')
}
