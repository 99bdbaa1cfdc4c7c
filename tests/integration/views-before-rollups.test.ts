// The "where the time goes" and "where the money goes" views are exact as soon as an insert
// returned, whatever the rollup refresher has folded: on a server whose refresher is off, traces
// just sent are counted by every one of the seven endpoints.
import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createProject, startServer, tempDataDir, type FlightlineClient, type TestServer } from '../harness'

const HOUR = 3_600_000
const windowStart = Math.floor(Date.now() / HOUR) * HOUR - 3 * HOUR
const iso = (ms: number) => new Date(windowStart + ms).toISOString()
const range = { from: iso(0), to: iso(3 * HOUR) }
const TRACES = 12

/** One request: input guardrail, retrieval and rerank, a tool, a failed structured call and its retry. */
function request(n: number): Array<Record<string, unknown>> {
  const trace = `${n.toString(16).padStart(4, '0')}${'ab'.repeat(14)}`
  const t0 = n * 60_000
  const span = (id: string, name: string, kind: string, start: number, ms: number, fields: Record<string, unknown> = {}) => ({
    trace_id: trace,
    span_id: `${id}${n.toString(16).padStart(4, '0')}`.padEnd(16, '0'),
    parent_span_id: id === 'a0' ? undefined : `a0${n.toString(16).padStart(4, '0')}`.padEnd(16, '0'),
    name,
    kind,
    start_time: iso(t0 + start),
    end_time: iso(t0 + start + ms),
    ...fields,
  })
  const docs = Array.from({ length: 5 }, (_, k) => ({ id: `d${k}`, score: 0.9 - k * 0.1 }))
  const call = { model_requested: 'gpt-4.1', input_tokens: 1000, output_tokens: 100, local_input_tokens: 900, input: [{ role: 'user', content: 'Where is my order?' }] }
  return [
    span('a0', 'support-agent', 'agent', 0, 5000),
    span('b1', 'guard prompt-injection', 'guardrail', 10, 200),
    span('c2', 'kb.search', 'retriever', 220, 50, { output: docs }),
    span('d3', 'rerank', 'reranker', 280, 80, { model_requested: 'rerank-v3', output: docs.slice(0, 3).map((d) => ({ id: d.id, relevance_score: d.score })) }),
    span('e4', 'execute_tool lookup', 'tool', 370, 60, { tool_name: 'lookup' }),
    span('f5', 'answer', 'llm', 500, 1000, { ...call, status: 'error', error_type: '429', schema_valid: false }),
    span('a6', 'answer', 'llm', 1600, 1000, { ...call, schema_valid: true }),
  ]
}

describe('the time and money views before the rollups fold the spans', () => {
  let server: TestServer
  let client: FlightlineClient
  const dataDir = tempDataDir('views-before-rollups')

  beforeAll(async () => {
    server = await startServer({ dataDir, env: { FLIGHTLINE_ROLLUP_REFRESHER: '0' } })
    client = (await createProject(server.url)).client
    const response = await client.sendSpans(Array.from({ length: TRACES }, (_, n) => request(n + 1)).flat())
    expect(response.status, JSON.stringify(response.json)).toBe(200)
  }, 180_000)

  afterAll(async () => {
    await server?.stop()
    fs.rmSync(dataDir, { recursive: true, force: true })
  })

  const get = async (view: string) => {
    const response = await client.request('GET', `/api/v1/analytics/${view}?${new URLSearchParams(range)}`)
    expect(response.status, JSON.stringify(response.json)).toBe(200)
    return response.json
  }

  it('counts every request, call and object just sent', async () => {
    const guardrails = await get('guardrails')
    expect(guardrails.requests.count).toBe(TRACES)
    expect(guardrails.stages.map((s: { name: string; calls: number }) => [s.name, s.calls])).toEqual([['guard prompt-injection', TRACES]])

    const rerankers = await get('rerankers')
    expect(rerankers.rerankers).toMatchObject([{ model: 'rerank-v3', calls: TRACES }])

    const components = await get('components')
    const calls = Object.fromEntries(components.components.map((c: { component: string; calls: number }) => [c.component, c.calls]))
    expect(calls).toMatchObject({ 'gpt-4.1': 2 * TRACES, lookup: TRACES, 'kb.search': TRACES, 'rerank-v3': TRACES, 'guard prompt-injection': TRACES })

    const retries = await get('retries')
    expect(retries.totals).toMatchObject({ logical_calls: TRACES, attempts: 2 * TRACES, retried_calls: TRACES })

    const structured = await get('structured-output')
    expect(structured.overall).toMatchObject({ objects: TRACES, first_try_valid_rate: 0, eventual_valid_rate: 1 })

    const tokenizer = await get('tokenizer')
    expect(tokenizer.by_model_script).toMatchObject([{ model: 'gpt-4.1', script: 'latin', calls: 2 * TRACES, breaches: 2 * TRACES }])

    const energy = await get('energy')
    expect(energy.tasks).toMatchObject([{ task: 'support-agent', requests: 2 * TRACES, tasks: TRACES }])
  })
})
