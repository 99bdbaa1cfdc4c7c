import { describe, expect, it } from 'vitest'
import type { CallSpan } from './call-graph'
import { analyzeTrace, findCycleComponents } from './find-cycles'

/** Builds spans from `[span_id, parent_span_id, kind, label]` rows. */
function spans(rows: Array<[string, string, string, string]>): CallSpan[] {
  return rows.map(([span_id, parent_span_id, kind, label]) => ({
    span_id,
    parent_span_id,
    kind,
    name: label,
    ...(kind === 'tool' ? { tool_name: label, name: `execute_tool ${label}` } : {}),
    ...(kind === 'llm' ? { model_requested: label, name: `chat ${label}` } : {}),
  }))
}

describe('aggregated call graph', () => {
  it('collapses calls to the same tool, agent or model into one node and counts edge calls', () => {
    const graph = analyzeTrace(
      spans([
        ['a', '', 'agent', 'support'],
        ['m1', 'a', 'llm', 'gpt-4o'],
        ['t1', 'a', 'tool', 'search'],
        ['m2', 'a', 'llm', 'gpt-4o'],
        ['t2', 'a', 'tool', 'search'],
      ]),
    )
    expect(graph.nodes.map((n) => [n.id, n.calls])).toEqual([
      ['agent:support', 1],
      ['llm:gpt-4o', 2],
      ['tool:search', 2],
    ])
    expect(graph.edges).toEqual([
      { source: 'agent:support', target: 'llm:gpt-4o', calls: 2 },
      { source: 'agent:support', target: 'tool:search', calls: 2 },
    ])
    expect(graph.cycles).toEqual([])
  })
})

describe('cycle finding', () => {
  it('finds a self-loop: a tool that calls itself', () => {
    const { cycles } = analyzeTrace(
      spans([
        ['root', '', 'agent', 'planner'],
        ['t1', 'root', 'tool', 'retry'],
        ['t2', 't1', 'tool', 'retry'],
        ['t3', 't2', 'tool', 'retry'],
      ]),
    )
    expect(cycles).toEqual([{ nodes: ['tool:retry'], reentries: 2, max_depth: 3 }])
  })

  it('finds a two-node cycle: tool -> model -> same tool', () => {
    const { cycles } = analyzeTrace(
      spans([
        ['root', '', 'agent', 'support'],
        ['t1', 'root', 'tool', 'search_orders'],
        ['m1', 't1', 'llm', 'gpt-4o'],
        ['t2', 'm1', 'tool', 'search_orders'],
        ['m2', 't2', 'llm', 'gpt-4o'],
        ['t3', 'm2', 'tool', 'search_orders'],
      ]),
    )
    expect(cycles).toEqual([{ nodes: ['llm:gpt-4o', 'tool:search_orders'], reentries: 2, max_depth: 3 }])
  })

  it('finds a longer cycle through an agent, a model and two tools', () => {
    const { cycles, edges } = analyzeTrace(
      spans([
        ['r', '', 'chain', 'workflow'],
        ['a1', 'r', 'agent', 'researcher'],
        ['m1', 'a1', 'llm', 'claude'],
        ['t1', 'm1', 'tool', 'browse'],
        ['u1', 't1', 'tool', 'delegate'],
        ['a2', 'u1', 'agent', 'researcher'],
        ['m2', 'a2', 'llm', 'claude'],
      ]),
    )
    expect(cycles).toEqual([{ nodes: ['agent:researcher', 'llm:claude', 'tool:browse', 'tool:delegate'], reentries: 1, max_depth: 2 }])
    expect(edges.find((e) => e.source === 'tool:delegate')).toEqual({ source: 'tool:delegate', target: 'agent:researcher', calls: 1 })
  })

  it('finds several disjoint cycles and measures each on its own', () => {
    const { cycles } = analyzeTrace(
      spans([
        ['r', '', 'agent', 'root'],
        // cycle 1: search <-> gpt-4o, re-entered twice
        ['s1', 'r', 'tool', 'search'],
        ['g1', 's1', 'llm', 'gpt-4o'],
        ['s2', 'g1', 'tool', 'search'],
        ['g2', 's2', 'llm', 'gpt-4o'],
        ['s3', 'g2', 'tool', 'search'],
        // cycle 2: a self-loop on summarise, once
        ['x1', 'r', 'chain', 'summarise'],
        ['x2', 'x1', 'chain', 'summarise'],
        // not a cycle: lookup called twice from the agent
        ['l1', 'r', 'tool', 'lookup'],
        ['l2', 'r', 'tool', 'lookup'],
      ]),
    )
    expect(cycles).toEqual([
      { nodes: ['llm:gpt-4o', 'tool:search'], reentries: 2, max_depth: 3 },
      { nodes: ['chain:summarise'], reentries: 1, max_depth: 2 },
    ])
  })

  it('counts depth per path: two sibling re-entries are depth 2, not 3', () => {
    const { cycles } = analyzeTrace(
      spans([
        ['t1', '', 'tool', 'search'],
        ['m1', 't1', 'llm', 'gpt-4o'],
        ['t2', 'm1', 'tool', 'search'],
        ['t3', 'm1', 'tool', 'search'],
      ]),
    )
    expect(cycles).toEqual([{ nodes: ['llm:gpt-4o', 'tool:search'], reentries: 2, max_depth: 2 }])
  })

  it('reports a component whose edges lie on different branches with zero re-entries', () => {
    // gpt-4o -> search on one branch, search -> gpt-4o on another: a cycle in the aggregated
    // graph, although no single path re-entered it.
    const { cycles } = analyzeTrace(
      spans([
        ['r', '', 'agent', 'root'],
        ['g1', 'r', 'llm', 'gpt-4o'],
        ['s1', 'g1', 'tool', 'search'],
        ['s2', 'r', 'tool', 'search'],
        ['g2', 's2', 'llm', 'gpt-4o'],
      ]),
    )
    expect(cycles).toEqual([{ nodes: ['llm:gpt-4o', 'tool:search'], reentries: 0, max_depth: 1 }])
  })

  it('finds no cycle in deep nesting of distinct nodes (20,000 levels, no stack overflow)', () => {
    const rows: Array<[string, string, string, string]> = []
    for (let i = 0; i < 20_000; i++) rows.push([`s${i}`, i === 0 ? '' : `s${i - 1}`, i % 2 ? 'tool' : 'chain', `step-${i}`])
    const graph = analyzeTrace(spans(rows))
    expect(graph.nodes).toHaveLength(20_000)
    expect(graph.edges).toHaveLength(19_999)
    expect(graph.cycles).toEqual([])
  })

  it('measures a 10,000-deep recursion without overflowing the stack', () => {
    const rows: Array<[string, string, string, string]> = []
    for (let i = 0; i < 10_000; i++) rows.push([`s${i}`, i === 0 ? '' : `s${i - 1}`, 'tool', 'recurse'])
    expect(analyzeTrace(spans(rows)).cycles).toEqual([{ nodes: ['tool:recurse'], reentries: 9_999, max_depth: 10_000 }])
  })

  it('ignores spans whose parent is not in the trace (treated as roots)', () => {
    const graph = analyzeTrace(spans([['orphan', 'missing', 'tool', 'search'], ['child', 'orphan', 'tool', 'fetch']]))
    expect(graph.edges).toEqual([{ source: 'tool:search', target: 'tool:fetch', calls: 1 }])
    expect(graph.cycles).toEqual([])
  })

  it('finds components directly from nodes and edges', () => {
    const nodes = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id, label: id, kind: 'tool', calls: 1 }))
    const edges = [
      ['a', 'b'],
      ['b', 'c'],
      ['c', 'a'],
      ['c', 'd'],
      ['d', 'd'],
      ['d', 'e'],
    ].map(([source, target]) => ({ source, target, calls: 1 }))
    expect(findCycleComponents({ nodes, edges })).toEqual([['d'], ['a', 'b', 'c']])
  })
})
