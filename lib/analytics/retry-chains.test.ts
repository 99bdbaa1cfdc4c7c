import { describe, expect, it } from 'vitest'
import type { Attempt } from './logical-calls'
import { findRunaways, retryAccounting, RUNAWAY_RULE } from './retries'
import { foundBy, inferLogicalCalls } from './retry-chains'
import { quantileOfDepths, structuredOutputStats } from './structured-output'

const S = 1_000_000 // one second in microseconds
let ids = 0

function attempt(fields: Partial<Attempt> & { at: number; ms?: number }): Attempt {
  const { at, ms = 500, ...rest } = fields
  const failure = rest.failure ?? ''
  return {
    trace_id: 't1',
    span_id: `s${++ids}`,
    parent_span_id: 'root',
    name: 'chat',
    start_us: at * S,
    end_us: at * S + ms * 1000,
    failed: failure !== '',
    retry_attempt: 0,
    retry_of: '',
    model: 'gpt-4o',
    session_id: '',
    user_id: '',
    failure,
    schema_valid: null,
    schema: '',
    tokens: 1000,
    cost_usd: 0.01,
    ...rest,
  }
}

describe('inferLogicalCalls', () => {
  it('chains siblings that start after an earlier sibling ended in error', () => {
    const a = attempt({ at: 0, failure: '429' })
    const b = attempt({ at: 2, failure: '429' })
    const c = attempt({ at: 5 })
    const d = attempt({ at: 9 }) // after a success: a new logical call
    const calls = inferLogicalCalls([d, c, b, a])
    expect(calls.map((call) => call.attempts.map((x) => x.span_id))).toEqual([[a.span_id, b.span_id, c.span_id], [d.span_id]])
    expect(calls[0].rules).toEqual(['first', 'inferred', 'inferred'])
    expect(foundBy(calls[0])).toBe('inferred')
    expect(foundBy(calls[1])).toBe('none')
  })

  it('does not chain a sibling that started before the failure ended, another parent or another name', () => {
    const a = attempt({ at: 0, ms: 3000, failure: '500' })
    const overlapping = attempt({ at: 1 })
    const otherParent = attempt({ at: 4, parent_span_id: 'other' })
    const otherName = attempt({ at: 4, name: 'embed' })
    const calls = inferLogicalCalls([a, overlapping, otherParent, otherName])
    expect(calls).toHaveLength(4)
  })

  it('follows explicit retry_of links, also across traces and to the first attempt', () => {
    const first = attempt({ at: 0, failure: 'timeout' })
    const second = attempt({ at: 10, trace_id: 't2', parent_span_id: 'x', retry_attempt: 1, retry_of: first.span_id, failure: 'timeout' })
    const third = attempt({ at: 20, trace_id: 't3', parent_span_id: 'y', retry_attempt: 2, retry_of: first.span_id })
    const calls = inferLogicalCalls([third, first, second])
    expect(calls).toHaveLength(1)
    expect(calls[0].attempts.map((x) => x.trace_id)).toEqual(['t1', 't2', 't3'])
    expect(foundBy(calls[0])).toBe('explicit')
  })

  it('links a numbered attempt without retry_of to its latest sibling, even after a success', () => {
    const a = attempt({ at: 0, schema_valid: true })
    const b = attempt({ at: 3, retry_attempt: 1 })
    expect(inferLogicalCalls([a, b])).toHaveLength(1)
  })

  it('treats an invalid structured output as a failure that a sibling retries', () => {
    const a = attempt({ at: 0, failure: 'schema_invalid', schema_valid: false })
    const b = attempt({ at: 2, schema_valid: true })
    const calls = inferLogicalCalls([a, b])
    expect(calls).toHaveLength(1)
  })

  it('keeps parallel failed calls apart: each retry continues the failure that ended last before it', () => {
    const a1 = attempt({ at: 0, ms: 1000, failure: '429' })
    const b1 = attempt({ at: 0.1, ms: 1500, failure: '429' })
    const b2 = attempt({ at: 2 })
    const a2 = attempt({ at: 2.5 })
    const calls = inferLogicalCalls([a1, b1, a2, b2])
    expect(calls.map((c) => c.attempts.map((x) => x.span_id)).sort()).toEqual([[a1.span_id, a2.span_id], [b1.span_id, b2.span_id]].sort())
  })
})

describe('retryAccounting', () => {
  it('counts logical calls, retry cost, eventual success per error class and runaways', () => {
    const attempts: Attempt[] = []
    // 10 calls: first attempt 429, retried once, 8 succeed (2 fail again and give up).
    for (let i = 0; i < 10; i++) {
      attempts.push(attempt({ at: i * 100, trace_id: `r${i}`, failure: '429', cost_usd: 0 }))
      attempts.push(attempt({ at: i * 100 + 2, trace_id: `r${i}`, failure: i < 2 ? '429' : '', cost_usd: 0.02, tokens: 500 }))
    }
    // A 300-attempt loop in one trace, every 72 s for six hours.
    for (let i = 0; i < 300; i++) attempts.push(attempt({ at: 10_000 + i * 72, trace_id: 'loop', parent_span_id: 'agent', name: 'replay tool chain', failure: i < 299 ? 'tool_error' : '', cost_usd: 0.1, tokens: 40_000 }))
    const calls = inferLogicalCalls(attempts)
    const answer = retryAccounting(calls, [{ model: 'gpt-4o', schema: '', structured: false, calls: 90, tokens: 9000, cost_usd: 0.9 }])
    expect(answer.totals).toMatchObject({ logical_calls: 90 + 10 + 1, attempts: 90 + 20 + 300, retried_calls: 11 })
    expect(answer.totals.retry_cost_usd).toBeCloseTo(10 * 0.02 + 299 * 0.1, 10)
    expect(answer.totals.retry_tokens).toBe(10 * 500 + 299 * 40_000)
    const e429 = answer.by_error.find((e) => e.error_type === '429')!
    expect(e429).toMatchObject({ attempts: 20, retried_calls: 10, eventual_success_rate: 0.8 })
    expect(answer.runaways).toHaveLength(1)
    expect(answer.runaways[0]).toMatchObject({ trace_id: 'loop', name: 'replay tool chain', attempts: 300, duration_ms: (299 * 72 + 0.5) * 1000, tokens: 300 * 40_000, found_by: 'inferred', traces: 1 })
    expect(answer.runaways[0].cost_usd).toBeCloseTo(30, 10)
  })

  it('merges a loop that runs across many traces of one session into one runaway', () => {
    const attempts: Attempt[] = []
    for (let run = 0; run < 30; run++) {
      for (let i = 0; i < 3; i++) attempts.push(attempt({ at: run * 600 + i * 5, trace_id: `run${run}`, session_id: 'ses-1', failure: '503' }))
    }
    const runaways = findRunaways(inferLogicalCalls(attempts))
    expect(runaways).toHaveLength(1)
    expect(runaways[0]).toMatchObject({ attempts: 90, traces: 30 })
  })

  it('raises no runaway for a quiet week of ordinary 429 retries, however many share a session', () => {
    const attempts: Attempt[] = []
    // A busy service session: a 429 retried every few minutes for a week, each one served at the
    // first or second retry.
    for (let i = 0; i < 3000; i++) {
      const at = i * 200
      attempts.push(attempt({ at, trace_id: `q${i}`, session_id: 'svc', failure: '429' }))
      if (i % 5 === 0) attempts.push(attempt({ at: at + 2, trace_id: `q${i}`, session_id: 'svc', failure: '429' }))
      attempts.push(attempt({ at: at + 5, trace_id: `q${i}`, session_id: 'svc' }))
    }
    expect(findRunaways(inferLogicalCalls(attempts))).toEqual([])
  })

  it('needs the minimum number of attempts', () => {
    const attempts = Array.from({ length: RUNAWAY_RULE.minAttempts - 1 }, (_, i) => attempt({ at: i * 10, failure: '500' }))
    expect(findRunaways(inferLogicalCalls(attempts))).toEqual([])
    attempts.push(attempt({ at: 1000, failure: '500' }))
    expect(findRunaways(inferLogicalCalls(attempts))).toHaveLength(1)
  })
})

describe('structured-output loops', () => {
  it('gives first-try and eventual validity, loop depths and the loop cost share', () => {
    const attempts: Attempt[] = []
    // 20 objects: 17 valid first, 2 valid at the second attempt, 1 invalid three times.
    for (let i = 0; i < 20; i++) {
      const results = i < 17 ? [true] : i < 19 ? [false, true] : [false, false, false]
      results.forEach((valid, n) => attempts.push(attempt({ at: i * 100 + n * 3, trace_id: `o${i}`, schema_valid: valid, failure: valid ? '' : 'schema_invalid', schema: 'TicketReply', cost_usd: 0.01 })))
    }
    const answer = structuredOutputStats(inferLogicalCalls(attempts), [{ model: 'gpt-4o', schema: 'TicketReply', structured: true, calls: 80, tokens: 80_000, cost_usd: 0.8 }])
    expect(answer.overall.objects).toBe(100)
    expect(answer.overall.first_try_valid_rate).toBe(0.97)
    expect(answer.overall.eventual_valid_rate).toBe(0.99)
    expect(answer.depth).toEqual([
      { attempts: 1, objects: 97, valid: 97 },
      { attempts: 2, objects: 2, valid: 2 },
      { attempts: 3, objects: 1, valid: 0 },
    ])
    expect(answer.overall.mean_attempts).toBeCloseTo(1.04, 10)
    expect(answer.overall.attempts_p95).toBe(1)
    // Total cost 0.8 + 17*0.01 + 2*0.02 + 0.03 = 1.04; loop cost: 2*0.01 + 0.02 = 0.04.
    expect(answer.overall.loop_cost_share).toBeCloseTo(0.04 / 1.04, 10)
    expect(answer.overall.cost_per_valid_object_usd).toBeCloseTo(1.04 / 99, 10)
    expect(answer.by_schema.map((s) => s.schema)).toEqual(['TicketReply'])
  })

  it('takes the p95 depth exactly from the histogram', () => {
    expect(quantileOfDepths([{ attempts: 1, objects: 94, valid: 94 }, { attempts: 3, objects: 6, valid: 6 }], 0.95)).toBe(3)
    expect(quantileOfDepths([{ attempts: 1, objects: 95, valid: 95 }, { attempts: 3, objects: 5, valid: 5 }], 0.95)).toBe(1)
    expect(quantileOfDepths([], 0.95)).toBeNull()
  })
})
