// The demo workload end to end: a small dataset goes through the real HTTP ingest API and reads
// back span for span; the "Load demo data" job fills a project through the in-process ingest
// path, one job per project at a time.
import { describe, expect, inject, it } from 'vitest'
import { collectDemo } from '@/lib/demo'
import { httpSink } from '@/lib/demo/http-sink'
import { loadDemo, type LoadProgress } from '@/lib/demo/load'
import { createProject, type FlightlineClient } from '../harness'

const baseUrl = inject('baseUrl')

async function allTraceIds(client: FlightlineClient, from: string, to: string): Promise<Set<string>> {
  const ids = new Set<string>()
  let cursor: string | undefined
  do {
    const page = await client.listTraces({ from, to, limit: '500', ...(cursor ? { cursor } : {}) })
    expect(page.status).toBe(200)
    for (const trace of page.json.traces) ids.add(trace.trace_id)
    cursor = page.json.next_cursor ?? undefined
  } while (cursor)
  return ids
}

/** Polls a demo job until it is no longer running. */
async function settled(url: string, headers: Record<string, string>): Promise<Record<string, unknown>> {
  for (let i = 0; i < 240; i++) {
    const status = await (await fetch(url, { headers })).json()
    if (status.state !== 'running') return status
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error('the demo job is still running after a minute')
}

describe('npm run demo: the generator through the HTTP ingest API', () => {
  it('stores every generated span and reads traces back as generated', async () => {
    const project = await createProject(baseUrl, 'demo-http')
    const end = new Date()
    const demo = { seed: 5, spans: 20_000, days: 2, end, batchSpans: 1000 }
    // Generated first: a long synchronous pause after the load would idle the client's kept-alive
    // connections past the server's keep-alive timeout while their own timers cannot run.
    const expected = collectDemo(demo)
    const seen: LoadProgress[] = []
    const result = await loadDemo({ demo, sink: httpSink({ baseUrl, apiKey: project.api_key }), concurrency: 3, onProgress: (p) => seen.push(p) })
    expect(result.rejected).toBe(0)
    expect(result.spansSent).toBe(expected.spans.length)
    expect(result.scoresSent).toBe(expected.scores.length)
    expect(result.tracesSent).toBe(expected.summary.traces)
    expect(seen.length).toBeGreaterThan(5)
    expect(seen.at(-1)!.spansSent).toBe(result.spansSent)

    const from = new Date(result.summary.plan.start - 60_000).toISOString()
    const ids = await allTraceIds(project.client, from, new Date(end.getTime() + 60_000).toISOString())
    expect(ids).toEqual(new Set(expected.spans.map((s) => s.trace_id)))

    // A loop trace that hit the recursion limit comes back whole, nesting and all.
    const loopRoot = expected.spans.find((s) => !s.parent_span_id && s.error_type === 'recursion_limit')!
    expect(loopRoot).toBeDefined()
    const sent = expected.spans.filter((s) => s.trace_id === loopRoot.trace_id)
    const got = await project.client.getTrace(loopRoot.trace_id)
    expect(got.status).toBe(200)
    const stored = new Map<string, Record<string, unknown>>(got.json.spans.map((s: Record<string, unknown>) => [s.span_id, s]))
    expect(stored.size).toBe(sent.length)
    for (const span of sent) {
      const back = stored.get(span.span_id)!
      expect(back.parent_span_id || undefined).toBe(span.parent_span_id)
      expect(back.name).toBe(span.name)
      expect(back.status).toBe(span.status)
      expect(back.tool_name || undefined).toBe(span.tool_name)
      expect(back.input_tokens ?? 0).toBe(span.input_tokens ?? 0)
      expect(back.cost_usd ?? undefined).toBe(span.cost_usd ?? undefined)
      expect(Date.parse(String(back.start_time))).toBe(Date.parse(String(span.start_time)))
    }
    const depth = (id: string): number => {
      const parent = stored.get(id)?.parent_span_id as string | undefined
      return parent ? 1 + depth(parent) : 0
    }
    expect(Math.max(...sent.map((s) => depth(s.span_id)))).toBeGreaterThanOrEqual(25)
  }, 180_000)
})

describe('Load demo data: the in-process job', () => {
  it('loads a bounded dataset into one project, one job at a time, and reports progress', async () => {
    const project = await createProject(baseUrl, 'demo-button')
    // The route takes the usual callers; here a full API key (the e2e test drives it signed in).
    const url = `${baseUrl}/api/v1/demo`
    const auth = { authorization: `Bearer ${project.api_key}` }
    const asProject = (target: string, init: RequestInit = {}) => fetch(target, { ...init, headers: { ...auth, ...init.headers } })
    expect(await (await asProject(url)).json()).toEqual({ project_id: project.id, state: 'idle' })
    expect((await fetch(`${url}?project=${project.id}`, { method: 'POST' })).status).toBe(401)

    const refused = await asProject(url, { method: 'POST', body: JSON.stringify({ spans: 50_000_000 }) })
    expect(refused.status).toBe(400)
    expect((await refused.json()).error).toMatch(/spans must be at most/)

    const started = await asProject(url, { method: 'POST', body: JSON.stringify({ spans: 5000, days: 1, seed: 3 }) })
    expect(started.status).toBe(202)
    expect((await started.json()).state).toBe('running')
    const again = await asProject(url, { method: 'POST', body: '{}' })
    expect(again.status).toBe(409)

    let status = await settled(url, auth)
    expect(status.state).toBe('done')
    expect(status.spans_sent).toBeGreaterThan(4500)
    expect(status.scores_sent).toBeGreaterThan(0)

    const from = new Date(Date.now() - 2 * 86_400_000).toISOString()
    const ids = await allTraceIds(project.client, from, new Date(Date.now() + 60_000).toISOString())
    expect(ids.size).toBe(status.traces_sent)

    // A large job can be stopped; what it loaded stays.
    expect((await asProject(url, { method: 'POST', body: JSON.stringify({ spans: 1_000_000, seed: 4 }) })).status).toBe(202)
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect((await asProject(url, { method: 'DELETE' })).status).toBe(200)
    status = await settled(url, auth)
    expect(status.state).toBe('cancelled')
    expect(status.spans_sent).toBeLessThan(1_000_000)
  }, 120_000)
})
