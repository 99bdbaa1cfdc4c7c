import { describe, expect, it } from 'vitest'
import { spanInputSchema } from '@/lib/ingest/span-schema'
import { scoreInputSchema } from '@/lib/ingest/score-schema'
import { collectDemo, generateDemo } from './generate'

const END = '2026-11-27T05:00:00Z'
const small = collectDemo({ seed: 11, spans: 20_000, end: END })
/** Generating and checking thousands of spans takes seconds, more on a loaded machine. */
const GENERATES = { timeout: 60_000 }

describe('generateDemo: determinism', GENERATES, () => {
  it('yields the same data for the same options', () => {
    const again = collectDemo({ seed: 11, spans: 20_000, end: END })
    expect(JSON.stringify(again.spans)).toBe(JSON.stringify(small.spans))
    expect(JSON.stringify(again.scores)).toBe(JSON.stringify(small.scores))
  })

  it('yields different data for another seed', () => {
    const other = collectDemo({ seed: 12, spans: 5_000, end: END })
    const ids = new Set(small.spans.map((s) => s.trace_id))
    expect(other.spans.some((s) => ids.has(s.trace_id))).toBe(false)
  })

  it('lands near the requested number of spans, in batches of whole traces', () => {
    expect(Math.abs(small.spans.length - 20_000) / 20_000).toBeLessThan(0.05)
    const generator = generateDemo({ seed: 11, spans: 5_000, end: END, batchSpans: 500 })
    for (let next = generator.next(); !next.done; next = generator.next()) {
      const traces = new Set(next.value.spans.map((s) => s.trace_id))
      expect(traces.size).toBe(next.value.traces)
    }
  })
})

describe('generateDemo: shape', GENERATES, () => {
  it('produces spans and scores the ingest API accepts', () => {
    for (const span of small.spans) {
      const parsed = spanInputSchema.safeParse(span)
      if (!parsed.success) throw new Error(`${JSON.stringify(span).slice(0, 300)}: ${parsed.error.message}`)
    }
    for (const score of small.scores) expect(scoreInputSchema.safeParse(score).success).toBe(true)
  })

  it('nests every span inside an existing parent of the same trace, in time', () => {
    const byId = new Map(small.spans.map((s) => [`${s.trace_id}/${s.span_id}`, s]))
    expect(byId.size).toBe(small.spans.length)
    for (const span of small.spans) {
      if (!span.parent_span_id) continue
      const parent = byId.get(`${span.trace_id}/${span.parent_span_id}`)
      expect(parent, `parent of ${span.name}`).toBeDefined()
      expect(String(span.start_time) >= String(parent!.start_time)).toBe(true)
      expect(String(span.end_time) <= String(parent!.end_time)).toBe(true)
    }
  })

  it('emits traces in start order, all inside the range', () => {
    const roots = small.spans.filter((s) => !s.parent_span_id)
    const start = new Date(Date.parse(END) - 7 * 86_400_000).toISOString()
    for (let i = 1; i < roots.length; i++) expect(String(roots[i].start_time) >= String(roots[i - 1].start_time)).toBe(true)
    for (const span of small.spans) {
      expect(String(span.start_time) >= start).toBe(true)
      expect(String(span.end_time) <= END).toBe(true)
    }
  })
})
