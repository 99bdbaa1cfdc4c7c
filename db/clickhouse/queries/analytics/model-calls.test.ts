import { describe, expect, it } from 'vitest'
import { servingModelOf } from './model-calls'

describe('servingModelOf (MODEL in TypeScript)', () => {
  it.each([
    ['gpt-4.1-mini', 'gpt-4.1-mini-2025-04-14', 'gpt-4.1-mini'],
    ['claude-sonnet-4', 'claude-sonnet-4-20250514', 'claude-sonnet-4'],
    ['gpt-4o', 'gpt-4o-latest', 'gpt-4o'],
    ['gpt-4o', 'gpt-4o-mini-2024-07-18', 'gpt-4o-mini-2024-07-18'],
    ['gpt-4o', '', 'gpt-4o'],
    ['', 'llama-3.1-8b', 'llama-3.1-8b'],
    ['gpt-4o', 'gpt-4o', 'gpt-4o'],
  ])('asked %s, served %s: counts as %s', (requested, resolved, expected) => {
    expect(servingModelOf({ model_requested: requested, model_resolved: resolved })).toBe(expected)
  })
})
