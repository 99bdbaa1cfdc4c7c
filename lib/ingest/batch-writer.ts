// Group commit for inserts. Concurrent requests hand their rows to one writer per table; while
// inserts are in flight (at most `maxInFlight`), newly arriving rows wait and then go out
// together in the next insert. Two inserts in flight keep a request from waiting for a whole
// unrelated insert before its own starts. A request's promise resolves only after the insert holding its rows succeeded, so a
// 2xx answer means the rows are in a ClickHouse part. Above a bound on waiting rows the writer
// refuses new work (the caller answers 503 + Retry-After) instead of growing without limit.

export class OverloadedError extends Error {
  constructor(public readonly retryAfterSeconds: number) {
    super('Flightline is shedding load: too many rows are waiting to be written. Retry shortly.')
    this.name = 'OverloadedError'
  }
}

/**
 * Whether `error` is an OverloadedError. By name as well: the server's route bundles and its
 * start-up bundle (gRPC) may each hold their own copy of this class, and a writer on globalThis
 * throws the copy of the bundle that created it.
 */
export function isOverloadedError(error: unknown): error is OverloadedError {
  return error instanceof OverloadedError || (error instanceof Error && error.name === 'OverloadedError')
}

interface Pending<Row> {
  rows: Row[]
  resolve: () => void
  reject: (error: unknown) => void
}

export interface BatchWriterOptions<Row> {
  name: string
  /** Writes one batch; throws on failure (every request in the batch then fails). */
  insert: (rows: Row[]) => Promise<void>
  maxBatchRows: number
  maxPendingRows: number
  /** Inserts running at once (default 1). */
  maxInFlight?: number
}

export class BatchWriter<Row> {
  private queue: Pending<Row>[] = []
  private queuedRows = 0
  private lanes = new Set<Promise<void>>()
  private stats = { batches: 0, rows: 0 }

  constructor(private readonly options: BatchWriterOptions<Row>) {}

  get pendingRows(): number {
    return this.queuedRows
  }

  get totals(): { batches: number; rows: number } {
    return { ...this.stats }
  }

  write(rows: Row[]): Promise<void> {
    if (rows.length === 0) return Promise.resolve()
    if (this.queuedRows > 0 && this.queuedRows + rows.length > this.options.maxPendingRows) {
      return Promise.reject(new OverloadedError(1))
    }
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ rows, resolve, reject })
      this.queuedRows += rows.length
      this.kick()
    })
  }

  /** Resolves when everything queued so far has been written (or failed). */
  async drain(): Promise<void> {
    while (this.lanes.size > 0 || this.queue.length > 0) {
      this.kick()
      await Promise.all(this.lanes)
    }
  }

  private kick(): void {
    const maxInFlight = this.options.maxInFlight ?? 1
    while (this.lanes.size < maxInFlight && this.queue.length > this.lanes.size - this.busyLanes) {
      const lane: Promise<void> = this.runLane().finally(() => {
        this.lanes.delete(lane)
        if (this.queue.length > 0) this.kick()
      })
      this.lanes.add(lane)
    }
  }

  /** Lanes inside an insert (the others are about to take a batch). */
  private busyLanes = 0

  private async runLane(): Promise<void> {
    // Let requests that arrived in the same tick join the batch.
    await new Promise((resolve) => setImmediate(resolve))
    while (this.queue.length > 0) {
      const batch: Pending<Row>[] = []
      let count = 0
      while (this.queue.length > 0 && (batch.length === 0 || count + this.queue[0].rows.length <= this.options.maxBatchRows)) {
        const next = this.queue.shift()!
        batch.push(next)
        count += next.rows.length
      }
      const rows = batch.length === 1 ? batch[0].rows : batch.flatMap((pending) => pending.rows)
      this.busyLanes++
      try {
        await this.options.insert(rows)
        this.stats.batches++
        this.stats.rows += rows.length
        for (const pending of batch) pending.resolve()
      } catch (error) {
        for (const pending of batch) pending.reject(error)
      } finally {
        this.busyLanes--
        this.queuedRows -= count
      }
    }
  }
}
