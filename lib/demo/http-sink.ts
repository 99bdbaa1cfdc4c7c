// Sends demo data through a Flightline server's public ingest API (POST /api/v1/spans and
// /api/v1/scores), exactly as an instrumented application would.
import { gzipSync } from 'node:zlib'
import { RetryableError, type DemoSink, type SinkResult } from './load'

export interface HttpSinkOptions {
  baseUrl: string
  apiKey: string
  /** Compress request bodies (worth it over a network, not on localhost). */
  gzip?: boolean
  /** Per-request timeout in ms (default 120 s: a loaded server acknowledges only when durable). */
  timeoutMs?: number
}

/** Raised for answers that retrying cannot fix (bad key, bad request). */
export class IngestRefusedError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message)
    this.name = 'IngestRefusedError'
  }
}

function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined
  const seconds = Number(header)
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
  const at = Date.parse(header)
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined
}

export function httpSink(options: HttpSinkOptions): DemoSink {
  const base = options.baseUrl.replace(/\/+$/, '')
  const post = async (path: string, body: unknown): Promise<SinkResult> => {
    const json = JSON.stringify(body)
    const headers: Record<string, string> = { Authorization: `Bearer ${options.apiKey}`, 'Content-Type': 'application/json' }
    let payload: string | Uint8Array = json
    if (options.gzip) {
      payload = gzipSync(json)
      headers['Content-Encoding'] = 'gzip'
    }
    let response: Response
    try {
      response = await fetch(`${base}${path}`, { method: 'POST', headers, body: payload as BodyInit, signal: AbortSignal.timeout(options.timeoutMs ?? 120_000) })
    } catch (error) {
      throw new RetryableError(`could not reach ${base}${path}: ${(error as Error).message}`)
    }
    const text = await response.text()
    if (response.status === 200 || response.status === 207) {
      const answer = JSON.parse(text) as { accepted: number; rejected?: SinkResult['rejected'] }
      return { accepted: answer.accepted, rejected: answer.rejected ?? [] }
    }
    if (response.status === 503 || response.status === 429 || response.status === 502 || response.status === 504) {
      throw new RetryableError(`${path} answered ${response.status}`, retryAfterMs(response.headers.get('retry-after')))
    }
    if (response.status >= 500) throw new RetryableError(`${path} answered ${response.status}: ${text.slice(0, 300)}`)
    throw new IngestRefusedError(`${path} answered ${response.status}: ${text.slice(0, 500)}`, response.status)
  }
  return {
    sendSpans: (spans) => post('/api/v1/spans', { spans }),
    sendScores: (scores) => post('/api/v1/scores', { scores }),
  }
}
