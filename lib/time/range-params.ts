// Carrying the time range from screen to screen: every link inside a project keeps the
// `range` or `from`/`to` parameters of the page it starts from, and nothing else.
export const RANGE_PARAM_NAMES = ['range', 'from', 'to'] as const

type SearchLike = Pick<URLSearchParams, 'get'>

/** Only the time range parameters of a query string. */
export function rangeSearchParams(search: SearchLike): URLSearchParams {
  const out = new URLSearchParams()
  for (const name of RANGE_PARAM_NAMES) {
    const value = search.get(name)
    if (value) out.set(name, value)
  }
  return out
}

/** `path` with the time range of `search` appended, e.g. `/projects/p_1/traces?range=7d`. */
export function hrefWithRange(path: string, search: SearchLike): string {
  const query = rangeSearchParams(search).toString()
  return query ? `${path}?${query}` : path
}

/**
 * A copy of `search` with the time range replaced. Paging cursors belong to the old range, so
 * they are dropped too.
 */
export function replaceRange(search: URLSearchParams, range: { range: string } | { from: string; to: string }): URLSearchParams {
  const next = new URLSearchParams(search)
  for (const name of [...RANGE_PARAM_NAMES, 'cursor']) next.delete(name)
  if ('range' in range) next.set('range', range.range)
  else {
    next.set('from', range.from)
    next.set('to', range.to)
  }
  return next
}
