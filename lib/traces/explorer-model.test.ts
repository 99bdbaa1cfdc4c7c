import { describe, expect, it } from 'vitest'
import type { SpanOutline } from '@/db/clickhouse/queries/traces'
import { priceLookup } from '@/lib/analytics/costs'
import { SEED_PRICES } from '@/lib/pricing/seed-prices'
import { buildExplorerTrace, retryAttempts } from './explorer-model'

const prices = priceLookup(SEED_PRICES)

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
    serving_model: kind === 'llm' ? name : '',
    input_tokens: kind === 'llm' ? 100 : 0,
    output_tokens: kind === 'llm' ? 10 : 0,
    cache_read_tokens: 0,
    cache_write_tokens: 0,
    cost_usd: kind === 'llm' ? 0.001 : null,
    retry_attempt: 0,
    retry_of: '',
    schema_valid: null,
    prompt_name: '',
    prompt_version: '',
    temperature: null,
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
    const trace = buildExplorerTrace('t', outline, false, prices)
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
    const trace = buildExplorerTrace('t', [span('a', '', 'agent', 'root'), span('b', 'gone', 'tool', 'fetch'), span('c', 'b', 'llm', 'gpt')], false, prices)
    expect(trace.spans.map((s) => [s.id, s.depth])).toEqual([
      ['a', 0],
      ['b', 0],
      ['c', 1],
    ])
    expect(trace.spans[1].missingParent).toBe('gone')
    expect(trace.spans[0].missingParent).toBeUndefined()
  })

  it('prices a model call that reports tokens but no cost from the price table, and says it is estimated', () => {
    clock = 0
    const outline = [
      span('root', '', 'agent', 'support'),
      span('m1', 'root', 'llm', 'gpt-4o-2024-08-06', { cost_usd: null, serving_model: 'gpt-4o', input_tokens: 1200, output_tokens: 300, cache_read_tokens: 1000 }),
      span('m2', 'root', 'llm', 'gpt-4o', { cost_usd: 0.01 }),
      span('m3', 'root', 'llm', 'my-own-model', { cost_usd: null }),
    ]
    const trace = buildExplorerTrace('t', outline, false, prices)
    // gpt-4o: 200 uncached input at $2.5, 1000 cached at $1.25, 300 output at $10 per 1M tokens.
    const estimated = (200 * 2.5 + 1000 * 1.25 + 300 * 10) / 1e6
    expect(trace.spans[1]).toMatchObject({ costSource: 'estimated' })
    expect(trace.spans[1].cost).toBeCloseTo(estimated, 12)
    expect(trace.spans[2]).toMatchObject({ cost: 0.01, costSource: 'reported' })
    expect(trace.spans[3]).toMatchObject({ cost: 0, costSource: 'unpriced' })
    expect(trace.summary.cost_usd).toBeCloseTo(estimated + 0.01, 12)
    expect(trace.summary).toMatchObject({ estimated_cost_calls: 1, unpriced_cost_calls: 1, model_calls: 3 })
  })
})

describe('retryAttempts', () => {
  it('numbers the attempts of a retry chain in start order, attempt n of m', () => {
    clock = 0
    const outline = [
      span('a1', 'root', 'llm', 'gpt-4o', { status: 'error' }),
      span('a2', 'root', 'llm', 'gpt-4o', { status: 'error', retry_attempt: 1, retry_of: 'a1' }),
      span('a3', 'root', 'llm', 'gpt-4o', { retry_attempt: 2, retry_of: 'a1' }),
      span('other', 'root', 'llm', 'gpt-4o'),
    ]
    const attempts = retryAttempts(outline)
    expect(attempts.get('a1')).toEqual({ n: 1, of: 3, reason: 'retry' })
    expect(attempts.get('a2')).toEqual({ n: 2, of: 3, reason: 'retry' })
    expect(attempts.get('a3')).toEqual({ n: 3, of: 3, reason: 'retry' })
    expect(attempts.has('other')).toBe(false)
  })

  it('marks a re-prompt after output that failed its schema as a schema re-prompt, through chained retry_of links', () => {
    clock = 0
    const outline = [
      span('s1', 'root', 'llm', 'gpt-4o', { schema_valid: false }),
      span('s2', 'root', 'llm', 'gpt-4o', { retry_attempt: 1, retry_of: 's1', schema_valid: true }),
      // A retry whose target is not in the trace is not a chain of this trace.
      span('x', 'root', 'llm', 'gpt-4o', { retry_attempt: 1, retry_of: 'not-here' }),
    ]
    const attempts = retryAttempts(outline)
    expect(attempts.get('s1')).toEqual({ n: 1, of: 2, reason: 'schema' })
    expect(attempts.get('s2')).toEqual({ n: 2, of: 2, reason: 'schema' })
    expect(attempts.has('x')).toBe(false)
    const trace = buildExplorerTrace('t', [span('root', '', 'agent', 'a'), ...outline], false, prices)
    expect(trace.spans.find((s) => s.id === 's2')?.attempt).toEqual({ n: 2, of: 2, reason: 'schema' })
  })
})
