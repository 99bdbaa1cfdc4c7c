// OTLP/HTTP trace export: OTEL_EXPORTER_OTLP_ENDPOINT=http://host:3000 posts here.
import { handleOtlpTraces } from '@/lib/otlp/handle-traces'

export const dynamic = 'force-dynamic'

export function POST(request: Request): Promise<Response> {
  return handleOtlpTraces(request)
}
