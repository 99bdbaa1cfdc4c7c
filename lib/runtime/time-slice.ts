// Long loops on the request path (validating, converting and mapping tens of thousands of items)
// hand the event loop back every few milliseconds, so one large request never keeps health
// checks and other callers waiting.

export class TimeSlice {
  private started = performance.now()

  constructor(private readonly budgetMs = 10) {}

  /** Resolves at once while the slice lasts; once it is used up, on the next turn of the loop. */
  async next(): Promise<void> {
    if (performance.now() - this.started < this.budgetMs) return
    await new Promise((resolve) => setImmediate(resolve))
    this.started = performance.now()
  }
}

/** Items handled between two looks at the clock. */
export const ITEMS_PER_CHECK = 64
