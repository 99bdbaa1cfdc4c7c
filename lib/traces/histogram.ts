// The traces list's histogram: every bucket of the range (empty ones included), round count
// ticks, and the range a click or a drag across buckets zooms to.

export interface HistogramBucket {
  /** Bucket start, epoch ms. */
  t: number
  traces: number
  errors: number
}

/** All buckets from the one holding `from` up to `to`, filled from the query's non-empty ones. */
export function fillBuckets(from: Date, to: Date, bucketSeconds: number, rows: readonly { t: string; traces: number; errors: number }[]): HistogramBucket[] {
  const step = bucketSeconds * 1000
  const byStart = new Map(rows.map((row) => [new Date(row.t).getTime(), row]))
  const out: HistogramBucket[] = []
  for (let t = Math.floor(from.getTime() / step) * step; t < to.getTime(); t += step) {
    const row = byStart.get(t)
    out.push({ t, traces: row?.traces ?? 0, errors: row?.errors ?? 0 })
  }
  return out
}

/** A round axis maximum and its ticks (1, 2 or 5 times a power of ten), about `count` of them. */
export function roundTicks(max: number, count = 4, minStep = 0): number[] {
  if (!(max > 0)) return [0, 1]
  const raw = max / count
  const power = 10 ** Math.floor(Math.log10(raw))
  // minStep 1 for counts: no tick at half a trace.
  const step = Math.max(minStep, [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw)!)
  const ticks: number[] = []
  for (let v = 0; v < max + step; v += step) ticks.push(Number(v.toPrecision(12)))
  return ticks
}

/** The range from the start of bucket `a` to the end of bucket `b` (in either order), clipped to [from, to]. */
export function zoomRange(buckets: readonly HistogramBucket[], bucketSeconds: number, a: number, b: number, from: Date, to: Date): { from: string; to: string } {
  const first = Math.max(0, Math.min(a, b))
  const last = Math.min(buckets.length - 1, Math.max(a, b))
  const start = Math.max(buckets[first].t, from.getTime())
  const end = Math.min(buckets[last].t + bucketSeconds * 1000, to.getTime())
  return { from: new Date(start).toISOString(), to: new Date(end).toISOString() }
}
