// Where the time goes, end to end: planted traces go in through the ingest API and the three
// views answer with the planted facts over HTTP - guardrail stage medians and the slow refused
// path, one reranker swap at its time with before/after numbers, and a retrieval tool that
// starts timing out at a known minute named as the first suspect - for the caller's project only.
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { Rng } from '@/lib/demo/prng'
import { createProject, type FlightlineClient } from '../harness'

const baseUrl = inject('baseUrl')
const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
const iso = (ms: number) => new Date(ms).toISOString()

type Span = Record<string, unknown>

async function send(client: FlightlineClient, spans: Span[]) {
  for (let i = 0; i < spans.length; i += 2000) {
    const response = await client.sendSpans(spans.slice(i, i + 2000))
    expect(response.status, JSON.stringify(response.json)).toBe(200)
  }
}

const get = (client: FlightlineClient, view: string, query: Record<string, string>) => client.request('GET', `/api/v1/analytics/${view}?${new URLSearchParams(query)}`)

/** Builds one trace's spans back to back from `t`. */
class TraceBuilder {
  readonly spans: Span[] = []
  private n = 0
  constructor(
    readonly traceId: string,
    public t: number,
    private readonly root = `${traceId.slice(0, 8)}root`,
  ) {}
  span(name: string, kind: string, ms: number, fields: Span = {}, parent = this.root): string {
    const id = `${this.traceId.slice(0, 10)}${(++this.n).toString(16).padStart(6, '0')}`
    this.spans.push({ trace_id: this.traceId, span_id: id, parent_span_id: parent, name, kind, start_time: iso(this.t), end_time: iso(this.t + ms), ...fields })
    this.t += ms
    return id
  }
  finish(start: number, fields: Span = {}): Span[] {
    this.spans.unshift({ trace_id: this.traceId, span_id: this.root, name: 'support-agent', kind: 'agent', start_time: iso(start), end_time: iso(this.t + 5), ...fields })
    return this.spans
  }
}

const weekEnd = Math.floor(Date.now() / HOUR) * HOUR - 6 * HOUR
const weekStart = weekEnd - 7 * DAY

describe('guardrail latency tax', () => {
  const PLANTED = { classifier: 250, jailbreak: 450, model: 1400, moderation: 350 }
  let client: FlightlineClient
  let other: FlightlineClient

  beforeAll(async () => {
    ;({ client } = await createProject(baseUrl, 'guardrails'))
    ;({ client: other } = await createProject(baseUrl, 'guardrails-other'))
    const rng = new Rng(13)
    const spans: Span[] = []
    // A week: the input classifier and jailbreak filter run before a 1.4 s model call and output
    // moderation after it, one after another. 1 request in 10 is safety-adjacent: the model
    // refuses, a refusal detector runs and the prompt is reformulated and answered again; 1 in 40
    // is blocked by the jailbreak filter.
    for (let i = 0; i < 480; i++) {
      const start = weekStart + (i / 480) * 7 * DAY + rng.range(0, 10 * MINUTE)
      const b = new TraceBuilder(rng.hex(32), start)
      const ms = (median: number) => rng.logNormal(median, 0.15)
      const refused = i % 10 === 3
      const blocked = i % 40 === 7
      b.span('input-classifier', 'guardrail', ms(PLANTED.classifier), { attributes: { 'guardrail.action': 'pass' } })
      b.span('jailbreak-filter', 'guardrail', ms(PLANTED.jailbreak), { attributes: { 'guardrail.action': blocked ? 'block' : 'pass' } })
      if (!blocked) {
        b.t += 5
        b.span('chat gpt-4.1', 'llm', ms(PLANTED.model), { model_requested: 'gpt-4.1', input_tokens: 800, output_tokens: 120, ...(refused ? { refusal: true, finish_reason: 'refusal' } : { finish_reason: 'stop' }) })
        if (refused) {
          b.span('refusal-detector', 'guardrail', ms(300), { attributes: { 'guardrail.action': 'flag' } })
          b.span('chat gpt-4.1', 'llm', ms(PLANTED.model), { model_requested: 'gpt-4.1', input_tokens: 900, output_tokens: 150, finish_reason: 'stop' })
        }
        b.t += 5
        b.span('output moderation', 'other', ms(PLANTED.moderation), { model_requested: 'omni-moderation-latest' })
      }
      spans.push(...b.finish(start))
    }
    await send(client, spans)
  })

  it('recovers each stage median, positions and the slowest path', async () => {
    const response = await get(client, 'guardrails', { from: iso(weekStart), to: iso(weekEnd + HOUR) })
    expect(response.status, JSON.stringify(response.json)).toBe(200)
    const body = response.json as {
      requests: { count: number; p50_ms: number; p95_ms: number; model_p50_ms: number; model_p95_ms: number }
      stages: Array<{ name: string; kind: string; position: string; calls: number; p50_ms: number; p95_ms: number; serial_share: number; block_rate: number }>
      paths: Array<{ path: string; requests: number; share: number; p50_ms: number | null; p95_ms: number | null; mean_model_calls: number | null; mean_guardrail_calls: number | null }>
    }
    expect(Object.keys(body).sort()).toEqual(['paths', 'requests', 'stages'])
    expect(body.requests.count).toBe(480)
    expect(Math.abs(body.requests.model_p50_ms - PLANTED.model) / PLANTED.model).toBeLessThan(0.1)
    expect(body.requests.p50_ms).toBeGreaterThan(body.requests.model_p50_ms + PLANTED.classifier + PLANTED.jailbreak)
    const stage = Object.fromEntries(body.stages.map((s) => [s.name, s]))
    for (const [name, planted] of [['input-classifier', PLANTED.classifier], ['jailbreak-filter', PLANTED.jailbreak], ['output moderation', PLANTED.moderation]] as const) {
      expect(Math.abs(stage[name].p50_ms - planted) / planted, name).toBeLessThan(0.1)
      expect(stage[name].serial_share, name).toBeGreaterThan(0.05)
    }
    expect(stage['input-classifier']).toMatchObject({ kind: 'guardrail', position: 'before', calls: 480 })
    expect(stage['output moderation']).toMatchObject({ kind: 'moderation', position: 'after' })
    expect(stage['jailbreak-filter'].block_rate).toBeCloseTo(12 / 480, 5)
    expect(stage['refusal-detector']).toMatchObject({ position: 'after', block_rate: 1, calls: 48 })
    expect(Object.keys(body.stages[0]).sort()).toEqual(['block_rate', 'calls', 'kind', 'name', 'p50_ms', 'p95_ms', 'position', 'serial_share'])
    // The waterfall order: before the model, then after it.
    expect(body.stages.map((s) => s.name).slice(0, 2)).toEqual(['input-classifier', 'jailbreak-filter'])

    const path = Object.fromEntries(body.paths.map((p) => [p.path, p]))
    expect(path.refused.requests).toBe(48)
    expect(path.reformulated.requests).toBe(48)
    expect(path.blocked.requests).toBe(12)
    expect(path.clean.requests).toBe(420)
    expect(path.refused.mean_model_calls).toBe(2)
    for (const other of ['clean', 'blocked']) expect(path.refused.p95_ms!, other).toBeGreaterThan(path[other].p95_ms! * 1.3)
  })

  it('answers 400 naming the parameter and keeps projects apart', async () => {
    const bad = await get(client, 'guardrails', { from: 'yesterday' })
    expect(bad.status).toBe(400)
    expect(JSON.stringify(bad.json)).toMatch(/from/)
    const unknown = await get(client, 'guardrails', { bucket: '60' })
    expect(unknown.status).toBe(400)
    expect(JSON.stringify(unknown.json)).toMatch(/bucket/)
    const empty = await get(other, 'guardrails', { from: iso(weekStart), to: iso(weekEnd + HOUR) })
    expect(empty.status).toBe(200)
    expect(empty.json).toMatchObject({ requests: { count: 0, p50_ms: null }, stages: [] })
  })
})

describe('the silent reranker', () => {
  const SWAP = weekStart + 3.5 * DAY + 17 * MINUTE
  let client: FlightlineClient

  beforeAll(async () => {
    ;({ client } = await createProject(baseUrl, 'rerankers'))
    const rng = new Rng(21)
    const spans: Span[] = []
    const scores: Array<Record<string, unknown>> = []
    // 30 requests an hour all week: a retriever returns 10 documents, the reranker keeps 5. Until
    // the swap rerank-v3 mostly agrees with the retriever, with spread-out scores; after it
    // rerank-lite picks from deeper in the list, with scores squeezed around 0.5.
    for (let i = 0; i < 7 * 24 * 30; i++) {
      const start = weekStart + i * 2 * MINUTE + rng.range(0, MINUTE)
      const lite = start >= SWAP
      const b = new TraceBuilder(rng.hex(32), start)
      const docs = Array.from({ length: 10 }, (_, k) => ({ id: `doc-${rng.int(1, 99999)}`, score: Math.round((0.9 - k * 0.04) * 1000) / 1000 }))
      const pool = lite ? [0, 2, 4, 6, 7, 8, 9, 1, 3, 5] : [0, 1, 2, 3, 5, 4, 6, 7, 8, 9]
      const picked = pool.slice(0, 5).map((k) => docs[k])
      const relevance = picked.map((_, k) => (lite ? 0.55 - k * 0.01 + rng.normal(0, 0.01) : 0.92 - k * 0.12 + rng.normal(0, 0.03)))
      const openInference = i % 2 === 0
      if (openInference) {
        const attributes: Record<string, string | number> = {}
        docs.forEach((d, k) => Object.assign(attributes, { [`retrieval.documents.${k}.document.id`]: d.id, [`retrieval.documents.${k}.document.score`]: d.score }))
        b.span('kb.search', 'retriever', rng.logNormal(45, 0.2), { attributes })
        const rerank: Record<string, string | number> = { 'reranker.model_name': lite ? 'rerank-lite' : 'rerank-v3', 'reranker.top_k': 5 }
        picked.forEach((d, k) => Object.assign(rerank, { [`reranker.output_documents.${k}.document.id`]: d.id, [`reranker.output_documents.${k}.document.score`]: relevance[k] }))
        b.span('rerank', 'reranker', rng.logNormal(120, 0.2), { attributes: rerank })
      } else {
        b.span('kb.search', 'retriever', rng.logNormal(45, 0.2), { output: docs })
        b.span('rerank', 'reranker', rng.logNormal(120, 0.2), { model_requested: lite ? 'rerank-lite' : 'rerank-v3', output: picked.map((d, k) => ({ id: d.id, relevance_score: relevance[k] })) })
      }
      b.span('chat gpt-4.1', 'llm', rng.logNormal(1400, 0.2), { model_requested: 'gpt-4.1', input_tokens: 900, output_tokens: 100 })
      spans.push(...b.finish(start))
      if (i % 3 === 0) scores.push({ trace_id: b.traceId, name: 'helpfulness', value: Math.min(1, Math.max(0, (lite ? 0.76 : 0.8) + rng.normal(0, 0.05))), timestamp: iso(b.t + MINUTE) })
    }
    await send(client, spans)
    const response = await client.request('POST', '/api/v1/scores', { scores })
    expect(response.status, JSON.stringify(response.json)).toBe(200)
  })

  it('reports the swap as one significant change at its time, with before/after numbers', async () => {
    const response = await get(client, 'rerankers', { from: iso(weekStart), to: iso(weekEnd), bucket: '3600', score_name: 'helpfulness' })
    expect(response.status, JSON.stringify(response.json)).toBe(200)
    const body = response.json as {
      rerankers: Array<Record<string, number | string>>
      timeline: Array<{ t: string; model: string; calls: number; score_p50: number; top_k_overlap: number; answer_score_mean: number | null }>
      changes: Array<Record<string, number | string | boolean>>
    }
    expect(body.changes).toHaveLength(1)
    const [change] = body.changes
    expect(change).toMatchObject({ from_model: 'rerank-v3', to_model: 'rerank-lite', significant: true })
    expect(Math.abs(Date.parse(change.at as string) - SWAP)).toBeLessThan(HOUR)
    expect(change.score_p50_after as number).toBeLessThan(change.score_p50_before as number)
    expect(change.overlap_before as number).toBeCloseTo(0.8, 5)
    expect(change.overlap_after as number).toBeCloseTo(0.6, 5)
    expect(change.answer_score_after as number).toBeLessThan(change.answer_score_before as number)

    const byModel = Object.fromEntries(body.rerankers.map((r) => [r.model, r]))
    expect(byModel['rerank-v3']).toMatchObject({ name: 'rerank' })
    expect(byModel['rerank-v3'].top_k_overlap as number).toBeCloseTo(0.8, 5)
    expect(byModel['rerank-v3'].rank_correlation as number).toBeGreaterThan(0.9)
    expect(byModel['rerank-lite'].rank_correlation as number).toBeLessThan(0.9)
    expect((byModel['rerank-lite'].score_p90 as number) - (byModel['rerank-lite'].score_p10 as number)).toBeLessThan((byModel['rerank-v3'].score_p90 as number) - (byModel['rerank-v3'].score_p10 as number))
    expect((byModel['rerank-v3'].calls as number) + (byModel['rerank-lite'].calls as number)).toBe(7 * 24 * 30)
    expect(Object.keys(body.rerankers[0]).sort()).toEqual(['answer_score_mean', 'calls', 'model', 'name', 'rank_correlation', 'score_p10', 'score_p50', 'score_p90', 'top_k_overlap'])
    expect(body.timeline.filter((p) => p.model === 'rerank-lite').every((p) => Date.parse(p.t) >= SWAP - HOUR)).toBe(true)
  })

  it('ranks against the documents an OpenInference reranker was given when no retriever span is beside it', async () => {
    const { client: own } = await createProject(baseUrl, 'rerankers-input-documents')
    const rng = new Rng(8)
    const spans: Span[] = []
    // The retriever ran in another service: each reranker span lists the 6 documents it was given
    // (in retrieval order, with scores) and keeps 4 of them: the retriever's 1st, 3rd, 6th and 5th.
    for (let i = 0; i < 40; i++) {
      const start = weekStart + i * 10 * MINUTE
      const b = new TraceBuilder(rng.hex(32), start)
      const given = Array.from({ length: 6 }, (_, k) => ({ id: `g${i}-${k}`, score: 0.9 - k * 0.1 }))
      const kept = [given[0], given[2], given[5], given[4]]
      const attributes: Record<string, string | number> = { 'reranker.model_name': 'bge-reranker', 'reranker.top_k': 4 }
      given.forEach((d, k) => Object.assign(attributes, { [`reranker.input_documents.${k}.document.id`]: d.id, [`reranker.input_documents.${k}.document.score`]: d.score }))
      kept.forEach((d, k) => Object.assign(attributes, { [`reranker.output_documents.${k}.document.id`]: d.id, [`reranker.output_documents.${k}.document.score`]: 0.99 - k * 0.1 }))
      b.span('rerank', 'reranker', 80, { attributes })
      spans.push(...b.finish(start))
    }
    await send(own, spans)
    const response = await get(own, 'rerankers', { from: iso(weekStart), to: iso(weekEnd) })
    expect(response.status, JSON.stringify(response.json)).toBe(200)
    const [reranker] = (response.json as { rerankers: Array<Record<string, number | string | null>> }).rerankers
    // Top 4 of the reranker (g0 g2 g5 g4) against the given top 4 (g0 g1 g2 g3): g0 and g2.
    expect(reranker).toMatchObject({ name: 'rerank', model: 'bge-reranker', calls: 40, top_k_overlap: 0.5 })
    // Shared documents, ranked by the reranker 1..4 (g0 g2 g5 g4) and by the retriever (g0 g2 g4 g5):
    // d = 0 0 1 1, so rho = 1 - 6 x 2 / (4 x 15) = 0.8.
    expect(reranker.rank_correlation as number).toBeCloseTo(0.8, 9)
  })

  it('finds no change inside a week served by one reranker, and rejects a bad bucket', async () => {
    const response = await get(client, 'rerankers', { from: iso(weekStart), to: iso(SWAP - 2 * HOUR), bucket: '300' })
    expect(response.status, JSON.stringify(response.json)).toBe(200)
    expect((response.json as { changes: unknown[] }).changes).toEqual([])
    const bad = await get(client, 'rerankers', { bucket: '10' })
    expect(bad.status).toBe(400)
    expect(JSON.stringify(bad.json)).toMatch(/bucket: must be at least 60 seconds/)
  })
})

describe('which component broke', () => {
  const rangeEnd = weekEnd
  const rangeStart = rangeEnd - DAY
  const ONSET = rangeStart + 20 * HOUR + 12 * MINUTE
  let client: FlightlineClient
  let projectId: string

  beforeAll(async () => {
    const project = await createProject(baseUrl, 'components')
    client = project.client
    projectId = project.id
    const rng = new Rng(5)
    const spans: Span[] = []
    // Two days (baseline and range) of one request every 40 s: guardrail, a model call, the
    // kb.search retrieval tool, another model call. From ONSET kb.search times out on 96% of
    // calls after 10 s; the models keep answering.
    for (let start = rangeStart - DAY; start < rangeEnd; start += 40_000) {
      const b = new TraceBuilder(rng.hex(32), start + rng.range(0, 20_000))
      b.span('guard prompt-injection', 'guardrail', rng.logNormal(180, 0.3))
      b.span('chat gpt-4.1-nano', 'llm', rng.logNormal(600, 0.3), { model_requested: 'gpt-4.1-nano', provider: 'openai', prompt_name: 'support', prompt_version: '7', status: rng.chance(0.004) ? 'error' : 'ok' })
      const broken = b.t >= ONSET && rng.chance(0.96)
      b.span('execute_tool kb.search', 'tool', broken ? 10_000 : rng.logNormal(90, 0.3), broken ? { tool_name: 'kb.search', status: 'error', error_type: 'timeout', status_message: 'kb.search timed out after 10000 ms' } : { tool_name: 'kb.search', status: rng.chance(0.003) ? 'error' : 'ok' })
      b.span('chat gpt-4.1', 'llm', rng.logNormal(1400, 0.3), { model_requested: 'gpt-4.1', provider: 'openai', status: rng.chance(0.004) ? 'error' : 'ok' })
      spans.push(...b.finish(b.spans.length ? Date.parse(b.spans[0].start_time as string) : start))
    }
    await send(client, spans)
  })

  it('names the timing-out tool as the first suspect since its onset bucket, every model ok', async () => {
    for (const bucket of ['300', '900', '3600']) {
      const response = await get(client, 'components', { from: iso(rangeStart), to: iso(rangeEnd), bucket })
      expect(response.status, JSON.stringify(response.json)).toBe(200)
      const body = response.json as {
        components: Array<{ component: string; kind: string; calls: number; error_rate: number; baseline_error_rate: number; p95_ms: number; baseline_p95_ms: number; status: string; since: string | null }>
        suspects: Array<{ component: string; kind: string; reason: string; since: string; evidence_url: string; evidence: { p: number; alpha: number; calls: number } }>
      }
      const [first] = body.suspects
      expect(first, bucket).toMatchObject({ component: 'kb.search', kind: 'tool' })
      expect(Math.abs(Date.parse(first.since) - ONSET), bucket).toBeLessThanOrEqual(Number(bucket) * 1000)
      expect(first.reason).toMatch(/^kb\.search: 9\d% timeouts since \d\d:\d\d, was 0(\.\d)?%$/)
      expect(first.evidence.p).toBeLessThan(first.evidence.alpha)
      expect(first.evidence_url).toContain(`/projects/${projectId}/traces?`)
      expect(new URL(first.evidence_url, baseUrl).searchParams.get('q')).toBe('kb.search')
      const kb = body.components.find((c) => c.component === 'kb.search')!
      expect(kb).toMatchObject({ kind: 'tool', status: 'failing' })
      expect(kb.baseline_error_rate).toBeLessThan(0.02)
      const models = body.components.filter((c) => c.kind === 'model')
      expect(models.map((m) => m.component).sort()).toEqual(['gpt-4.1', 'gpt-4.1-nano'])
      for (const model of models) expect(model, model.component).toMatchObject({ status: 'ok', since: null })
      expect(body.components.find((c) => c.kind === 'prompt')).toMatchObject({ component: 'support@7', status: 'ok' })
      expect(body.components.find((c) => c.kind === 'guardrail')).toMatchObject({ component: 'guard prompt-injection', status: 'ok' })
      expect(body.suspects.map((s) => s.component)).toEqual(['kb.search'])
    }
  })

  it('stays quiet before the outage, and checks its parameters', async () => {
    const quiet = await get(client, 'components', { from: iso(rangeStart), to: iso(ONSET - HOUR), bucket: '900' })
    expect(quiet.status).toBe(200)
    const body = quiet.json as { components: Array<{ status: string }>; suspects: unknown[] }
    expect(body.suspects).toEqual([])
    expect(body.components.every((c) => c.status === 'ok')).toBe(true)
    const bad = await get(client, 'components', { baseline: 'last week' })
    expect(bad.status).toBe(400)
    expect(JSON.stringify(bad.json)).toMatch(/baseline: must look like/)
    const withBaseline = await get(client, 'components', { from: iso(rangeStart), to: iso(rangeEnd), baseline: '6h' })
    expect(withBaseline.status).toBe(200)
  })
})
