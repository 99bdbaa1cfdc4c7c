// The flight recorder's background work in the server process: sampling decisions every second
// (the window is measured from a trace's last span, so this adds at most a second), retention
// deletes hourly. Deletions run on their own queue (deletions.ts).
import { PeriodicTask } from '@/lib/runtime/periodic-task'
import { decideHeldTraces } from './sampling-decider'
import { applyRetentionToAll } from './retention'
import { failInterruptedDeletions } from './deletions'

interface RecorderWorker {
  sampling: PeriodicTask
  retention: PeriodicTask
}

const GLOBAL_KEY = Symbol.for('flightline.recorder-worker')

export async function startRecorderWorker(): Promise<void> {
  const slot = globalThis as Record<symbol, RecorderWorker | undefined>
  if (slot[GLOBAL_KEY]) return
  await failInterruptedDeletions()
  const worker: RecorderWorker = {
    sampling: new PeriodicTask('sampling decisions', 1000, async () => (await decideHeldTraces()).more),
    retention: new PeriodicTask('retention', 3_600_000, async () => {
      await applyRetentionToAll()
      return false
    }),
  }
  slot[GLOBAL_KEY] = worker
  worker.sampling.start()
  worker.retention.start()
}

export async function stopRecorderWorker(): Promise<void> {
  const worker = (globalThis as Record<symbol, RecorderWorker | undefined>)[GLOBAL_KEY]
  await Promise.all([worker?.sampling.stop(), worker?.retention.stop()])
}

/** Holds the recorder's background writes still (a backup copying tables one by one); the result resumes them. */
export async function pauseRecorderWorker(): Promise<() => void> {
  const worker = (globalThis as Record<symbol, RecorderWorker | undefined>)[GLOBAL_KEY]
  if (!worker) return () => {}
  await Promise.all([worker.sampling.stop(), worker.retention.stop()])
  return () => {
    worker.sampling.start()
    worker.retention.start()
  }
}
