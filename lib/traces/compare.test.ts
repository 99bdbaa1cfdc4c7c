import { describe, expect, it } from 'vitest'
import type { SpanOutline } from '@/db/clickhouse/queries/traces'
import { priceLookup } from '@/lib/analytics/costs'
import { SEED_PRICES } from '@/lib/pricing/seed-prices'
import { compareTraces } from './compare'
import { buildExplorerTrace } from './explorer-model'

const prices = priceLookup(SEED_PRICES)
let clock = 0
function span(span_id: string, parent_span_id: string, kind: string, name: string, extra: Partial<SpanOutline> = {}): SpanOutline {
  const start = 1_795_766_400_000_000_000n + BigInt(clock++) * 1_000_000n
  return {
    span_id, parent_span_id, name, kind,
    start_ns: start.toString(), end_ns: (start + 5_000_000n).toString(), duration_ms: 5, status: 'ok',
    tenant_id: 'acme', user_id: 'u-1', session_id: 's-1', agent_name: kind === 'agent' ? name : '', tool_name: kind === 'tool' ? name : '',
    model_requested: kind === 'llm' ? 'gpt-4o' : '', model_resolved: '', serving_model: kind === 'llm' ? 'gpt-4o' : '',
    input_tokens: kind === 'llm' ? 100 : 0, output_tokens: kind === 'llm' ? 10 : 0, cache_read_tokens: 0, cache_write_tokens: 0,
    cost_usd: null, retry_attempt: 0, retry_of: '', schema_valid: null, prompt_name: '', prompt_version: '', temperature: null,
    input_truncated: 0, output_truncated: 0,
    ...extra,
  }
}

describe('compareTraces', () => {
  it('aligns the two trees by what each span calls, shows a missing call as a gap, and finds the first divergence', () => {
    clock = 0
    const a = buildExplorerTrace('a', [span('r', '', 'agent', 'support'), span('m1', 'r', 'llm', 'chat'), span('t1', 'r', 'tool', 'search'), span('m2', 'r', 'llm', 'chat')], false, prices)
    const b = buildExplorerTrace(
      'b',
      [span('r', '', 'agent', 'support'), span('m1', 'r', 'llm', 'chat', { model_resolved: 'gpt-4o-mini', serving_model: 'gpt-4o-mini' }), span('x', 'r', 'tool', 'refund'), span('t1', 'r', 'tool', 'search'), span('m2', 'r', 'llm', 'chat', { status: 'error' })],
      false,
      prices,
    )
    const { rows, firstDivergence } = compareTraces(a, b)
    expect(rows.map((row) => [row.depth, row.a?.span.name ?? null, row.b?.span.name ?? null])).toEqual([
      [0, 'support', 'support'],
      [1, 'chat', 'chat'],
      [1, null, 'refund'],
      [1, 'search', 'search'],
      [1, 'chat', 'chat'],
    ])
    expect(rows[1].differences.map((d) => d.field)).toContain('model')
    expect(rows[4].differences).toContainEqual({ field: 'status', a: 'ok', b: 'error' })
    // The first place the runs part: the second run was served another model on its first call.
    expect(firstDivergence).toBe(1)
  })

  it('points at the span where an error began, not at the callers it rose to', () => {
    clock = 0
    const run = (id: string, failing: boolean) =>
      buildExplorerTrace(
        id,
        [
          span('r', '', 'agent', 'support', failing ? { status: 'error' } : {}),
          span('m1', 'r', 'llm', 'chat'),
          span('t1', 'r', 'tool', 'search', failing ? { status: 'error' } : {}),
          span('k1', 't1', 'retriever', 'kb', failing ? { status: 'error' } : {}),
          span('m2', 'r', 'llm', 'chat'),
        ],
        false,
        prices,
      )
    const { rows, firstDivergence } = compareTraces(run('a', false), run('b', true))
    expect(rows[0].differences).toContainEqual({ field: 'status', a: 'ok', b: 'error' })
    expect(rows[firstDivergence].a?.span.name).toBe('kb')
  })

  it('counts a changed prompt version as a divergence', () => {
    clock = 0
    const run = (id: string, version: string) => buildExplorerTrace(id, [span('r', '', 'agent', 'support'), span('m1', 'r', 'llm', 'chat', { prompt_name: 'triage', prompt_version: version })], false, prices)
    expect(compareTraces(run('a', '12'), run('b', '13')).firstDivergence).toBe(1)
  })

  it('finds no divergence between two runs of the same shape', () => {
    clock = 0
    const make = (id: string) => buildExplorerTrace(id, [span('r', '', 'agent', 'support'), span('m1', 'r', 'llm', 'chat')], false, prices)
    expect(compareTraces(make('a'), make('b')).firstDivergence).toBe(-1)
  })
})
