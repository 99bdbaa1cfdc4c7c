// Which spans of a tree (in pre-order) are rows on screen when some subtrees are collapsed.
import type { ExplorerSpan } from './explorer-model'

/** Index one past the last span of each span's subtree (spans are in tree pre-order). */
export function subtreeEnds(spans: readonly Pick<ExplorerSpan, 'depth'>[]): Int32Array {
  const end = new Int32Array(spans.length)
  const open: number[] = []
  for (let i = 0; i < spans.length; i++) {
    while (open.length > 0 && spans[open[open.length - 1]].depth >= spans[i].depth) end[open.pop()!] = i
    open.push(i)
  }
  for (const i of open) end[i] = spans.length
  return end
}

export function visibleSpans(spans: readonly Pick<ExplorerSpan, 'depth'>[], ends: Int32Array, collapsed: ReadonlySet<number>): number[] {
  const out: number[] = []
  for (let i = 0; i < spans.length; ) {
    out.push(i)
    i = collapsed.has(i) ? ends[i] : i + 1
  }
  return out
}
