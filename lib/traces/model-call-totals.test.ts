import { describe, expect, it } from 'vitest'
import { sumLeafModelCalls, type ModelCallUsage } from './model-call-totals'

const call = (span_id: string, parent_span_id: string, input_tokens: number, cost_usd: number | null = null): ModelCallUsage => ({
  span_id,
  parent_span_id,
  input_tokens,
  output_tokens: input_tokens / 10,
  cache_read_tokens: 0,
  cost_usd,
})

describe('sumLeafModelCalls', () => {
  it('counts a wrapper that repeats its children usage once', () => {
    // generateText (300 = 100 + 200) over two doGenerate calls
    const totals = sumLeafModelCalls([call('root', '', 300, 0.3), call('a', 'root', 100, 0.1), call('b', 'root', 200, 0.2)])
    expect(totals.input_tokens).toBe(300)
    expect(totals.model_calls).toBe(2)
    expect(totals.cost_usd).toBeCloseTo(0.3)
  })

  it('sees wrappers through non-model spans when given the parent map', () => {
    const parents = new Map([
      ['step', 'agent-llm'],
      ['leaf', 'step'],
    ])
    const totals = sumLeafModelCalls([call('agent-llm', '', 50), call('leaf', 'step', 50)], parents)
    expect(totals.input_tokens).toBe(50)
    expect(totals.model_calls).toBe(1)
  })

  it('sums independent calls', () => {
    expect(sumLeafModelCalls([call('a', 't1', 10), call('b', 't2', 20)]).input_tokens).toBe(30)
  })

  it('counts a model call whose tool calls the model again (re-entry) as a call of its own', () => {
    // gpt -> tool -> gpt -> tool -> gpt: three real model calls, none a wrapper.
    const parents = new Map([
      ['t1', 'm1'],
      ['m2', 't1'],
      ['t2', 'm2'],
      ['m3', 't2'],
    ])
    const totals = sumLeafModelCalls([call('m1', '', 100), call('m2', 't1', 100), call('m3', 't2', 100)], parents, new Set(['t1', 't2']))
    expect(totals.input_tokens).toBe(300)
    expect(totals.model_calls).toBe(3)
  })
})
