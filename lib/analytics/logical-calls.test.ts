import { describe, expect, it } from 'vitest'
import type { AttemptRow, ModelCallSumsRow } from '@/db/clickhouse/queries/analytics/logical-calls'
import { singlesOf } from './logical-calls'

const sums = (fields: Partial<ModelCallSumsRow>): ModelCallSumsRow => ({
  model: 'gpt-4o',
  schema: '',
  structured: 0,
  calls: 0,
  tokens: 0,
  reported_cost_usd: 0,
  unpriced_input_tokens: 0,
  unpriced_output_tokens: 0,
  unpriced_cache_read_tokens: 0,
  unpriced_cache_write_tokens: 0,
  ...fields,
})

const attempt = (fields: Partial<AttemptRow>): AttemptRow => ({
  trace_id: 't',
  span_id: 's',
  parent_span_id: '',
  name: 'chat',
  start_us: 0,
  end_us: 1,
  error: 0,
  error_type: '',
  schema_valid: null,
  retry_attempt: 0,
  retry_of: '',
  model: 'gpt-4o',
  session_id: '',
  user_id: '',
  input_tokens: 0,
  output_tokens: 0,
  cache_read_tokens: 0,
  cache_write_tokens: 0,
  cost_usd: null,
  schema: '',
  ...fields,
})

describe('singlesOf', () => {
  it('subtracts the candidate attempts from the sums of all model calls, by model, structure and schema', () => {
    const all = [
      sums({ calls: 10, tokens: 11_000, reported_cost_usd: 0.5, unpriced_input_tokens: 5000, unpriced_output_tokens: 500, unpriced_cache_read_tokens: 1000 }),
      sums({ structured: 1, schema: 'TicketReply', calls: 3, tokens: 3000, unpriced_input_tokens: 2700, unpriced_output_tokens: 300 }),
    ]
    const candidates = [
      attempt({ input_tokens: 1000, output_tokens: 100, cost_usd: 0.25 }),
      attempt({ input_tokens: 900, output_tokens: 100, cache_read_tokens: 400 }),
      attempt({ schema_valid: false, schema: 'TicketReply', input_tokens: 900, output_tokens: 100 }),
      attempt({ schema_valid: true, schema: 'TicketReply', input_tokens: 900, output_tokens: 100 }),
      attempt({ schema_valid: true, schema: 'TicketReply', input_tokens: 900, output_tokens: 100 }),
    ]
    const singles = singlesOf(all, candidates)
    expect(singles).toHaveLength(1)
    expect(singles[0]).toMatchObject({ model: 'gpt-4o', structured: 0, calls: 8, tokens: 11_000 - 2100, reported_cost_usd: 0.25, unpriced_input_tokens: 4100, unpriced_output_tokens: 400, unpriced_cache_read_tokens: 600 })
  })
})
