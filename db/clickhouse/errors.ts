// Tells apart the ways an insert can fail: because of the rows it held (a value the engine
// refuses: then the failing rows are worth finding and refusing alone) or because of the store
// itself (down, out of memory or disk, too many parts: then every row would fail the same way,
// and the client should retry later). Both the embedded engine and a server report errors as
// `Code: N. DB::Exception: ... (TYPE)`, which the client turns into `{code, type}`.

/** Codes that say nothing about the rows: the store is busy, broken or unreachable. */
const STORE_CODES = new Set([
  16, // NO_SUCH_COLUMN_IN_TABLE (schema out of date)
  60, // UNKNOWN_TABLE
  81, // UNKNOWN_DATABASE
  74, // CANNOT_READ_FROM_FILE_DESCRIPTOR
  75, // CANNOT_WRITE_TO_FILE_DESCRIPTOR
  76, // CANNOT_OPEN_FILE
  159, // TIMEOUT_EXCEEDED
  164, // READONLY
  173, // CANNOT_ALLOCATE_MEMORY
  202, // TOO_MANY_SIMULTANEOUS_QUERIES
  203, // NO_FREE_CONNECTION
  209, // SOCKET_TIMEOUT
  210, // NETWORK_ERROR
  236, // ABORTED
  241, // MEMORY_LIMIT_EXCEEDED
  242, // TABLE_IS_READ_ONLY
  243, // NOT_ENOUGH_SPACE
  252, // TOO_MANY_PARTS (but see below: too many partitions in one block is the rows' doing)
  319, // UNKNOWN_STATUS_OF_INSERT
  394, // QUERY_WAS_CANCELLED
  425, // SYSTEM_ERROR
  439, // CANNOT_SCHEDULE_TASK
  999, // KEEPER_EXCEPTION
])

export function clickhouseErrorCode(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code
  if (typeof code === 'string' && /^\d+$/.test(code)) return Number(code)
  if (typeof code === 'number') return code
  return undefined
}

/** Whether an insert's failure may come from its rows (a ClickHouse error about the data). */
export function isRowDataError(error: unknown): boolean {
  const code = clickhouseErrorCode(error)
  if (code === undefined) return false
  if (code === 252) return /partitions/i.test((error as Error).message ?? '')
  return !STORE_CODES.has(code)
}

/** The first line of an engine error, short enough for an API answer. */
export function describeStoreError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  const line = message.split('\n')[0].replace(/^Code: \d+\. DB::Exception: /, '')
  return line.length > 300 ? `${line.slice(0, 300)}…` : line
}
