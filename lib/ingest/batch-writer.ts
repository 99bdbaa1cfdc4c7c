// Group commit for inserts. Concurrent requests hand their rows to one writer per table; while
// an insert is in flight, newly arriving rows wait and then go out together in the next
// insert. A request's promise resolves only after the insert holding its rows succeeded, so a
// 2xx answer means the rows are in a ClickHouse part. Above a bound on waiting rows the writer
// refuses new work (the caller answers 503 + Retry-After) instead of growing without limit.

export class OverloadedError extends Error {
  constructor(public readonly retryAfterSeconds: number) {
    super('Flightline is shedding load: too many rows are waiting to be written. Retry shortly.')
    this.name = 'OverloadedError'
  }
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
}

export class BatchWriter<Row> {
  private queue: Pending<Row>[] = []
  private queuedRows = 0
  private flushing: Promise<void> | undefined
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
    while (this.flushing || this.queue.length > 0) {
      this.kick()
      await this.flushing
    }
  }

  private kick(): void {
    if (this.flushing) return
    this.flushing = this.flushLoop().finally(() => {
      this.flushing = undefined
      if (this.queue.length > 0) this.kick()
    })
  }

  private async flushLoop(): Promise<void> {
    // Let requests that arrived in the same tick join the first batch.
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
      try {
        await this.options.insert(rows)
        this.stats.batches++
        this.stats.rows += rows.length
        for (const pending of batch) pending.resolve()
      } catch (error) {
        for (const pending of batch) pending.reject(error)
      } finally {
        this.queuedRows -= count
      }
    }
  }
}
