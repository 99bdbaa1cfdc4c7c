import { describe, expect, it } from 'vitest'
import { energyOfTasks } from '@/lib/analytics/energy'
import { callEnergyWh, CLASS_COEFFICIENTS, findCoefficient, guessSizeClass, SEED_COEFFICIENTS } from './seed-coefficients'

const table = [
  { model: 'gpt-4o', size_class: 'large' as const, wh_per_1k_input: 0.2, wh_per_1k_cached_input: 0.02, wh_per_1k_output: 0.5 },
  { model: 'gpt-4o-mini', size_class: 'small' as const, wh_per_1k_input: 0.01, wh_per_1k_cached_input: 0.001, wh_per_1k_output: 0.04 },
]

describe('energy estimates', () => {
  it('sums uncached input, cache reads and output at their coefficients', () => {
    // 10,000 input of which 6,000 cached, 500 output: 4 x 0.2 + 6 x 0.02 + 0.5 x 0.5 = 1.17 Wh.
    expect(callEnergyWh(table[0], { input_tokens: 10_000, cache_read_tokens: 6000, output_tokens: 500 })).toBeCloseTo(1.17, 12)
  })

  it('matches models by exact name, else the longest prefix, else falls back by size class', () => {
    expect(findCoefficient('gpt-4o-mini-2024-07-18', table)?.model).toBe('gpt-4o-mini')
    expect(findCoefficient('openai/gpt-4o-2024-08-06', table)?.model).toBe('gpt-4o')
    expect(findCoefficient('llama-3.1-8b', table)).toBeUndefined()
    expect(guessSizeClass('llama-3.1-8b-instruct')).toBe('small')
    expect(guessSizeClass('llama-3.1-70b-instruct')).toBe('medium')
    expect(guessSizeClass('llama-3.1-405b')).toBe('frontier')
    expect(guessSizeClass('claude-opus-4-1')).toBe('frontier')
    expect(guessSizeClass('o3-mini')).toBe('small')
    expect(guessSizeClass('text-embedding-3-small')).toBe('embedding')
    expect(guessSizeClass('mistral-large-2')).toBe('large')
  })

  it('seeds every size class 30x or more apart from small to frontier', () => {
    expect(CLASS_COEFFICIENTS.frontier.wh_per_1k_output / CLASS_COEFFICIENTS.small.wh_per_1k_output).toBeGreaterThanOrEqual(30)
    expect(SEED_COEFFICIENTS.find((c) => c.model === 'gpt-4o')).toMatchObject({ size_class: 'large', wh_per_1k_output: 0.6, wh_per_1k_input: 0.25 })
  })

  it('sums a task over its models and divides by its traces', () => {
    const rows = [
      { task: 'support-agent', model: 'gpt-4o', task_total: 0, traces: 3, requests: 4, input_tokens: 10_000, cache_read_tokens: 6000, output_tokens: 500 },
      { task: 'support-agent', model: 'gpt-4o-mini-2024-07-18', task_total: 0, traces: 2, requests: 2, input_tokens: 2000, cache_read_tokens: 0, output_tokens: 1000 },
      { task: 'support-agent', model: '', task_total: 1, traces: 3, requests: 6, input_tokens: 12_000, cache_read_tokens: 6000, output_tokens: 1500 },
      { task: 'kb-reindex', model: 'mystery-model', task_total: 0, traces: 1, requests: 1, input_tokens: 1000, cache_read_tokens: 0, output_tokens: 0 },
      { task: 'kb-reindex', model: '', task_total: 1, traces: 1, requests: 1, input_tokens: 1000, cache_read_tokens: 0, output_tokens: 0 },
    ]
    const answer = energyOfTasks(rows, table)
    const support = answer.tasks.find((t) => t.task === 'support-agent')!
    const expected = 1.17 + (2 * 0.01 + 1 * 0.04)
    expect(support.energy_wh).toBeCloseTo(expected, 12)
    expect(support.wh_per_task).toBeCloseTo(expected / 3, 12)
    expect(support).toMatchObject({ requests: 6, tokens: 13_500, tasks: 3, cache_share: 0.5 })
    const mystery = answer.coefficients.find((c) => c.model === 'mystery-model')!
    expect(mystery.source).toEqual({ kind: 'class', size_class: 'large' })
    expect(answer.tasks.find((t) => t.task === 'kb-reindex')!.energy_wh).toBeCloseTo(CLASS_COEFFICIENTS.large.wh_per_1k_input, 12)
  })
})
