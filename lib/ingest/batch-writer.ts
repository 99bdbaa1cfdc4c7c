// Group commit for inserts. Concurrent requests hand their rows to one writer per table; while
// inserts are in flight (at most `maxInFlight`), newly arriving rows wait and then go out
// together in the next insert. Two inserts in flight keep a request from waiting for a whole
// unrelated insert before its own starts. A request's promise resolves only after the insert holding its rows succeeded, so a
// 2xx answer means the rows are in a ClickHouse part. Above a bound on waiting rows the writer
// refuses new work (the caller answers 503 + Retry-After) instead of growing without limit.
//
// A request's answer depends only on its own rows. When an insert fails for a reason its rows can
// cause (`isRowError`), the batch is split request by request and retried until only the
// failing requests remain; inside a failing request, its rows are split the same way (within a
// budget of inserts) until the failing rows are found. Those rows come back to their request as
// failures, the rest is written. A failure no row can cause (the store is down, out of disk)
// fails the whole batch as StoreUnavailableError, which callers answer with 503 + Retry-After.

export class OverloadedError extends Error {
  constructor(
    public readonly retryAfterSeconds: number,
    message = 'Flightline is shedding load: too many rows are waiting to be written. Retry shortly.',
  ) {
    super(message)
    this.name = 'OverloadedError'
  }
}

/** The store could not take a batch for a reason unrelated to its rows; retrying later helps. */
export class StoreUnavailableError extends OverloadedError {
  constructor(cause: unknown) {
    super(2, `Flightline could not store the rows right now (${cause instanceof Error ? cause.message.split('\n')[0].slice(0, 300) : String(cause)}). Retry shortly.`)
    this.name = 'StoreUnavailableError'
    this.cause = cause
  }
}

/** A row the store refused: its position in the rows the request handed over, and why. */
export interface RowFailure {
  index: number
  error: unknown
}

/**
 * Whether `error` is an OverloadedError. By name as well: the server's route bundles and its
 * start-up bundle (gRPC) may each hold their own copy of this class, and a writer on globalThis
 * throws the copy of the bundle that created it.
 */
export function isOverloadedError(error: unknown): error is OverloadedError {
  return error instanceof OverloadedError || (error instanceof Error && (error.name === 'OverloadedError' || error.name === 'StoreUnavailableError'))
}

interface Pending<Row> {
  rows: Row[]
  resolve: (failures: RowFailure[]) => void
  reject: (error: unknown) => void
}

export interface BatchWriterOptions<Row> {
  name: string
  /** Writes one batch; throws on failure. */
  insert: (rows: Row[]) => Promise<void>
  /** Whether a failed insert may be due to the rows it held (then they are isolated); default: no. */
  isRowError?: (error: unknown) => boolean
  /** Most retried inserts spent finding the failing rows inside one request (default 32). */
  maxIsolationInserts?: number
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

  /**
   * Resolves once the rows are written, with the rows the store refused (empty when all were
   * written); rejects when the batch could not be written at all.
   */
  write(rows: Row[]): Promise<RowFailure[]> {
    if (rows.length === 0) return Promise.resolve([])
    if (this.queuedRows > 0 && this.queuedRows + rows.length > this.options.maxPendingRows) {
      return Promise.reject(new OverloadedError(1))
    }
    return new Promise<RowFailure[]>((resolve, reject) => {
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
      this.busyLanes++
      try {
        await this.commit(batch)
      } finally {
        this.busyLanes--
      }
    }
  }

  /** Writes the requests' rows in one insert; on a row error, splits until only failing requests remain. */
  private async commit(batch: Pending<Row>[]): Promise<void> {
    const rows = batch.length === 1 ? batch[0].rows : batch.flatMap((pending) => pending.rows)
    try {
      await this.options.insert(rows)
      this.stats.batches++
      this.stats.rows += rows.length
      for (const pending of batch) this.settle(pending, [])
      return
    } catch (error) {
      if (!this.isRowError(error)) {
        const failure = new StoreUnavailableError(error)
        for (const pending of batch) this.settle(pending, failure)
        return
      }
      if (batch.length > 1) {
        const middle = batch.length >>> 1
        await this.commit(batch.slice(0, middle))
        await this.commit(batch.slice(middle))
        return
      }
      let outcome: RowFailure[] | Error
      try {
        outcome = await this.isolateRows(batch[0].rows, error)
      } catch (failure) {
        outcome = failure instanceof Error ? failure : new StoreUnavailableError(failure)
      }
      this.settle(batch[0], outcome)
    }
  }

  /** Answers one request: with the rows that failed, or with the error that failed them all. */
  private settle(pending: Pending<Row>, outcome: RowFailure[] | Error): void {
    this.queuedRows -= pending.rows.length
    if (outcome instanceof Error) pending.reject(outcome)
    else pending.resolve(outcome)
  }

  /** The failing rows of one request whose insert failed with `error`; writes all the others. */
  private async isolateRows(rows: Row[], error: unknown): Promise<RowFailure[]> {
    const failures: RowFailure[] = []
    let budget = this.options.maxIsolationInserts ?? 32
    const refuse = (start: number, end: number, cause: unknown) => {
      for (let index = start; index < end; index++) failures.push({ index, error: cause })
    }
    const visit = async (start: number, end: number, cause: unknown): Promise<void> => {
      // rows[start, end) failed together with `cause`.
      if (end - start === 1) return refuse(start, end, cause)
      const middle = (start + end) >>> 1
      for (const [from, to] of [
        [start, middle],
        [middle, end],
      ]) {
        // Past the budget, a part that was not tried is refused with the error of the whole.
        if (budget <= 0) {
          refuse(from, to, cause)
          continue
        }
        budget--
        try {
          await this.options.insert(rows.slice(from, to))
          this.stats.rows += to - from
        } catch (partError) {
          if (!this.isRowError(partError)) throw new StoreUnavailableError(partError)
          await visit(from, to, partError)
        }
      }
    }
    await visit(0, rows.length, error)
    return failures
  }

  private isRowError(error: unknown): boolean {
    return this.options.isRowError?.(error) ?? false
  }
}
