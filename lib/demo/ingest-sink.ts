// Sends demo data through the server's own ingest functions (validation, normalisation, the
// batch writers), for the in-process "Load demo data" job: the same path as POST
// /api/v1/spans minus the HTTP hop.
import { OverloadedError } from '@/lib/ingest/batch-writer'
import { ingestScores, ingestSpans } from '@/lib/ingest/ingest'
import { RetryableError, type DemoSink, type SinkResult } from './load'

async function retryOnOverload(send: () => Promise<SinkResult>): Promise<SinkResult> {
  try {
    return await send()
  } catch (error) {
    if (error instanceof OverloadedError) throw new RetryableError(error.message, error.retryAfterSeconds * 1000)
    throw error
  }
}

export function ingestSink(projectId: string): DemoSink {
  return {
    sendSpans: (spans) => retryOnOverload(() => ingestSpans(projectId, spans)),
    sendScores: (scores) => retryOnOverload(() => ingestScores(projectId, scores)),
  }
}
