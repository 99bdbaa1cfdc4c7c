// Background "Load demo data" jobs, one per project at a time (and a few per server), run inside
// the server process and fed through the ingest path. Their progress lives in memory (a restart
// forgets it; the data already loaded stays). Sizes are bounded so a click cannot fill the disk.
import { z } from 'zod'
import { ingestSink } from './ingest-sink'
import { loadDemo, type LoadProgress } from './load'

export const DEMO_JOB_DEFAULT_SPANS = 200_000
export const DEMO_JOB_MAX_SPANS = 1_000_000
/** Jobs running at once in this process, across projects. */
export const DEMO_JOB_MAX_RUNNING = 2

export const demoJobRequestSchema = z
  .object({
    spans: z.number().int('spans must be a whole number').min(1_000, 'spans must be at least 1000').max(DEMO_JOB_MAX_SPANS, `spans must be at most ${DEMO_JOB_MAX_SPANS}`).optional(),
    days: z.number().min(1, 'days must be at least 1').max(14, 'days must be at most 14').optional(),
    seed: z.number().int('seed must be a whole number').optional(),
  })
  .strict()

export type DemoJobRequest = z.infer<typeof demoJobRequestSchema>

export interface DemoJobStatus {
  project_id: string
  state: 'running' | 'done' | 'failed' | 'cancelled'
  seed: number
  days: number
  spans_planned: number
  spans_sent: number
  scores_sent: number
  traces_sent: number
  /** Spans per second so far. */
  rate: number
  /** Estimated milliseconds left while running. */
  eta_ms: number | null
  started_at: string
  /** The end of the generated range (the plan's "now"), to place the planted stories. */
  range_end: string
  finished_at: string | null
  error: string | null
}

export class DemoJobConflictError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'DemoJobConflictError'
  }
}

interface DemoJob {
  status: DemoJobStatus
  abort: AbortController
}

const GLOBAL_KEY = Symbol.for('flightline.demo-jobs')

function jobs(): Map<string, DemoJob> {
  const slot = globalThis as Record<symbol, Map<string, DemoJob> | undefined>
  let all = slot[GLOBAL_KEY]
  if (!all) {
    all = slot[GLOBAL_KEY] = new Map()
    // A stopping server stops feeding its writers, so they can drain and the process exit.
    const stopAll = () => {
      for (const job of all!.values()) job.abort.abort(new Error('the server is shutting down'))
    }
    process.once('SIGTERM', stopAll)
    process.once('SIGINT', stopAll)
  }
  return all
}

export function demoJobStatus(projectId: string): DemoJobStatus | undefined {
  const job = jobs().get(projectId)
  return job ? { ...job.status } : undefined
}

/** Stops a running job; the spans already sent stay. Returns the job's status, if any. */
export function cancelDemoJob(projectId: string): DemoJobStatus | undefined {
  const job = jobs().get(projectId)
  if (job?.status.state === 'running') job.abort.abort(new DemoJobCancelledError())
  return job ? { ...job.status } : undefined
}

class DemoJobCancelledError extends Error {
  constructor() {
    super('cancelled')
    this.name = 'DemoJobCancelledError'
  }
}

function apply(job: DemoJobStatus, progress: LoadProgress): void {
  job.spans_sent = progress.spansSent
  job.scores_sent = progress.scoresSent
  job.traces_sent = progress.tracesSent
  job.rate = Math.round(progress.rate)
  job.eta_ms = progress.etaMs === undefined ? null : Math.round(progress.etaMs)
}

/** Starts loading demo data into a project; refuses a second job for the same project. */
export function startDemoJob(projectId: string, request: DemoJobRequest = {}): DemoJobStatus {
  const all = jobs()
  if (all.get(projectId)?.status.state === 'running') throw new DemoJobConflictError('demo data is already loading into this project')
  const running = [...all.values()].filter((job) => job.status.state === 'running').length
  if (running >= DEMO_JOB_MAX_RUNNING) throw new DemoJobConflictError(`${running} demo loads are already running on this server; try again when one finishes`)

  const demo = { seed: request.seed ?? 7, spans: request.spans ?? DEMO_JOB_DEFAULT_SPANS, days: request.days ?? 7, batchSpans: 2000, end: new Date() }
  const job: DemoJobStatus = {
    project_id: projectId,
    state: 'running',
    seed: demo.seed,
    days: demo.days,
    spans_planned: demo.spans,
    spans_sent: 0,
    scores_sent: 0,
    traces_sent: 0,
    rate: 0,
    eta_ms: null,
    started_at: new Date().toISOString(),
    range_end: demo.end.toISOString(),
    finished_at: null,
    error: null,
  }
  const abort = new AbortController()
  all.set(projectId, { status: job, abort })
  loadDemo({ demo, sink: ingestSink(projectId), concurrency: 2, signal: abort.signal, onProgress: (progress) => apply(job, progress) })
    .then((result) => {
      apply(job, result)
      job.state = 'done'
    })
    .catch((error: unknown) => {
      if (error instanceof DemoJobCancelledError) {
        job.state = 'cancelled'
        return
      }
      console.error('[flightline] demo load failed:', error)
      job.state = 'failed'
      job.error = error instanceof Error ? error.message : String(error)
    })
    .finally(() => {
      job.finished_at = new Date().toISOString()
      job.eta_ms = null
    })
  return { ...job }
}
