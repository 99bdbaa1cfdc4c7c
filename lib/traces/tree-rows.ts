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

/** Nesting levels drawn as indentation; deeper spans stay at this indent and show their depth. */
export const MAX_INDENT_LEVELS = 6

/**
 * How a span's depth is drawn: `levels` of indentation (at most MAX_INDENT_LEVELS, so a 25-deep
 * recursion keeps its names readable), and the depth number to show when some levels are not drawn.
 */
export function treeIndent(depth: number, maxLevels = MAX_INDENT_LEVELS): { levels: number; depthLabel?: number } {
  if (depth <= maxLevels) return { levels: depth }
  return { levels: maxLevels, depthLabel: depth }
}
