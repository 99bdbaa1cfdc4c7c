// Feeds the demo generator into an ingest sink (the HTTP API or the in-process ingest path)
// with a bounded number of requests in flight, retrying what the server asks to be retried
// (503 / 429 with Retry-After, dropped connections), and reporting progress as it goes.
import { generateDemo, type DemoSummary } from './generate'
import { planDemo, type DemoOptions } from './plan'
import type { DemoScore, DemoSpan } from './recorder'

export interface SinkResult {
  accepted: number
  rejected: { index: number; error: string }[]
}

/** Where the demo data goes: the HTTP API of a server, or the ingest functions in-process. */
export interface DemoSink {
  sendSpans(spans: DemoSpan[]): Promise<SinkResult>
  sendScores(scores: DemoScore[]): Promise<SinkResult>
}

/** A failure worth retrying; `retryAfterMs` is what the server asked for, if it said. */
export class RetryableError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message)
    this.name = 'RetryableError'
  }
}

export interface LoadProgress {
  spansSent: number
  /** The planned number of spans (the generator lands within a few percent of it). */
  spansPlanned: number
  scoresSent: number
  tracesSent: number
  rejected: number
  retries: number
  elapsedMs: number
  /** Spans per second since the start. */
  rate: number
  /** Estimated time left, from the rate so far. */
  etaMs: number | undefined
}

export interface LoadResult extends LoadProgress {
  summary: DemoSummary
  /** The first few rejection messages, if the server refused any items. */
  rejections: string[]
}

export interface LoadOptions {
  demo: DemoOptions
  sink: DemoSink
  /** Requests in flight at once (default 4). */
  concurrency?: number
  onProgress?: (progress: LoadProgress) => void
  signal?: AbortSignal
  /** Attempts per request before giving up (default 30: overload waits can be long). */
  maxAttempts?: number
}

const SCORE_FLUSH = 2000

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal!.reason)
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

export async function loadDemo(options: LoadOptions): Promise<LoadResult> {
  const { sink, signal } = options
  const concurrency = Math.max(1, options.concurrency ?? 4)
  const maxAttempts = options.maxAttempts ?? 30
  const plan = planDemo(options.demo)
  const started = Date.now()
  const progress: LoadProgress = { spansSent: 0, spansPlanned: plan.spans, scoresSent: 0, tracesSent: 0, rejected: 0, retries: 0, elapsedMs: 0, rate: 0, etaMs: undefined }
  const rejections: string[] = []

  const report = () => {
    progress.elapsedMs = Date.now() - started
    progress.rate = progress.elapsedMs > 0 ? (progress.spansSent / progress.elapsedMs) * 1000 : 0
    const left = Math.max(0, progress.spansPlanned - progress.spansSent)
    progress.etaMs = progress.rate > 0 ? (left / progress.rate) * 1000 : undefined
    options.onProgress?.({ ...progress })
  }

  const withRetries = async (send: () => Promise<SinkResult>): Promise<SinkResult> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await send()
      } catch (error) {
        if (!(error instanceof RetryableError) || attempt >= maxAttempts) throw error
        progress.retries++
        const backoff = Math.min(10_000, 250 * 2 ** Math.min(attempt, 6))
        await sleep(error.retryAfterMs ?? backoff, signal)
      }
    }
  }

  const noteRejections = (result: SinkResult) => {
    progress.rejected += result.rejected.length
    for (const r of result.rejected) if (rejections.length < 5) rejections.push(r.error)
  }

  const inFlight = new Set<Promise<void>>()
  let failure: unknown
  const launch = (work: () => Promise<void>) => {
    const task = work()
      .catch((error) => {
        failure ??= error
      })
      .finally(() => inFlight.delete(task))
    inFlight.add(task)
  }
  const room = async () => {
    while (inFlight.size >= concurrency) await Promise.race(inFlight)
  }

  let scores: DemoScore[] = []
  const flushScores = () => {
    if (scores.length === 0) return
    const chunk = scores
    scores = []
    launch(async () => {
      const result = await withRetries(() => sink.sendScores(chunk))
      progress.scoresSent += result.accepted
      noteRejections(result)
    })
  }

  const generator = generateDemo(options.demo)
  let summary: DemoSummary
  for (;;) {
    if (signal?.aborted) failure ??= signal.reason
    if (failure) break
    const next = generator.next()
    if (next.done) {
      summary = next.value
      break
    }
    const batch = next.value
    await room()
    if (failure) break
    launch(async () => {
      const result = await withRetries(() => sink.sendSpans(batch.spans))
      progress.spansSent += result.accepted
      progress.tracesSent += batch.traces
      noteRejections(result)
      report()
    })
    scores.push(...batch.scores)
    // Give the event loop a turn: in-process, the server keeps answering other requests.
    await new Promise((resolve) => setImmediate(resolve))
    if (scores.length >= SCORE_FLUSH) {
      await room()
      flushScores()
    }
  }
  if (!failure) {
    await room()
    flushScores()
  }
  await Promise.all(inFlight)
  if (failure) throw failure
  report()
  return { ...progress, summary: summary!, rejections }
}
