// The real `langfuse` v3 SDK against the built server's Langfuse ingestion API: creates in one
// batch, updates in a later one (they must land, merged by id), events and scores; the trace
// view shows the merged observations at once, and once they settled they are counted exactly
// once by the traces list. Bad events are answered per event in the 207 body.
import fs from 'node:fs'
import { Langfuse } from 'langfuse'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createProject, startServer, type FlightlineClient, type TestServer } from '../harness'

let server: TestServer
let client: FlightlineClient
let apiKey: string

beforeAll(async () => {
  server = await startServer({ env: { FLIGHTLINE_UPDATE_SETTLE_SECONDS: '1', FLIGHTLINE_UPDATE_MAX_WAIT_SECONDS: '4' } })
  const project = await createProject(server.url, 'langfuse-ingestion')
  client = project.client
  apiKey = project.api_key
})

afterAll(async () => {
  await server?.stop()
  if (server) fs.rmSync(server.dataDir, { recursive: true, force: true })
})

function sdk(): Langfuse {
  // Only the base URL and the keys change: the Flightline key is the secret key.
  return new Langfuse({ publicKey: 'pk-lf-flightline', secretKey: apiKey, baseUrl: server.url, flushAt: 100, flushInterval: 0 })
}

async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await read()
    if (done(value) || Date.now() > deadline) {
      expect(done(value), what).toBe(true)
      return value
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

describe('Langfuse ingestion API with the real langfuse v3 SDK', () => {
  it('lands traces, spans, generations, events and scores; updates after creates merge by id and count once', async () => {
    const langfuse = sdk()
    const errors: unknown[] = []
    langfuse.on('error', (error) => errors.push(error))
    const trace = langfuse.trace({ name: 'support-chat', userId: 'u-77', sessionId: 'sess-9', metadata: { tenant_id: 'acme' }, input: { question: 'Where is my order?' }, tags: ['prod'] })
    const span = trace.span({ name: 'retrieve-context', input: { query: 'order 1009' } })
    const generation = span.generation({
      name: 'answer',
      model: 'gpt-4o',
      modelParameters: { temperature: 0.2, max_tokens: 256 },
      input: [{ role: 'system', content: 'You are a support agent.' }, { role: 'user', content: 'Where is my order?' }],
    })
    // The creates go out in a batch of their own...
    await langfuse.flushAsync()
    // ...and the updates in a later one, as with any call that takes longer than a flush.
    generation.end({ output: { role: 'assistant', content: 'It ships today.' }, usageDetails: { input: 200, cache_read_input_tokens: 1000, output: 80 }, costDetails: { total: 0.0042 } })
    span.end({ output: { documents: 2 } })
    trace.event({ name: 'cache-miss', level: 'WARNING', metadata: { key: 'order-1009' } })
    trace.update({ output: { answer: 'It ships today.' } })
    trace.score({ name: 'helpfulness', value: 0.9, comment: 'clear' })
    await langfuse.flushAsync()
    expect(errors).toEqual([])

    // The trace view shows the merged observations at once (before they are written to spans).
    const early = await client.getTrace(trace.id)
    expect(early.status).toBe(200)
    const byName = (spans: Record<string, any>[], name: string) => spans.find((s) => s.name === name)!
    const llm = byName(early.json.spans, 'answer')
    expect(llm).toMatchObject({
      kind: 'llm',
      model_requested: 'gpt-4o',
      input_tokens: 1200,
      output_tokens: 80,
      cache_read_tokens: 1000,
      cost_usd: 0.0042,
      parent_span_id: span.id,
      user_id: '',
    })
    expect(JSON.parse(llm.output)).toEqual({ role: 'assistant', content: 'It ships today.' })
    expect(llm.params).toEqual({ temperature: 0.2, max_tokens: 256 })
    expect(Date.parse(llm.end_time)).toBeGreaterThanOrEqual(Date.parse(llm.start_time))
    expect(byName(early.json.spans, 'retrieve-context')).toMatchObject({ kind: 'chain', parent_span_id: trace.id })
    expect(byName(early.json.spans, 'cache-miss')).toMatchObject({ kind: 'other' })
    expect(byName(early.json.spans, 'support-chat')).toMatchObject({ span_id: trace.id, user_id: 'u-77', session_id: 'sess-9', tenant_id: 'acme', tags: ['prod'] })

    // Once settled, the observations are spans: the list counts the model call once, with the
    // trace's user, session and tenant carried onto it.
    const listed = await until(
      'the trace is listed with its model call',
      async () => (await client.listTraces({ range: '24h' })).json,
      (json) => json.traces?.some((t: Record<string, unknown>) => t.trace_id === trace.id && t.span_count === 4),
    )
    const row = listed.traces.find((t: Record<string, unknown>) => t.trace_id === trace.id)
    expect(row).toMatchObject({ span_count: 4, model_calls: 1, input_tokens: 1200, output_tokens: 80, cache_read_tokens: 1000, user_id: 'u-77', session_id: 'sess-9', tenant_id: 'acme' })
    expect(row.cost_usd).toBeCloseTo(0.0042, 6)
    const settled = await client.getTrace(trace.id)
    expect(settled.json.spans).toHaveLength(4)
    expect(byName(settled.json.spans, 'answer')).toMatchObject({ user_id: 'u-77', session_id: 'sess-9', tenant_id: 'acme', input_tokens: 1200 })
    // The trace keeps its first timestamp (trace.update() re-sends it) and spans its observations.
    const root = byName(settled.json.spans, 'support-chat')
    const answer = byName(settled.json.spans, 'answer')
    expect(Date.parse(root.start_time)).toBeLessThanOrEqual(Date.parse(answer.start_time))
    expect(Date.parse(root.end_time)).toBeGreaterThanOrEqual(Date.parse(answer.end_time))

    // An update after the observation was written lands in the trace view, and is not counted twice.
    generation.update({ output: { role: 'assistant', content: 'It shipped this morning.' } })
    await langfuse.flushAsync()
    const late = await client.getTrace(trace.id)
    expect(JSON.parse(byName(late.json.spans, 'answer').output)).toEqual({ role: 'assistant', content: 'It shipped this morning.' })
    expect(late.json.spans).toHaveLength(4)
    await new Promise((resolve) => setTimeout(resolve, 2500))
    const again = (await client.listTraces({ range: '24h' })).json.traces.find((t: Record<string, unknown>) => t.trace_id === trace.id)
    expect(again).toMatchObject({ span_count: 4, model_calls: 1, input_tokens: 1200 })

    const scores = await client.request('GET', `/api/v1/traces/${trace.id}/scores`)
    expect(scores.json.scores).toEqual([expect.objectContaining({ name: 'helpfulness', value: 0.9, comment: 'clear' })])
    await langfuse.shutdownAsync()
  })

  it('answers 207 per event: bad events are named, good ones stored; 401 for a wrong key', async () => {
    const auth = `Basic ${Buffer.from(`pk-lf-x:${apiKey}`).toString('base64')}`
    const now = new Date().toISOString()
    const traceId = 'lf-trace-207'
    const response = await fetch(`${server.url}/api/public/ingestion`, {
      method: 'POST',
      headers: { Authorization: auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        batch: [
          { id: 'e1', type: 'trace-create', timestamp: now, body: { id: traceId, name: 'raw' } },
          { id: 'e2', type: 'span-create', timestamp: now, body: { id: 'obs-1' } },
          { id: 'e3', type: 'teleport-create', timestamp: now, body: {} },
          { id: 'e4', type: 'generation-create', timestamp: now, body: { id: 'obs-2', traceId, model: 'x'.repeat(300), startTime: now } },
          { id: 'e5', type: 'event-create', timestamp: now, body: { id: 'obs-3', traceId, name: 'ok', startTime: now } },
        ],
      }),
    })
    expect(response.status).toBe(207)
    const body = await response.json()
    expect(body.successes.map((s: { id: string }) => s.id).sort()).toEqual(['e1', 'e5'])
    const errors = Object.fromEntries(body.errors.map((e: { id: string; message: string; status: number }) => [e.id, e]))
    expect(errors.e2.message).toMatch(/traceId/)
    expect(errors.e3.message).toMatch(/type: must be one of trace-create/)
    expect(errors.e4.message).toMatch(/model_requested: must be at most 256 characters/)
    expect(Object.values(errors).every((e) => (e as { status: number }).status === 400)).toBe(true)
    const trace = await client.getTrace(traceId)
    expect(trace.json.spans.map((s: { name: string }) => s.name).sort()).toEqual(['ok', 'raw'])

    const wrong = await fetch(`${server.url}/api/public/ingestion`, {
      method: 'POST',
      headers: { Authorization: `Basic ${Buffer.from('pk-lf-x:sk-lf-wrong').toString('base64')}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ batch: [] }),
    })
    expect(wrong.status).toBe(401)
    const notBatch = await fetch(`${server.url}/api/public/ingestion`, { method: 'POST', headers: { Authorization: auth, 'Content-Type': 'application/json' }, body: '{"events": []}' })
    expect(notBatch.status).toBe(400)
    expect((await notBatch.json()).message).toMatch(/batch/)
  })
})
