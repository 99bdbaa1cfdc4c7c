import { describe, expect, it } from 'vitest'
import type { SpanOutline } from '@/db/clickhouse/queries/traces'
import { buildExplorerTrace } from './explorer-model'

let clock = 0
function span(span_id: string, parent_span_id: string, kind: string, name: string, extra: Partial<SpanOutline> = {}): SpanOutline {
  const start = 1_795_766_400_000_000_000n + BigInt(clock++) * 1_000_000n
  return {
    span_id,
    parent_span_id,
    name,
    kind,
    start_ns: start.toString(),
    end_ns: (start + 5_000_000n).toString(),
    duration_ms: 5,
    status: 'ok',
    tenant_id: 'acme',
    user_id: 'u-1',
    session_id: 's-1',
    agent_name: '',
    tool_name: kind === 'tool' ? name : '',
    model_requested: kind === 'llm' ? name : '',
    model_resolved: '',
    input_tokens: kind === 'llm' ? 100 : 0,
    output_tokens: kind === 'llm' ? 10 : 0,
    cache_read_tokens: 0,
    cost_usd: kind === 'llm' ? 0.001 : null,
    input_truncated: 0,
    output_truncated: 0,
    ...extra,
  }
}

describe('buildExplorerTrace', () => {
  it('orders spans as a tree (children by start time) with depths, parents and offsets', () => {
    clock = 0
    const outline = [
      span('root', '', 'agent', 'support'),
      span('m1', 'root', 'llm', 'gpt-4o'),
      span('t1', 'root', 'tool', 'search'),
      span('m2', 't1', 'llm', 'gpt-4o'),
      span('t2', 'm2', 'tool', 'search', { status: 'error', input_truncated: 1 }),
      span('late', 'root', 'chain', 'answer'),
    ]
    const trace = buildExplorerTrace('t', outline, false)
    expect(trace.spans.map((s) => [s.id, s.depth, s.parent, s.children])).toEqual([
      ['root', 0, -1, 3],
      ['m1', 1, 0, 0],
      ['t1', 1, 0, 1],
      ['m2', 2, 2, 1],
      ['t2', 3, 3, 0],
      ['late', 1, 0, 0],
    ])
    expect(trace.spans[4]).toMatchObject({ startMs: 4, durationMs: 5, status: 'error', cut: true })
    expect(trace.spans[1]).toMatchObject({ model: 'gpt-4o', tokens: 110, cost: 0.001 })
    expect(trace.durationMs).toBe(10)
    // Both search spans are one node; the cycle search <-> gpt-4o is found by node index.
    expect(trace.spans[2].node).toBe(trace.spans[4].node)
    const label = (i: number) => trace.graph.nodes[i].label
    expect(trace.graph.cycles.map((c) => c.nodes.map(label))).toEqual([['gpt-4o', 'search']])
    expect(trace.summary).toMatchObject({ span_count: 6, error_count: 1, model_calls: 2, input_tokens: 200 })
  })

  it('shows a span whose parent never arrived as a root, saying which parent is missing', () => {
    clock = 0
    const trace = buildExplorerTrace('t', [span('a', '', 'agent', 'root'), span('b', 'gone', 'tool', 'fetch'), span('c', 'b', 'llm', 'gpt')], false)
    expect(trace.spans.map((s) => [s.id, s.depth])).toEqual([
      ['a', 0],
      ['b', 0],
      ['c', 1],
    ])
    expect(trace.spans[1].missingParent).toBe('gone')
    expect(trace.spans[0].missingParent).toBeUndefined()
  })
})
