// OTLP/HTTP trace export: OTEL_EXPORTER_OTLP_ENDPOINT=http://host:3000 posts here.
import { handleOtlpExport } from '@/lib/otlp/handle-export'

export const dynamic = 'force-dynamic'

export function POST(request: Request): Promise<Response> {
  return handleOtlpExport(request, 'traces')
}
