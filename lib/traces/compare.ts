// Two traces side by side: their span trees aligned, and what differs per span. Children are
// matched in order by what they call (the span's graph node: a tool, a model, an agent), with a
// longest common subsequence, so an extra retry or a missing tool call shows as a gap on one
// side instead of shifting every row after it. The first divergence is the first aligned row
// (in tree order) where the runs differ in shape, status, model, prompt or parameters, not counting
// a status that only reflects a difference further down.
import type { ExplorerSpan, ExplorerTrace } from './explorer-model'

export interface CompareSide {
  index: number
  span: ExplorerSpan
}

export interface CompareRow {
  depth: number
  a?: CompareSide
  b?: CompareSide
  /** Fields that differ between the two spans (empty when only one side has the row). */
  differences: SpanDifference[]
}

export interface SpanDifference {
  field: 'status' | 'model' | 'prompt' | 'params' | 'tokens' | 'cost' | 'duration' | 'name'
  a: string
  b: string
}

export interface TraceComparison {
  rows: CompareRow[]
  /** Index in `rows` of the first divergence, or -1 when the runs match in shape, status and model. */
  firstDivergence: number
}

/** What a span calls, to match it with its counterpart: the graph node's label and kind. */
function keyOf(trace: ExplorerTrace, span: ExplorerSpan): string {
  const node = trace.graph.nodes[span.node]
  return node ? `${node.kind}:${node.label}` : `${span.kind}:${span.name}`
}

function childrenOf(trace: ExplorerTrace): Map<number, number[]> {
  const out = new Map<number, number[]>()
  trace.spans.forEach((span, i) => {
    const list = out.get(span.parent)
    if (list) list.push(i)
    else out.set(span.parent, [i])
  })
  return out
}

/** Pairs of positions in `a` and `b` matched by an LCS on their keys (in order). */
function lcsPairs(a: string[], b: string[]): Array<[number | undefined, number | undefined]> {
  const n = a.length
  const m = b.length
  // Long sibling lists (thousands of spans) are matched in order by key without the table.
  if (n * m > 4_000_000) {
    const out: Array<[number | undefined, number | undefined]> = []
    for (let i = 0; i < Math.max(n, m); i++) out.push([i < n ? i : undefined, i < m ? i : undefined])
    return out
  }
  const table = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1))
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) table[i][j] = a[i] === b[j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1])
  const out: Array<[number | undefined, number | undefined]> = []
  let i = 0
  let j = 0
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) out.push([i++, j++])
    else if (j >= m || (i < n && table[i + 1][j] >= table[i][j + 1])) out.push([i++, undefined])
    else out.push([undefined, j++])
  }
  return out
}

const usd = (v: number | undefined) => (v === undefined ? '—' : `$${Number(v.toPrecision(3))}`)
const ms = (v: number) => (v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${Math.round(v)} ms`)

export function spanDifferences(a: ExplorerSpan, b: ExplorerSpan): SpanDifference[] {
  const out: SpanDifference[] = []
  const add = (field: SpanDifference['field'], x: string, y: string) => x !== y && out.push({ field, a: x, b: y })
  add('name', a.name, b.name)
  add('status', a.status, b.status)
  add('model', a.model ?? '—', b.model ?? '—')
  add('prompt', a.prompt ?? '—', b.prompt ?? '—')
  add('params', a.params ?? '—', b.params ?? '—')
  add('tokens', String(a.tokens ?? 0), String(b.tokens ?? 0))
  // Cost and duration differ on every run; only a real change (a quarter or more) is a difference.
  const changed = (x: number, y: number) => Math.abs(x - y) > 0.25 * Math.max(Math.abs(x), Math.abs(y))
  if (changed(a.cost ?? 0, b.cost ?? 0)) out.push({ field: 'cost', a: usd(a.cost), b: usd(b.cost) })
  if (changed(a.durationMs, b.durationMs)) out.push({ field: 'duration', a: ms(a.durationMs), b: ms(b.durationMs) })
  return out
}

export function compareTraces(a: ExplorerTrace, b: ExplorerTrace): TraceComparison {
  const kidsA = childrenOf(a)
  const kidsB = childrenOf(b)
  const rows: CompareRow[] = []
  // Iterative pre-order walk over aligned sibling lists (deep recursion traces stay off the call stack).
  const frames: Array<{ pairs: Array<[number | undefined, number | undefined]>; a: number[]; b: number[]; depth: number; at: number }> = []
  const push = (listA: number[], listB: number[], depth: number) => {
    const pairs = lcsPairs(
      listA.map((i) => keyOf(a, a.spans[i])),
      listB.map((i) => keyOf(b, b.spans[i])),
    )
    frames.push({ pairs, a: listA, b: listB, depth, at: 0 })
  }
  push(kidsA.get(-1) ?? [], kidsB.get(-1) ?? [], 0)
  while (frames.length > 0) {
    const frame = frames[frames.length - 1]
    if (frame.at >= frame.pairs.length) {
      frames.pop()
      continue
    }
    const [i, j] = frame.pairs[frame.at++]
    const ia = i === undefined ? undefined : frame.a[i]
    const ib = j === undefined ? undefined : frame.b[j]
    const sideA = ia === undefined ? undefined : { index: ia, span: a.spans[ia] }
    const sideB = ib === undefined ? undefined : { index: ib, span: b.spans[ib] }
    rows.push({ depth: frame.depth, a: sideA, b: sideB, differences: sideA && sideB ? spanDifferences(sideA.span, sideB.span) : [] })
    push(ia === undefined ? [] : (kidsA.get(ia) ?? []), ib === undefined ? [] : (kidsB.get(ib) ?? []), frame.depth + 1)
  }
  return { rows, firstDivergence: firstDivergenceOf(rows) }
}

/** Differences that change what a run does; tokens, cost and duration follow from them. */
const DIVERGING = new Set<SpanDifference['field']>(['status', 'model', 'name', 'prompt', 'params'])

/**
 * The first row (in tree order) where the runs part: a span on one side only, or a span that
 * differs in status, model, name, prompt or parameters. A status that differs only because a
 * span below it diverged (an error that rose to its callers) is not that point: the span below is.
 */
function firstDivergenceOf(rows: CompareRow[]): number {
  const diverges = rows.map((row) => !row.a || !row.b || row.differences.some((d) => DIVERGING.has(d.field)))
  const onlyStatus = rows.map((row) => row.a !== undefined && row.b !== undefined && row.differences.every((d) => d.field === 'status' || !DIVERGING.has(d.field)))
  // Rows of a subtree follow their root in pre-order, deeper than it; a diverging row's subtree
  // holds a diverging row when the next diverging row is still deeper than it.
  for (let k = 0; k < rows.length; k++) {
    if (!diverges[k]) continue
    const next = diverges.indexOf(true, k + 1)
    const below = next !== -1 && rows.slice(k + 1, next + 1).every((row) => row.depth > rows[k].depth)
    if (!(onlyStatus[k] && below)) return k
  }
  return -1
}
