// The same OTLP/HTTP logs endpoint under the Langfuse-compatible prefix.
import { handleOtlpExport } from '@/lib/otlp/handle-export'

export const dynamic = 'force-dynamic'

export function POST(request: Request): Promise<Response> {
  return handleOtlpExport(request, 'logs')
}
