// The retry-loop story is in the demo data and the retries view's own rules find it as the one
// runaway of the week, with exactly its 300 attempts; ordinary retries (the retry storm included)
// raise none.
import { beforeAll, describe, expect, it } from 'vitest'
import { failureOf, type Attempt } from '@/lib/analytics/logical-calls'
import { findRunaways } from '@/lib/analytics/retries'
import { inferLogicalCalls } from '@/lib/analytics/retry-chains'
import { collectDemo } from '../generate'
import type { DemoSpan } from '../recorder'
import { planDemo } from '../plan'
import { RETRY_LOOP, retryLoopWindow } from './retry-loop'

const END = '2026-11-27T05:00:00Z'
let spans: DemoSpan[]

const micros = (time: unknown) => Date.parse(String(time)) * 1000

function toAttempt(span: DemoSpan): Attempt {
  const failure = failureOf({ error: span.status === 'error', error_type: span.error_type ?? '', schema_valid: span.schema_valid ?? null })
  return {
    trace_id: span.trace_id,
    span_id: span.span_id,
    parent_span_id: span.parent_span_id ?? '',
    name: span.name,
    start_us: micros(span.start_time),
    end_us: micros(span.end_time),
    failed: failure !== '',
    retry_attempt: span.retry_attempt ?? 0,
    retry_of: span.retry_of ?? '',
    model: span.model_requested ?? '',
    session_id: span.session_id ?? '',
    user_id: span.user_id ?? '',
    failure,
    schema_valid: span.schema_valid ?? null,
    schema: '',
    tokens: (span.input_tokens ?? 0) + (span.output_tokens ?? 0),
    cost_usd: span.cost_usd ?? 0,
  }
}

beforeAll(() => {
  ;({ spans } = collectDemo({ seed: 11, spans: 20_000, end: END }))
})

describe('retry-loop story', () => {
  it('is one runaway of exactly 300 inferred attempts over about six hours', () => {
    const calls = inferLogicalCalls(spans.filter((s) => s.kind === 'llm').map(toAttempt))
    const runaways = findRunaways(calls)
    expect(runaways).toHaveLength(1)
    const [loop] = runaways
    expect(loop).toMatchObject({ attempts: RETRY_LOOP.attempts, failed_attempts: RETRY_LOOP.attempts, found_by: 'inferred', traces: 1 })
    expect(loop.duration_ms).toBeGreaterThan(5 * 3_600_000)
    expect(loop.duration_ms).toBeLessThan(7 * 3_600_000)
    // 40k tokens billed 300 times, all but 1,600 of them at the cache-read price after the first.
    expect(loop.cost_usd).toBeGreaterThan(7)
    expect(loop.cost_usd).toBeLessThan(8)
    const story = spans.filter((s) => s.trace_id === loop.trace_id)
    expect(story.every((s) => s.tenant_id === RETRY_LOOP.tenant)).toBe(true)
    // Ordinary retries are there too, and explicitly marked.
    expect(calls.filter((c) => c.attempts.length > 1 && c.rules.includes('explicit')).length).toBeGreaterThan(10)
  })
})

describe('retry-loop placement', () => {
  it('keeps off the cache incident and out of the last day, for weeks ending at any hour', () => {
    const HOUR = 3_600_000
    for (let end = Date.parse('2026-11-30T00:00:00Z'); end < Date.parse('2026-12-14T00:00:00Z'); end += 7 * HOUR) {
      const plan = planDemo({ seed: 7, spans: 40_000, days: 7, end: new Date(end).toISOString() })
      const { at } = retryLoopWindow(plan)
      const loopEnd = at + 6.5 * HOUR
      const label = new Date(end).toISOString()
      // A day clear of the incident on either side.
      expect(loopEnd < plan.cacheIncident.onset - 12 * HOUR || at > plan.cacheIncident.recovered + 12 * HOUR, label).toBe(true)
      expect(plan.end - loopEnd, label).toBeGreaterThan(24 * HOUR)
    }
  })
})
