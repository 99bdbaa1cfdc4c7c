// Every planted story of the demo workload is present, and visible the way docs/demo.md says,
// in a small dataset (20,000 spans over a week).
import { beforeAll, describe, expect, it } from 'vitest'
import { collectDemo, generateLargeTrace, type DemoSummary } from './generate'
import type { DemoScore, DemoSpan } from './recorder'
import { HOUR, localHour, tzOffsetMinutes } from './schedule'
import { sha256Hex } from './world'

const END = '2026-11-27T05:00:00Z'
let spans: DemoSpan[]
let scores: DemoScore[]
let summary: DemoSummary

const ms = (time: unknown) => Date.parse(String(time))
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length)
const quantile = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.floor(q * (values.length - 1))]
/** Model calls that bill tokens (wrappers that repeat their steps' usage are excluded). */
const modelCalls = () => spans.filter((s) => s.kind === 'llm' && s.name.startsWith('chat ') && s.status !== 'error')
const hitRate = (calls: DemoSpan[]) => calls.reduce((a, s) => a + (s.cache_read_tokens ?? 0), 0) / Math.max(1, calls.reduce((a, s) => a + (s.input_tokens ?? 0), 0))

beforeAll(() => {
  ;({ spans, scores, summary } = collectDemo({ seed: 11, spans: 20_000, end: END }))
})

describe('planted stories', () => {
  it('tool re-entrancy: track_shipment re-enters itself through a model and format_reply, nested, some ending at the recursion limit', () => {
    const byId = new Map(spans.map((s) => [`${s.trace_id}/${s.span_id}`, s]))
    const reentries = new Map<string, number>()
    for (const span of spans) {
      if (span.tool_name !== 'track_shipment') continue
      // Walk up: a track_shipment call below another one, with a model call and format_reply between.
      const between = new Set<string>()
      for (let p = byId.get(`${span.trace_id}/${span.parent_span_id}`); p; p = byId.get(`${p.trace_id}/${p.parent_span_id}`)) {
        if (p.tool_name === 'track_shipment') {
          expect(between.has('format_reply')).toBe(true)
          expect(between.has('llm')).toBe(true)
          reentries.set(span.trace_id, (reentries.get(span.trace_id) ?? 0) + 1)
          break
        }
        between.add(p.kind === 'llm' ? 'llm' : (p.tool_name ?? p.kind!))
      }
    }
    expect(reentries.size).toBe(summary.loopTraces)
    expect(summary.loopTraces).toBeGreaterThanOrEqual(3)
    const recursionErrors = spans.filter((s) => s.error_type === 'recursion_limit' && !s.parent_span_id)
    expect(recursionErrors.length).toBe(summary.loopRecursionErrors)
    expect(recursionErrors.length).toBeGreaterThanOrEqual(1)
    expect(recursionErrors.length).toBeLessThan(summary.loopTraces)
    expect(Math.max(...reentries.values())).toBeGreaterThanOrEqual(6)
    for (const root of recursionErrors) expect(root.tenant_id).toBe('globex')
  })

  it('cache thrash: the onboarding push brings new prompt hashes and every tenant loses its cache hits', () => {
    const { onset, pushEnd, tenant } = summary.plan.cacheIncident
    const calls = modelCalls()
    const before = calls.filter((s) => ms(s.start_time) >= onset - 24 * HOUR && ms(s.start_time) < onset)
    const during = calls.filter((s) => ms(s.start_time) >= onset + HOUR / 2 && ms(s.start_time) < pushEnd)
    expect(hitRate(before)).toBeGreaterThan(0.6)
    expect(hitRate(during)).toBeLessThan(hitRate(before) / 2)
    for (const t of new Set(during.map((s) => s.tenant_id))) {
      const mine = (list: DemoSpan[]) => list.filter((s) => s.tenant_id === t)
      if (mine(during).length < 8 || mine(before).length < 8) continue
      expect(hitRate(mine(during)), `${t}`).toBeLessThan(hitRate(mine(before)))
    }
    const newPrompts = spans.filter((s) => s.system_prompt?.startsWith('Onboarding session') && ms(s.start_time) >= onset && ms(s.start_time) < pushEnd)
    expect(newPrompts.length).toBeGreaterThanOrEqual(5)
    expect(new Set(newPrompts.map((s) => s.tenant_id))).toEqual(new Set([tenant]))
    const tokens = (list: DemoSpan[]) => list.reduce((a, s) => a + (s.input_tokens ?? 0), 0)
    const share = (list: DemoSpan[]) => tokens(list.filter((s) => s.tenant_id === tenant)) / tokens(list)
    expect(share(during)).toBeGreaterThan(3 * share(before))
  })

  it('routing change: some users move to the expensive path; the paths differ in refusals and format failures', () => {
    const change = summary.plan.routingChange.at
    const roots = spans.filter((s) => !s.parent_span_id && s.route_segment && !s.eval_run_id && s.name === 'support-agent')
    const standard = (s: DemoSpan) => s.tenant_id !== 'umbrella-health' && s.tenant_id !== 'lumen-bank'
    expect(roots.filter((s) => standard(s) && ms(s.start_time) < change && s.route_segment === 'premium')).toHaveLength(0)
    expect(roots.filter((s) => standard(s) && ms(s.start_time) >= change && s.route_segment === 'premium').length).toBeGreaterThan(20)
    // Switchers as the routing view counts them: users whose routed model calls took both paths.
    const segments = new Map<string, Set<string>>()
    for (const c of spans.filter((s) => s.kind === 'llm' && s.route_segment && !s.eval_run_id && s.user_id)) segments.set(c.user_id!, (segments.get(c.user_id!) ?? new Set()).add(c.route_segment!))
    const switchers = [...segments.values()].filter((s) => s.size > 1).length
    expect(switchers).toBe(summary.switchers)
    expect(switchers).toBeGreaterThan(5)
    const calls = modelCalls().filter((s) => s.route_segment)
    const rate = (segment: string, test: (s: DemoSpan) => boolean, base: (s: DemoSpan) => boolean) => {
      const pool = calls.filter((s) => s.route_segment === segment && base(s))
      return pool.filter(test).length / pool.length
    }
    const structured = (s: DemoSpan) => s.schema_valid !== undefined
    expect(rate('economy', (s) => s.schema_valid === false, structured)).toBeGreaterThan(3 * rate('premium', (s) => s.schema_valid === false, structured))
    const anyRoot = () => true
    const refusals = (segment: string) => roots.filter((r) => r.route_segment === segment && r.refusal).length / roots.filter((r) => r.route_segment === segment).length
    expect(refusals('premium')).toBeGreaterThan(2 * refusals('economy'))
    expect(rate('premium', (s) => s.model_requested === 'claude-sonnet-4-5' || s.fallback === true, anyRoot)).toBe(1)
  })

  it('diurnal drift: peak hours are slower, overloaded more often and judged worse; evals run at night', () => {
    const calls = spans.filter((s) => s.kind === 'llm' && s.name.startsWith('chat ') && s.route_segment)
    const byHour = Array.from({ length: 24 }, () => [] as DemoSpan[])
    for (const s of calls) byHour[new Date(ms(s.start_time)).getUTCHours()].push(s)
    const ranked = byHour.map((list, hour) => ({ hour, list })).sort((a, b) => b.list.length - a.list.length)
    const peak = ranked.slice(0, 6).flatMap((h) => h.list)
    const quiet = ranked.slice(-10).flatMap((h) => h.list)
    const duration = (s: DemoSpan) => ms(s.end_time) - ms(s.start_time)
    const ok = (list: DemoSpan[]) => list.filter((s) => s.status !== 'error')
    expect(quantile(ok(peak).map(duration), 0.5)).toBeGreaterThan(1.3 * quantile(ok(quiet).map(duration), 0.5))
    expect(mean(ok(peak).map((s) => s.ttft_ms ?? 0))).toBeGreaterThan(1.3 * mean(ok(quiet).map((s) => s.ttft_ms ?? 0)))
    const overloads = (list: DemoSpan[]) => list.filter((s) => s.error_type === '429' || s.error_type === '529').length / list.length
    expect(overloads(peak)).toBeGreaterThan(2 * overloads(quiet))
    expect(spans.some((s) => s.error_type === '529') && spans.some((s) => s.error_type === '429')).toBe(true)

    const starts = new Map(spans.filter((s) => !s.parent_span_id).map((s) => [s.trace_id, new Date(ms(s.start_time)).getUTCHours()]))
    const peakHours = new Set(ranked.slice(0, 6).map((h) => h.hour))
    const quietHours = new Set(ranked.slice(-10).map((h) => h.hour))
    const judged = scores.filter((s) => s.source === 'judge')
    const judgedIn = (hours: Set<number>) => judged.filter((s) => hours.has(starts.get(s.trace_id)!)).map((s) => s.value!)
    expect(mean(judgedIn(peakHours))).toBeLessThan(mean(judgedIn(quietHours)) - 0.05)

    const evals = scores.filter((s) => s.source === 'eval')
    expect(new Set(evals.map((s) => s.run_id)).size).toBe(summary.plan.evalRuns.length)
    const ny = tzOffsetMinutes('America/New_York', ms(END))
    for (const score of evals) expect(localHour(ms(score.timestamp), ny)).toBeLessThan(4)
    const evalSpans = spans.filter((s) => s.eval_run_id)
    expect(new Set(evalSpans.map((s) => s.eval_run_id))).toEqual(new Set(evals.map((s) => s.run_id)))
    expect(mean(evals.filter((s) => s.name === 'helpfulness').map((s) => s.value!))).toBeGreaterThan(mean(judgedIn(peakHours)) + 0.05)
  })

  it('retry storm: during the storm, overloaded calls are retried again and again, linked by retry_of', () => {
    const { start, end } = summary.plan.retryStorm
    const retries = spans.filter((s) => s.retry_of && (s.attributes as Record<string, unknown>)?.['retry.reason'] === 'overloaded')
    const ids = new Set(spans.map((s) => s.span_id))
    for (const r of retries) expect(ids.has(r.retry_of!)).toBe(true)
    const inStorm = retries.filter((s) => ms(s.start_time) >= start && ms(s.start_time) < end + 5 * 60_000)
    const perMinuteStorm = inStorm.length / ((end - start) / 60_000)
    const perMinuteElsewhere = (retries.length - inStorm.length) / ((ms(END) - summary.plan.start) / 60_000)
    expect(perMinuteStorm).toBeGreaterThan(10 * perMinuteElsewhere)
    expect(Math.max(...inStorm.map((s) => s.retry_attempt ?? 0))).toBeGreaterThanOrEqual(4)
    expect(spans.some((s) => s.name === 'bulk-reclassify' && ms(s.start_time) >= start && ms(s.start_time) < end)).toBe(true)
  })

  it('structured-output retry loops: invalid outputs are retried, some give up after three attempts', () => {
    const retried = spans.filter((s) => (s.attributes as Record<string, unknown>)?.['retry.reason'] === 'schema_invalid')
    expect(retried.length).toBeGreaterThan(10)
    const byId = new Map(spans.map((s) => [s.span_id, s]))
    for (const r of retried) expect(byId.get(r.retry_of!)?.schema_valid).toBe(false)
    const gaveUp = spans.filter((s) => !s.parent_span_id && s.error_type === 'schema_validation')
    expect(gaveUp.length).toBe(summary.structuredRetryLoops)
    expect(gaveUp.length).toBeGreaterThan(0)
  })

  it('layered guardrails: regulated tenants run more layers and wait longer for them', () => {
    const groups = spans.filter((s) => s.name === 'guardrails.input')
    const duration = (s: DemoSpan) => ms(s.end_time) - ms(s.start_time)
    const regulated = groups.filter((s) => s.tenant_id === 'umbrella-health' || s.tenant_id === 'lumen-bank')
    const others = groups.filter((s) => s.tenant_id === 'northwind' || s.tenant_id === 'initech')
    expect(quantile(regulated.map(duration), 0.5)).toBeGreaterThan(1.8 * quantile(others.map(duration), 0.5))
    const layers = spans.filter((s) => s.kind === 'guardrail' && s.parent_span_id && s.name.startsWith('guard '))
    expect(new Set(layers.map((s) => s.name)).size).toBeGreaterThanOrEqual(8)
  })

  it('reranker drift: top relevance scores sink over the week while retrieval similarity does not', () => {
    const reranks = spans.filter((s) => s.kind === 'reranker')
    const top = (s: DemoSpan) => Number((s.attributes as Record<string, unknown>)['rerank.top_score'])
    const first = reranks.filter((s) => ms(s.start_time) < summary.plan.start + 86_400_000).map(top)
    const lastDay = reranks.filter((s) => ms(s.start_time) >= ms(END) - 86_400_000).map(top)
    expect(mean(first) - mean(lastDay)).toBeGreaterThan(0.15)
  })

  it('tokenizer drift: local input token counts disagree with billed ones for Japanese and Chinese text only', () => {
    const ratio = (tenant: string) => {
      const calls = modelCalls().filter((s) => s.tenant_id === tenant && s.local_input_tokens != null)
      return calls.map((s) => Math.abs(s.local_input_tokens! / s.input_tokens! - 1))
    }
    for (const tenant of ['kawasemi', 'longmen']) expect(mean(ratio(tenant))).toBeGreaterThan(0.1)
    for (const tenant of ['northwind', 'hooli', 'lumen-bank']) expect(mean(ratio(tenant))).toBeLessThan(0.01)
  })

  it('a runaway re-index job: one trace with hundreds of spans (thousands in larger datasets)', () => {
    const roots = spans.filter((s) => s.name === 'kb-reindex' && !s.parent_span_id)
    expect(roots).toHaveLength(1)
    const size = spans.filter((s) => s.trace_id === roots[0].trace_id).length
    expect(size).toBeGreaterThanOrEqual(summary.plan.runaway.spans - 10)
    expect(size).toBeLessThanOrEqual(summary.plan.runaway.spans)
  })

  it('generateLargeTrace builds one nested trace of the size asked for', () => {
    const large = generateLargeTrace({ seed: 3, spans: 10_000, end: END })
    expect(large.length).toBeGreaterThanOrEqual(9_990)
    expect(large.length).toBeLessThanOrEqual(10_000)
    expect(new Set(large.map((s) => s.trace_id)).size).toBe(1)
    const ids = new Set(large.map((s) => s.span_id))
    expect(large.filter((s) => s.parent_span_id && !ids.has(s.parent_span_id))).toHaveLength(0)
    expect(String(large.at(-1)!.end_time) <= END).toBe(true)
  })

  it('costs are list prices and cached input is part of input tokens', () => {
    for (const s of modelCalls()) {
      expect(s.cache_read_tokens! + s.cache_write_tokens!).toBeLessThanOrEqual(s.input_tokens!)
      expect(s.cost_usd).toBeGreaterThan(0)
    }
    // A claude-sonnet-4-5 call: $3 in, $15 out, $0.30 cache read, $3.75 cache write per 1M tokens.
    const call = modelCalls().find((s) => s.model_requested === 'claude-sonnet-4-5' && s.cache_read_tokens! > 0)!
    const expected = ((call.input_tokens! - call.cache_read_tokens! - call.cache_write_tokens!) * 3 + call.cache_read_tokens! * 0.3 + call.cache_write_tokens! * 3.75 + call.output_tokens! * 15) / 1e6
    expect(call.cost_usd).toBeCloseTo(expected, 7)
  })

  it('sends each system prompt as text the first time and as its hash afterwards', () => {
    const sent = new Set<string>()
    let byHash = 0
    for (const s of spans) {
      if (s.system_prompt) {
        const hash = sha256Hex(s.system_prompt)
        expect(sent.has(hash)).toBe(false)
        sent.add(hash)
      } else if (s.system_prompt_hash) {
        expect(sent.has(s.system_prompt_hash)).toBe(true)
        byHash++
      }
    }
    expect(sent.size).toBe(summary.promptHashes)
    expect(byHash).toBeGreaterThan(sent.size * 10)
    expect(new Set(spans.filter((s) => s.prompt_name === 'support-triage').map((s) => s.prompt_version))).toEqual(new Set(['12', '13']))
  })
})
