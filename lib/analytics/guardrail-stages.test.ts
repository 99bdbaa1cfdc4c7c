import { describe, expect, it } from 'vitest'
import { decomposeRequest, summarizeRequests, uncoveredMs, unionOf, type RequestSpan, type RequestSpans } from './guardrail-stages'

let counter = 0
const span = (fields: Partial<RequestSpan> & Pick<RequestSpan, 'role' | 'name' | 'start' | 'end'>): RequestSpan => ({
  span_id: `s${++counter}`,
  parent_span_id: 'root',
  blocked: false,
  flagged: false,
  refusal: false,
  ...fields,
})

/** input classifier -> jailbreak filter -> model -> output moderation, back to back. */
function serialRequest(t0: number, times = { classifier: 300, jailbreak: 500, model: 1400, moderation: 400 }): RequestSpans {
  let t = t0
  const next = (role: RequestSpan['role'], name: string, ms: number, extra: Partial<RequestSpan> = {}) => {
    const s = span({ role, name, start: t, end: t + ms, ...extra })
    t += ms
    return s
  }
  const spans = [
    next('guardrail', 'input-classifier', times.classifier),
    next('guardrail', 'jailbreak-filter', times.jailbreak),
    next('llm', 'chat', times.model),
    next('moderation', 'output-moderation', times.moderation),
  ]
  return { trace_id: `t${t0}`, start: t0, end: t, spans }
}

describe('intervals', () => {
  it('unions overlapping intervals and measures what they leave free', () => {
    expect(unionOf([[5, 8], [0, 2], [1, 3], [8, 9]])).toEqual([[0, 3], [5, 9]])
    expect(uncoveredMs(0, 10, [[2, 4], [6, 7]])).toBe(7)
    expect(uncoveredMs(3, 5, [[0, 10]])).toBe(0)
    expect(uncoveredMs(0, 10, [])).toBe(10)
  })
})

describe('decomposeRequest', () => {
  it('places serial stages before and after the first model call, all of their time serial', () => {
    const d = decomposeRequest(serialRequest(0))
    expect(d.wall_ms).toBe(2600)
    expect(d.model_ms).toBe(1400)
    expect(d.model_calls).toBe(1)
    expect(d.paths).toEqual(['clean'])
    expect(d.stages.map((s) => [s.name, s.position, s.serial_ms])).toEqual([
      ['input-classifier', 'before', 300],
      ['jailbreak-filter', 'before', 500],
      ['output-moderation', 'after', 400],
    ])
    expect(d.stages[2].kind).toBe('moderation')
  })

  it('counts only the part of a parallel stage that no model call covers as serial', () => {
    const d = decomposeRequest({
      trace_id: 't',
      start: 0,
      end: 2000,
      spans: [span({ role: 'llm', name: 'chat', start: 0, end: 1500 }), span({ role: 'guardrail', name: 'streaming-moderation', start: 1000, end: 2000 })],
    })
    expect(d.stages[0]).toMatchObject({ position: 'parallel', duration_ms: 1000, serial_ms: 500 })
  })

  it('leaves guardrail groups and classifier model calls out of stages and model time', () => {
    const group = span({ role: 'guardrail', name: 'guardrails.input', start: 0, end: 700 })
    const layer = span({ role: 'guardrail', name: 'guard prompt-injection', start: 10, end: 690, parent_span_id: group.span_id })
    const classifierCall = span({ role: 'llm', name: 'chat nano', start: 20, end: 650, parent_span_id: layer.span_id })
    const wrapper = span({ role: 'llm', name: 'ai.generateText', start: 700, end: 2000 })
    const inner = span({ role: 'llm', name: 'doGenerate', start: 710, end: 1990, parent_span_id: wrapper.span_id })
    const d = decomposeRequest({ trace_id: 't', start: 0, end: 2000, spans: [group, layer, classifierCall, wrapper, inner] })
    expect(d.stages.map((s) => s.name)).toEqual(['guard prompt-injection'])
    expect(d.model_calls).toBe(1)
    expect(d.model_ms).toBe(1280)
    expect(d.stages[0].position).toBe('before')
  })

  it('tells the paths apart', () => {
    const refusal = (extra: RequestSpan[] = []) => ({
      trace_id: 't',
      start: 0,
      end: 3000,
      spans: [span({ role: 'llm', name: 'chat', start: 0, end: 1000, refusal: true }), ...extra],
    })
    expect(decomposeRequest(refusal()).paths).toEqual(['refused'])
    expect(decomposeRequest(refusal([span({ role: 'llm', name: 'chat', start: 1200, end: 2500 })])).paths).toEqual(['refused', 'reformulated'])
    const blocked = decomposeRequest({ trace_id: 't', start: 0, end: 400, spans: [span({ role: 'guardrail', name: 'jailbreak-filter', start: 0, end: 400, blocked: true })] })
    expect(blocked.paths).toEqual(['blocked'])
    expect(blocked.stages[0].flagged).toBe(true)
    // A flag counts towards the stage's block rate but lets the request go on: not blocked.
    const flagged = decomposeRequest({ trace_id: 't', start: 0, end: 400, spans: [span({ role: 'guardrail', name: 'refusal-detector', start: 0, end: 400, flagged: true })] })
    expect(flagged.paths).toEqual(['clean'])
    expect(summarizeRequests([flagged]).stages[0].block_rate).toBe(1)
    expect(blocked.stages[0].position).toBe('before')
    // A refusal reported on the agent span counts as well.
    expect(decomposeRequest({ trace_id: 't', start: 0, end: 10, spans: [span({ role: 'other', name: 'agent', start: 0, end: 10, refusal: true })] }).paths).toEqual(['refused'])
  })
})

describe('summarizeRequests', () => {
  it('recovers planted stage medians, the model time and the slow refused path', () => {
    const requests = []
    for (let i = 0; i < 200; i++) {
      const jitter = (i % 11) - 5
      requests.push(decomposeRequest(serialRequest(i * 10_000, { classifier: 300 + jitter, jailbreak: 500 + jitter, model: 1400 + 10 * jitter, moderation: 400 + jitter })))
    }
    for (let i = 0; i < 20; i++) {
      const t0 = 5_000_000 + i * 10_000
      const r = serialRequest(t0)
      const refusing = r.spans[2]
      refusing.refusal = true
      const again = span({ role: 'llm', name: 'chat', start: r.end, end: r.end + 1500 })
      requests.push(decomposeRequest({ ...r, end: r.end + 1500, spans: [...r.spans, again] }))
    }
    const summary = summarizeRequests(requests)
    expect(summary.requests.count).toBe(220)
    // The 20 reformulated requests add a second model call: the median moves by a few ms.
    expect(Math.abs(summary.requests.model_p50_ms! - 1400)).toBeLessThanOrEqual(10)
    expect(summary.stages.map((s) => [s.name, s.position, s.p50_ms, s.calls])).toEqual([
      ['input-classifier', 'before', 300, 220],
      ['jailbreak-filter', 'before', 500, 220],
      ['output-moderation', 'after', 400, 220],
    ])
    expect(summary.stages[0].serial_share).toBeGreaterThan(0.1)
    const byPath = Object.fromEntries(summary.paths.map((p) => [p.path, p]))
    expect(byPath.clean.requests).toBe(200)
    expect(byPath.reformulated.requests).toBe(20)
    expect(byPath.refused.requests).toBe(20)
    expect(byPath.reformulated.mean_model_calls).toBe(2)
    expect(byPath.reformulated.p95_ms!).toBeGreaterThan(byPath.clean.p95_ms!)
    expect(byPath.blocked).toMatchObject({ requests: 0, p50_ms: null })
  })

  it('scales counts of a sample but not its shares', () => {
    const summary = summarizeRequests([decomposeRequest(serialRequest(0)), decomposeRequest(serialRequest(10_000))], 10)
    expect(summary.requests.count).toBe(20)
    expect(summary.stages[0].calls).toBe(20)
    expect(summary.paths[0]).toMatchObject({ path: 'clean', requests: 20, share: 1 })
  })
})
