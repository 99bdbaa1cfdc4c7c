// The trace explorer's read API against the real server: list filters, sorts and cursor paging
// over the per-trace aggregate; the re-entrancy index behind `has_cycle` and the badge; one
// trace with its summary and aggregated call graph; one span in full.
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { agentTrace, type NativeSpan } from '../fixtures/agent-traces'
import { createProject, FlightlineClient } from '../harness'

const baseUrl = inject('baseUrl')
let client: FlightlineClient
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000)
const hourAgo = () => minutesAgo(60).toISOString()

interface ListedTrace {
  trace_id: string
  name: string
  duration_ms: number
  span_count: number
  error_count: number
  tenant_id: string | null
  input_tokens: number
  output_tokens: number
  cost_usd: number
  span_kinds: string[]
  cycles: { cycle_count: number; reentries: number; max_depth: number; top_cycle: string[] } | null
}

async function list(query: Record<string, string>): Promise<{ traces: ListedTrace[]; next_cursor: string | null }> {
  const response = await client.listTraces({ from: hourAgo(), ...query })
  expect(response.status, JSON.stringify(response.json)).toBe(200)
  return response.json
}

const ids = (traces: ListedTrace[]) => traces.map((t) => t.trace_id)

// Six traces with known differences; trace ids say what each is.
const loop = agentTrace({ traceId: 'loop-a', start: minutesAgo(10), tenant: 'acme', user: 'u-1', session: 's-1', steps: 2, loopDepth: 3 })
const failing = agentTrace({ traceId: 'fail-b', start: minutesAgo(20), tenant: 'globex', user: 'u-2', session: 's-2', steps: 1, error: true })
const long = agentTrace({ traceId: 'long-c', start: minutesAgo(30), tenant: 'acme', user: 'u-3', session: 's-3', steps: 8, model: 'claude-sonnet-4' })
const needle = agentTrace({ traceId: 'needle-d', start: minutesAgo(40), tenant: 'initech', user: 'u-4', session: 's-4', steps: 1, userText: 'my parcel ID is ZX-9981' })
const tiny: NativeSpan[] = [{ trace_id: 'tiny-e', span_id: 'only', name: 'healthcheck', kind: 'chain', start_time: minutesAgo(50).toISOString(), end_time: minutesAgo(50).toISOString(), status: 'ok' }]
const old: NativeSpan[] = [{ trace_id: 'old-f', span_id: 'only', name: 'yesterday', kind: 'chain', start_time: minutesAgo(26 * 60).toISOString(), end_time: minutesAgo(26 * 60).toISOString() }]

beforeAll(async () => {
  const project = await createProject(baseUrl)
  client = project.client
  const sent = await client.sendSpans([...loop, ...failing, ...long, ...needle, ...tiny, ...old])
  expect(sent.status, JSON.stringify(sent.json)).toBe(200)
})

describe('GET /api/v1/traces filters', () => {
  it('lists traces that started in the range, newest first, with per-trace totals', async () => {
    const { traces } = await list({})
    expect(ids(traces)).toEqual(['loop-a', 'fail-b', 'long-c', 'needle-d', 'tiny-e'])
    const failed = traces.find((t) => t.trace_id === 'fail-b')!
    expect(failed).toMatchObject({ name: 'support-agent', span_count: failing.length, error_count: 2, tenant_id: 'globex' })
    expect(failed.span_kinds.sort()).toEqual(['agent', 'llm', 'tool'])
    // One step's model call and the final answer, 1200 in / 150 out each.
    expect(failed.input_tokens).toBe(2 * 1200)
    expect(failed.output_tokens).toBe(2 * 150)
    expect(failed.cost_usd).toBeCloseTo(2 * 0.0041, 9)
    // The relative `range` parameter works like from/to.
    expect(ids((await client.listTraces({ range: '2d' })).json.traces)).toContain('old-f')
  })

  it('filters by tenant, user, session, model (requested or resolved), kind and status', async () => {
    expect(ids((await list({ tenant_id: 'acme' })).traces)).toEqual(['loop-a', 'long-c'])
    expect(ids((await list({ user_id: 'u-4' })).traces)).toEqual(['needle-d'])
    expect(ids((await list({ session_id: 's-2' })).traces)).toEqual(['fail-b'])
    expect(ids((await list({ model: 'claude-sonnet-4' })).traces)).toEqual(['long-c'])
    expect(ids((await list({ model: 'claude-sonnet-4-2026-08-06' })).traces)).toEqual(['long-c'])
    expect(ids((await list({ kind: 'chain' })).traces)).toEqual(['tiny-e'])
    expect(ids((await list({ status: 'error' })).traces)).toEqual(['fail-b'])
    expect(ids((await list({ errors_only: 'true' })).traces)).toEqual(['fail-b'])
    expect(ids((await list({ tenant_id: 'acme', kind: 'tool', errors_only: 'false' })).traces)).toEqual(['loop-a', 'long-c'])
  }, 180_000)

  it('searches payloads and error messages, case-insensitively', async () => {
    expect(ids((await list({ q: 'zx-9981' })).traces)).toEqual(['needle-d'])
    expect(ids((await list({ q: 'TIMED OUT' })).traces)).toEqual(['fail-b'])
    expect((await list({ q: 'no trace says this' })).traces).toEqual([])
  })

  it('finds the trace with a cycle (after the cycle index catches up) and marks it', async () => {
    let found: ListedTrace[] = []
    for (let attempt = 0; attempt < 40 && found.length === 0; attempt++) {
      found = (await list({ has_cycle: 'true' })).traces
      if (found.length === 0) await new Promise((resolve) => setTimeout(resolve, 250))
    }
    expect(ids(found)).toEqual(['loop-a'])
    expect(found[0].cycles).toEqual({ cycle_count: 1, reentries: 3, max_depth: 4, top_cycle: ['gpt-4o', 'search_orders'] })
    const all = (await list({})).traces
    expect(all.filter((t) => t.cycles !== null).map((t) => t.trace_id)).toEqual(['loop-a'])
  })

  it('answers 400 naming a bad parameter', async () => {
    for (const [query, word] of [
      [{ sort: 'colour' }, 'sort'],
      [{ kind: 'robot' }, 'kind'],
      [{ errors_only: 'maybe' }, 'errors_only'],
      [{ range: 'forever' }, 'range'],
      [{ q: '' }, 'q'],
    ] as const) {
      const response = await client.listTraces(query)
      expect(response.status).toBe(400)
      expect(response.json.error).toMatch(word)
    }
  })
})

describe('GET /api/v1/traces sorting and paging', () => {
  const sorted = (values: number[], order: 'asc' | 'desc') => [...values].sort((a, b) => (order === 'asc' ? a - b : b - a))

  // These walk the list a dozen times (7-9 engine queries each): minutes on a loaded machine.
  it('sorts by duration, spans, errors, tokens and cost in the query, both ways', async () => {
    for (const [sort, field] of [
      ['duration', (t: ListedTrace) => t.duration_ms],
      ['spans', (t: ListedTrace) => t.span_count],
      ['errors', (t: ListedTrace) => t.error_count],
      ['tokens', (t: ListedTrace) => t.input_tokens + t.output_tokens],
      ['cost', (t: ListedTrace) => t.cost_usd],
    ] as const) {
      for (const order of ['asc', 'desc'] as const) {
        const values = (await list({ sort, order })).traces.map(field)
        expect(values, `${sort} ${order}`).toEqual(sorted(values, order))
        expect(values).toHaveLength(5)
      }
    }
    expect((await list({ sort: 'spans' })).traces[0].trace_id).toBe('long-c')
    expect((await list({ sort: 'spans', order: 'asc' })).traces[0].trace_id).toBe('tiny-e')
  }, 180_000)

  it('walks every trace exactly once with a cursor, whatever the sort', async () => {
    for (const sort of ['time', 'cost', 'duration', 'errors']) {
      const seen: string[] = []
      let cursor: string | null = null
      do {
        const page: { traces: ListedTrace[]; next_cursor: string | null } = await list({ sort, order: 'asc', limit: '2', ...(cursor ? { cursor } : {}) })
        seen.push(...ids(page.traces))
        cursor = page.next_cursor
      } while (cursor)
      expect(seen.sort(), sort).toEqual(['fail-b', 'long-c', 'loop-a', 'needle-d', 'tiny-e'])
    }
  }, 180_000)

  it('refuses a cursor from another sort, and still accepts the first API version of cursors', async () => {
    const { next_cursor } = await list({ sort: 'cost', limit: '1' })
    const mismatch = await client.listTraces({ from: hourAgo(), sort: 'spans', cursor: next_cursor! })
    expect(mismatch.status).toBe(400)
    expect(mismatch.json.error).toMatch(/sorted by cost/)
    const first = (await list({ limit: '1' })).traces[0]
    const legacy = Buffer.from(JSON.stringify([String(BigInt(Date.parse('2100-01-01')) * 1_000_000n), first.trace_id])).toString('base64url')
    expect(ids((await list({ cursor: legacy })).traces)).toHaveLength(5)
  })
})

describe('GET /api/v1/traces/{trace_id}', () => {
  it('returns the summary and the aggregated call graph with its cycle', async () => {
    const response = await client.getTrace('loop-a')
    expect(response.status).toBe(200)
    const { summary, graph, spans } = response.json
    expect(spans).toHaveLength(loop.length)
    expect(summary).toMatchObject({ span_count: loop.length, error_count: 0, tenant_ids: ['acme'], user_ids: ['u-1'], session_ids: ['s-1'] })
    // Every model call counts: the ones that ran a re-entrant tool are not wrappers.
    const modelCalls = loop.filter((s) => s.kind === 'llm').length
    expect(summary.model_calls).toBe(modelCalls)
    expect(summary.input_tokens).toBe(modelCalls * 1200)
    expect(summary.spans_by_kind).toEqual({ agent: 1, llm: modelCalls, tool: loop.length - 1 - modelCalls })
    expect(graph.nodes).toContainEqual({ id: 'tool:search_orders', label: 'search_orders', kind: 'tool', calls: 5 })
    expect(graph.edges).toContainEqual({ source: 'tool:search_orders', target: 'llm:gpt-4o', calls: 3 })
    expect(graph.edges).toContainEqual({ source: 'llm:gpt-4o', target: 'tool:search_orders', calls: 3 })
    expect(graph.cycles).toEqual([{ nodes: ['llm:gpt-4o', 'tool:search_orders'], reentries: 3, max_depth: 4 }])
  })

  it('has no cycles for a trace without re-entry', async () => {
    const { graph } = (await client.getTrace('long-c')).json
    expect(graph.cycles).toEqual([])
    expect(graph.nodes.find((n: { id: string }) => n.id === 'llm:claude-sonnet-4').calls).toBe(9)
  })

  it('returns one span in full, and 404 for a span or trace of another project', async () => {
    const spanId = failing[failing.length - 2].span_id
    const span = await client.request('GET', `/api/v1/traces/fail-b/spans/${spanId}`)
    expect(span.status).toBe(200)
    expect(span.json).toMatchObject({ span_id: spanId, status: 'error', status_message: 'search_orders timed out after 30 s', error_type: 'TimeoutError' })
    expect((await client.request('GET', '/api/v1/traces/fail-b/spans/nope')).status).toBe(404)
    const other = await createProject(baseUrl)
    expect((await other.client.request('GET', `/api/v1/traces/fail-b/spans/${spanId}`)).status).toBe(404)
    expect((await other.client.listTraces({ from: hourAgo(), has_cycle: 'true' })).json.traces).toEqual([])
  })
})
