// A background task of the server process that works in passes: the next pass starts right
// away while the last one said more work is waiting, after `intervalMs` otherwise, and after
// `failureBackoff` intervals when a pass threw (logged, remembered for /api/health, retried).
import { logFailure } from '@/lib/observability/logger'

export class PeriodicTask {
  private timer?: NodeJS.Timeout
  private running?: Promise<unknown>
  private stopped = true
  private lastError?: string

  constructor(
    private readonly name: string,
    private readonly intervalMs: number,
    /** One pass; resolves true when more work is waiting. */
    private readonly pass: () => Promise<boolean>,
    private readonly failureBackoff = 2,
  ) {}

  start(): void {
    if (!this.stopped) return
    this.stopped = false
    this.schedule(0)
  }

  /** Stops scheduling and waits for a pass under way. */
  async stop(): Promise<void> {
    this.stopped = true
    clearTimeout(this.timer)
    await this.running
  }

  /** The last pass's error, until a pass succeeds. */
  get error(): string | undefined {
    return this.lastError
  }

  private schedule(delayMs: number) {
    if (this.stopped) return
    this.timer = setTimeout(() => {
      const pass = this.pass()
      this.running = pass.catch(() => undefined)
      pass
        .then((more) => {
          this.lastError = undefined
          this.schedule(more ? 0 : this.intervalMs)
        })
        .catch((error) => {
          this.lastError = error instanceof Error ? error.message : String(error)
          logFailure(`${this.name} pass failed (retrying)`, error)
          this.schedule(this.intervalMs * this.failureBackoff)
        })
    }, delayMs)
    this.timer.unref()
  }
}
