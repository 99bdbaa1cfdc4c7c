// The keys of the spans this process stored recently, so the re-send check of a batch costs
// what the batch costs rather than a lookup in the spans table. It answers one question per span:
// "is it certainly not stored yet?" Only when this process is the only one writing spans (the
// embedded engine, whose data directory it has locked), and only for spans that start at or
// after `coveredFrom`: every stored span starting there or later was written by this process and
// is in the set. Spans it cannot vouch for (older start, or their hash is in the set: a re-send,
// or rarely another span with the same hash) go to the exact lookup in the spans table.
//
// Bounded: two generations of at most `generationSize` hashes; when the newer one is full the
// older one is dropped, and `coveredFrom` moves past the latest start it held.

export interface SpanKeyRow {
  project_id: string
  trace_id: string
  span_id: string
  /** 'YYYY-MM-DD hh:mm:ss.nnnnnnnnn': text order is time order. */
  start_time: string
}

/** A 53-bit hash of a span's key (two 32-bit multiplicative hashes, as in cyrb53). */
export function spanKeyHash(row: SpanKeyRow): number {
  let h1 = 0xdeadbeef
  let h2 = 0x41c6ce57
  const mix = (text: string) => {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i)
      h1 = Math.imul(h1 ^ c, 2654435761)
      h2 = Math.imul(h2 ^ c, 1597334677)
    }
    // A separator no id can contain, so ('ab', 'c') and ('a', 'bc') differ.
    h1 = Math.imul(h1 ^ 0x1f, 2654435761)
    h2 = Math.imul(h2 ^ 0x1f, 1597334677)
  }
  mix(row.project_id)
  mix(row.trace_id)
  mix(row.span_id)
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  return 4294967296 * (2097151 & h2) + (h1 >>> 0)
}

interface Generation {
  hashes: Set<number>
  /** Latest start_time among its spans ('' when empty). */
  latestStart: string
}

export class RecentSpanKeys {
  private newer: Generation = { hashes: new Set(), latestStart: '' }
  private older: Generation = { hashes: new Set(), latestStart: '' }

  /**
   * @param coveredFrom every stored span starting at or after it is in the set (start: one past
   *   the latest start stored before this process began).
   */
  constructor(
    private coveredFrom: string,
    private readonly generationSize = 500_000,
  ) {}

  get size(): number {
    return this.newer.hashes.size + this.older.hashes.size
  }

  get covered(): string {
    return this.coveredFrom
  }

  /** True when the span is certainly not stored; false when only the spans table can tell. */
  certainlyNew(row: SpanKeyRow): boolean {
    if (row.start_time < this.coveredFrom) return false
    const hash = spanKeyHash(row)
    return !this.newer.hashes.has(hash) && !this.older.hashes.has(hash)
  }

  /** Records spans that are now stored. */
  add(rows: readonly SpanKeyRow[]): void {
    for (const row of rows) {
      if (this.newer.hashes.size >= this.generationSize) this.rotate()
      this.newer.hashes.add(spanKeyHash(row))
      if (row.start_time > this.newer.latestStart) this.newer.latestStart = row.start_time
    }
  }

  /**
   * After an insert whose outcome is unknown (it failed, but may have been stored): spans up to
   * the latest start of `rows` are no longer vouched for.
   */
  forget(rows: readonly SpanKeyRow[]): void {
    for (const row of rows) this.raiseCoverage(row.start_time)
  }

  private rotate(): void {
    this.raiseCoverage(this.older.latestStart)
    this.older = this.newer
    this.newer = { hashes: new Set(), latestStart: '' }
  }

  /** Coverage starts after `start` (text of a DateTime64(9); a tenth digit sorts after it). */
  private raiseCoverage(start: string): void {
    if (!start) return
    const after = `${start}0`
    if (after > this.coveredFrom) this.coveredFrom = after
  }
}
