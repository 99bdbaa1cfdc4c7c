// Exact quantiles of small in-memory samples (the guardrail and reranker views compute theirs
// from at most a few tens of thousands of values): linear interpolation between closest ranks,
// the same definition as ClickHouse's quantileExact-interpolated and numpy's default.

/** The q-quantile (0..1) of values; null for an empty sample. Does not modify `values`. */
export function quantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null
  return quantileOfSorted([...values].sort((a, b) => a - b), q)
}

/** The q-quantile of values already sorted ascending. */
export function quantileOfSorted(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null
  const position = Math.min(1, Math.max(0, q)) * (sorted.length - 1)
  const below = Math.floor(position)
  const above = Math.min(sorted.length - 1, below + 1)
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below)
}

export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null
  return values.reduce((sum, v) => sum + v, 0) / values.length
}

/** Sample variance (n - 1 denominator); 0 below two values. */
export function variance(values: readonly number[]): number {
  if (values.length < 2) return 0
  const m = values.reduce((sum, v) => sum + v, 0) / values.length
  return values.reduce((sum, v) => sum + (v - m) ** 2, 0) / (values.length - 1)
}
