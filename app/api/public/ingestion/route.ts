// Langfuse ingestion API: the `langfuse` v3 SDK (and Langfuse's Python SDK v2) post batches of
// events here with Basic auth publicKey:secretKey (the Flightline key as the secret key).
import { handleLangfuseIngestion } from '@/lib/langfuse/handle-ingestion'

export const dynamic = 'force-dynamic'

export function POST(request: Request): Promise<Response> {
  return handleLangfuseIngestion(request)
}
