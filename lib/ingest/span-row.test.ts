import { describe, expect, it } from 'vitest'
import { compactRow, inferKind, toSpanRow } from './span-row'
import { spanInputSchema } from './span-schema'

describe('toSpanRow', () => {
  const span = spanInputSchema.parse({
    trace_id: 't',
    span_id: 's',
    name: 'chat',
    start_time: '2026-11-27T08:00:00.000000001Z',
    end_time: '2026-11-27T08:00:01.5Z',
    model_requested: 'gpt-4o',
    params: { temperature: 0.3 },
    system_prompt: 'Be brief.',
  })

  it('derives duration, kind, temperature and the prompt snapshot', () => {
    const { row, snapshot } = toSpanRow('p1', span, { maxPayloadBytes: 1 << 20 })
    expect(row.start_time).toBe('2026-11-27 08:00:00.000000001')
    expect(row.duration_ms).toBeCloseTo(1499.999999)
    expect(row.kind).toBe('llm')
    expect(row.temperature).toBe(0.3)
    expect(snapshot).toEqual({ project_id: 'p1', hash: row.system_prompt_hash, text: 'Be brief.' })
    expect(row.system_prompt_hash).toMatch(/^[0-9a-f]{64}$/)
  })

  it('compacts default-valued fields away but keeps real values, zero-valued ones included where they are not defaults', () => {
    const { row } = toSpanRow('p1', span, { maxPayloadBytes: 1 << 20 })
    const compact = compactRow(row)
    expect(compact).toMatchObject({ project_id: 'p1', trace_id: 't', kind: 'llm', model_requested: 'gpt-4o' })
    expect(compact).not.toHaveProperty('tenant_id')
    expect(compact).not.toHaveProperty('tags')
    expect(compact).not.toHaveProperty('attributes')
    expect(compact).not.toHaveProperty('local_input_tokens')
  })

  it('keeps 0 and false in Nullable columns, where they differ from the NULL default', () => {
    const zero = spanInputSchema.parse({ trace_id: 't', span_id: 's', name: 'x', start_time: '2026-11-27T08:00:00Z', cost_usd: 0, schema_valid: false, params: { temperature: 0 } })
    const compact = compactRow(toSpanRow('p', zero, { maxPayloadBytes: 1 << 20 }).row)
    expect(compact).toMatchObject({ cost_usd: 0, schema_valid: false, temperature: 0 })
  })

  it('infers the kind from the facts present', () => {
    expect(inferKind({ tool_name: 'search' })).toBe('tool')
    expect(inferKind({ model_resolved: 'x' })).toBe('llm')
    expect(inferKind({})).toBe('other')
    expect(inferKind({ kind: 'guardrail', model_requested: 'x' })).toBe('guardrail')
  })
})
