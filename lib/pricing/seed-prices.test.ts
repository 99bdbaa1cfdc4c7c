import { describe, expect, it } from 'vitest'
import { callCost, findPrice } from './seed-prices'

describe('findPrice', () => {
  it('matches dated snapshots by the longest prefix', () => {
    expect(findPrice('gpt-4o-2024-08-06')?.model).toBe('gpt-4o')
    expect(findPrice('gpt-4o-mini-2024-07-18')?.model).toBe('gpt-4o-mini')
    expect(findPrice('claude-sonnet-4-5-20250929')?.model).toBe('claude-sonnet-4-5')
    expect(findPrice('openai/gpt-4.1')?.model).toBe('gpt-4.1')
    expect(findPrice('llama-3')).toBeUndefined()
  })
})

describe('callCost', () => {
  it('bills cached input at the cache-read price', () => {
    const price = findPrice('claude-sonnet-4-5')!
    // 10,000 input of which 8,000 cached: 2,000 x $3 + 8,000 x $0.30 + 500 out x $15 per 1M
    expect(callCost(price, { input_tokens: 10_000, output_tokens: 500, cache_read_tokens: 8_000 })).toBeCloseTo(0.006 + 0.0024 + 0.0075)
  })
})
