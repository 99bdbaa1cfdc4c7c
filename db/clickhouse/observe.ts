// Where the ClickHouse choke point (query.ts) reports how long its statements took. The store
// layer knows nothing of metrics; lib/observability/metrics.ts installs the observer. Kept on a
// global symbol: Next bundles route code and start-up code separately, and every copy of this
// module must report to the one observer.
export interface StatementObserver {
  /** A read or command, by its tag (the first part of its query id). */
  query(tag: string, seconds: number): void
  /** One INSERT into `table` (a whole batch), successful or not. */
  insert(table: string, seconds: number): void
}

const GLOBAL_KEY = Symbol.for('flightline.clickhouse-observer')

export function setStatementObserver(observer: StatementObserver): void {
  ;(globalThis as Record<symbol, StatementObserver | undefined>)[GLOBAL_KEY] = observer
}

function observer(): StatementObserver | undefined {
  return (globalThis as Record<symbol, StatementObserver | undefined>)[GLOBAL_KEY]
}

async function timed<T>(statement: () => Promise<T>, report: (observer: StatementObserver, seconds: number) => void): Promise<T> {
  const started = performance.now()
  try {
    return await statement()
  } finally {
    const current = observer()
    if (current) report(current, (performance.now() - started) / 1000)
  }
}

/** Runs `statement`, reporting its duration as a query with `tag`. */
export function timedQuery<T>(tag: string, statement: () => Promise<T>): Promise<T> {
  return timed(statement, (o, seconds) => o.query(tag, seconds))
}

/** Runs `statement`, reporting its duration as an insert into `table`. */
export function timedInsert<T>(table: string, statement: () => Promise<T>): Promise<T> {
  return timed(statement, (o, seconds) => o.insert(table, seconds))
}
