// Maintenance that needs the background writers still: a backup (the engine copies one table
// after another, and a rollup pass, cycle index pass, part promotion or sampling release landing
// between two of them would leave the copy out of step) and a deletion (a promotion or sampling
// release would write a deleted trace's spans back). One such job at a time: a backup and a
// deletion never resume the writers under each other. Ingest goes on meanwhile.
import { pausePartPromoter } from '@/lib/ingest/part-promoter'
import { pauseRecorderWorker } from '@/lib/recorder/worker'
import { pauseRollupRefresher } from '@/lib/rollups/refresher'
import { pauseCycleIndexer } from '@/lib/traces/cycle-indexer'

let queue: Promise<unknown> = Promise.resolve()

export function withBackgroundWritersStill<T>(work: () => Promise<T>): Promise<T> {
  const run = queue.then(async () => {
    const resumes = await Promise.all([pauseRollupRefresher(), pauseCycleIndexer(), pausePartPromoter(), pauseRecorderWorker()])
    try {
      return await work()
    } finally {
      for (const resume of resumes) resume()
    }
  })
  queue = run.catch(() => {})
  return run
}
