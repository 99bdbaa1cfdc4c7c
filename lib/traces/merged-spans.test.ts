import { describe, expect, it } from 'vitest'
import type { StoredPart } from '@/db/clickhouse/queries/span-parts'
import type { SpanRecord } from '@/db/clickhouse/queries/spans-select'
import { toSpanRow } from '@/lib/ingest/span-row'
import { spanInputSchema } from '@/lib/ingest/span-schema'
import { mergeSpanParts } from './merged-spans'

const TRACE = 'trace-1'
const T0 = 1_764_000_000_000_000_000n

function part(span_id: string, source: string, offsetMs: number, fields: Record<string, unknown>, ingested_at = '2026-12-01T00:00:01.000000Z', part_id = `${span_id}-${offsetMs}`): StoredPart {
  return { trace_id: TRACE, span_id, source, part_id, time_ns: (T0 + BigInt(offsetMs) * 1_000_000n).toString(), seq: String(offsetMs), fields: JSON.stringify({ trace_id: TRACE, span_id, ...fields }), ingested_at }
}

function stored(span: Record<string, unknown>, ingested_at = '2026-12-01T00:00:00.000000Z'): SpanRecord {
  const parsed = spanInputSchema.parse({ trace_id: TRACE, start_time: T0.toString(), ...span })
  const { row } = toSpanRow('p1', parsed, { maxPayloadBytes: 1 << 20 })
  const { project_id: _p, start_time: _s, end_time: _e, temperature: _t, ...rest } = row
  return { ...rest, start_ns: parsed.start_time.toString(), end_ns: (parsed.end_time ?? parsed.start_time).toString(), ingested_at }
}

describe('mergeSpanParts', () => {
  it('fills a span without payloads from its log records and lists them as events', () => {
    const span = stored({ span_id: 's1', name: 'chat', kind: 'llm', input_tokens: 9 })
    const logs = [
      part('s1', 'log', 1, { events: [{ name: 'gen_ai.user.message', time: (T0 + 1n).toString(), attributes: { body: { content: 'Hi' } } }] }),
      part('s1', 'log', 2, { events: [{ name: 'gen_ai.choice', time: (T0 + 2n).toString(), attributes: { body: { message: { content: 'Hello' } } } }] }),
    ]
    const [merged] = mergeSpanParts('p1', TRACE, [span], logs)
    expect(JSON.parse(merged.input)).toEqual([{ role: 'user', content: 'Hi' }])
    expect(JSON.parse(merged.output)).toEqual([{ role: 'assistant', content: 'Hello' }])
    expect(JSON.parse(merged.events).map((e: { name: string }) => e.name)).toEqual(['gen_ai.user.message', 'gen_ai.choice'])
    expect(merged.input_tokens).toBe(9)
  })

  it('keeps a payload the span already has', () => {
    const span = stored({ span_id: 's1', name: 'chat', input: 'own input' })
    const [merged] = mergeSpanParts('p1', TRACE, [span], [part('s1', 'log', 1, { events: [{ name: 'gen_ai.user.message', attributes: { body: 'other' } }] })])
    expect(merged.input).toBe('own input')
  })

  it('folds Langfuse updates field by field, newest event first, and shows spans known only from parts', () => {
    const parts = [
      part('g1', 'langfuse', 0, { name: 'answer', kind: 'llm', start_time: T0.toString(), model_requested: 'gpt-4o', input: '"q"' }),
      part('g1', 'langfuse', 900, { end_time: (T0 + 900_000_000n).toString(), output: '"a"', input_tokens: 10, attributes: { 'langfuse.level': 'DEFAULT' } }),
      // An older event that arrived last does not override a newer one.
      part('g1', 'langfuse', -5, { model_requested: 'stale' }, '2026-12-01T00:00:09.000000Z'),
    ]
    const [merged] = mergeSpanParts('p1', TRACE, [], parts)
    expect(merged).toMatchObject({ span_id: 'g1', name: 'answer', kind: 'llm', model_requested: 'gpt-4o', output: '"a"', input_tokens: 10, duration_ms: 900 })
  })

  it('keeps the first start time: trace.update() re-sends trace-create with the time of the update', () => {
    const parts = [
      part('t1', 'langfuse', 0, { name: 'chat', kind: 'chain', start_time: T0.toString(), end_time: T0.toString() }),
      part('t1', 'langfuse', 700, { start_time: (T0 + 700_000_000n).toString(), end_time: (T0 + 700_000_000n).toString(), output: '"done"' }),
    ]
    const [merged] = mergeSpanParts('p1', TRACE, [], parts)
    expect(merged).toMatchObject({ start_ns: T0.toString(), end_ns: (T0 + 700_000_000n).toString(), output: '"done"', duration_ms: 700 })
    const written = stored({ span_id: 't1', name: 'chat', kind: 'chain' })
    const [late] = mergeSpanParts('p1', TRACE, [written], [part('t1', 'langfuse', 900, { start_time: (T0 + 900_000_000n).toString(), kind: 'llm' }, '2026-12-01T00:00:09.000000Z')])
    expect(late).toMatchObject({ start_ns: T0.toString(), kind: 'chain' })
  })

  it('applies only updates after the promoted mark to a written span', () => {
    const span = stored({ span_id: 'g1', name: 'answer', kind: 'llm', output: 'first', input_tokens: 10 }, '2026-12-01T00:00:05.000000Z')
    const parts = [
      part('g1', 'langfuse', 0, { output: 'first', input_tokens: 10 }, '2026-12-01T00:00:01.000000Z'),
      { ...part('g1', 'promoted', 0, {}, '2026-12-01T00:00:05.000000Z'), part_id: 'through:2026-12-01T00:00:01.000000Z' },
      part('g1', 'langfuse', 2000, { output: 'edited' }, '2026-12-01T00:00:07.000000Z'),
    ]
    const merged = mergeSpanParts('p1', TRACE, [span], parts)
    expect(merged).toHaveLength(1)
    expect(merged[0]).toMatchObject({ output: 'edited', input_tokens: 10, name: 'answer' })
  })

  it('applies a late update to a span read with what reads derive (its serving model)', () => {
    // Trace reads return each stored span with its serving model, which is not a field of a span.
    const span = { ...stored({ span_id: 'g2', name: 'answer', kind: 'llm', output: 'first', model_requested: 'gpt-4o' }, '2026-12-01T00:00:05.000000Z'), serving_model: 'gpt-4o' }
    const merged = mergeSpanParts('p1', TRACE, [span], [part('g2', 'langfuse', 2000, { output: 'edited' }, '2026-12-01T00:00:07.000000Z')])
    expect(merged[0]).toMatchObject({ output: 'edited', name: 'answer', model_requested: 'gpt-4o' })
  })

  it('shows log records whose span never arrived as a span of their own', () => {
    const merged = mergeSpanParts('p1', TRACE, [], [part('s9', 'log', 3, { events: [{ name: 'gen_ai.user.message', time: (T0 + 3_000_000n).toString(), attributes: { body: { content: 'lost' } } }] })])
    expect(merged[0]).toMatchObject({ span_id: 's9', name: 'gen_ai.user.message', kind: 'other' })
    expect(JSON.parse(merged[0].input)).toEqual([{ role: 'user', content: 'lost' }])
  })
})
