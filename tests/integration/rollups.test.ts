// The rollups are built off the insert path by the rollup refresher. Whatever moment a process
// dies at (in the middle of a pass, or right after an answered insert), every derived table ends
// up equal to the same table recomputed from the raw spans, each span counted once; and the
// answers are exact at every moment in between, however far the refresher trails.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createProject, FlightlineClient, startServer, tempDataDir, type TestServer } from '../harness'

const servers: TestServer[] = []
const dirs: string[] = []
afterAll(async () => {
  for (const server of servers) await server.kill9().catch(() => {})
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true })
})

const HOUR = 3_600_000
const windowStart = Math.floor(Date.now() / HOUR) * HOUR - 5 * HOUR
const range = { from: new Date(windowStart).toISOString(), to: new Date(windowStart + 5 * HOUR).toISOString(), bucket: '3600' }
const TENANTS = ['acme', 'globex', 'initech']
const MODELS = ['gpt-4o', 'gpt-4o-mini', 'claude-sonnet-4-5']

/** `traces` traces of an agent span, two model calls and a tool call, spread over 4 hours. */
function traffic(label: string, traces: number): Array<Record<string, unknown>> {
  return Array.from({ length: traces }, (_, t) => {
    const start = windowStart + ((t * 7_919_000) % (4 * HOUR - 60_000))
    const trace = `${label}-${t}`
    const at = (ms: number) => new Date(start + ms).toISOString()
    const llm = (n: number) => ({
      trace_id: trace,
      span_id: `${trace}-llm${n}`,
      parent_span_id: `${trace}-root`,
      name: 'chat',
      kind: 'llm',
      start_time: at(100 + n * 1000),
      end_time: at(900 + n * 1000 + (t % 7) * 50),
      status: t % 11 === 0 && n === 1 ? 'error' : 'ok',
      tenant_id: TENANTS[t % 3],
      user_id: `user-${t % 13}`,
      model_requested: MODELS[(t + n) % 3],
      input_tokens: 1000 + t,
      output_tokens: 100 + n,
      cache_read_tokens: 400,
      prompt_name: 'support',
      prompt_version: String(1 + (t % 2)),
      route_segment: t % 2 ? 'fast' : 'smart',
      ...(n === 1 ? { ttft_ms: 120 + t } : { cost_usd: 0.002 }),
    })
    return [
      { trace_id: trace, span_id: `${trace}-root`, name: 'agent', kind: 'agent', start_time: at(0), end_time: at(3000), tenant_id: TENANTS[t % 3] },
      llm(0),
      llm(1),
      { trace_id: trace, span_id: `${trace}-tool`, parent_span_id: `${trace}-root`, name: 'lookup', kind: 'tool', tool_name: 'lookup', start_time: at(2100), end_time: at(2500) },
    ]
  }).flat()
}

async function send(client: FlightlineClient, spans: unknown[]) {
  for (let i = 0; i < spans.length; i += 500) {
    const response = await client.sendSpans(spans.slice(i, i + 500))
    expect(response.status, JSON.stringify(response.json)).toBe(200)
  }
}

/** What the views answer: model calls per the overview, traces and spans per the traces list. */
async function answers(client: FlightlineClient) {
  const overview = await client.request('GET', `/api/v1/analytics/overview?${new URLSearchParams(range)}`)
  expect(overview.status, JSON.stringify(overview.json)).toBe(200)
  const list = await client.listTraces({ from: range.from, to: range.to, limit: '500' })
  expect(list.status).toBe(200)
  return {
    model_calls: overview.json.series.reduce((sum: number, point: { spans: number }) => sum + point.spans, 0),
    traces: list.json.traces.length,
    spans: list.json.traces.reduce((sum: number, trace: { span_count: number }) => sum + trace.span_count, 0),
  }
}

function worker(dataDir: string, ...args: string[]) {
  // node with tsx's loader rather than the tsx CLI, which would run the script in a child process.
  return spawnSync(process.execPath, ['--import', 'tsx', path.join('tests', 'fixtures', 'rollup-worker.ts'), dataDir, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NODE_ENV: 'production' },
    timeout: 120_000,
  })
}

async function health(server: TestServer) {
  return (await (await fetch(`${server.url}/api/health`)).json()) as { rollups?: { watermark: string; lag_seconds: number; refresher: string } }
}

describe('rollups off the insert path', () => {
  it('count every span once across a kill -9 in the middle of a pass and one right after an insert', { timeout: 300_000 }, async () => {
    const dataDir = tempDataDir('rollups-crash')
    dirs.push(dataDir)

    // 1. Nothing is folded while the refresher is off, and the answers are exact anyway.
    const first = await startServer({ dataDir, env: { FLIGHTLINE_ROLLUP_REFRESHER: '0' } })
    servers.push(first)
    const project = await createProject(first.url)
    const batchA = traffic('a', 60)
    await send(project.client, batchA)
    await send(project.client, batchA.slice(0, 100)) // re-sent: stored and counted once
    expect(await answers(project.client)).toEqual({ model_calls: 120, traces: 60, spans: 240 })
    expect((await health(first)).rollups?.refresher).toBe('off')
    await first.stop()

    // 2. A pass killed after it inserted into 3 of the 6 derived tables.
    const crashed = worker(dataDir, 'crash-after', '3')
    expect(crashed.signal, crashed.stderr).toBe('SIGKILL')

    // 3. The server repeats the unfinished window; its answers are exact before and after.
    const second = await startServer({ dataDir, env: { FLIGHTLINE_ROLLUP_INTERVAL_SECONDS: '1' } })
    servers.push(second)
    const client = new FlightlineClient(second.url, project.api_key)
    expect(await answers(client)).toEqual({ model_calls: 120, traces: 60, spans: 240 })
    await send(client, traffic('b', 40))
    const sentAt = Date.now()
    // The product says how fresh the rollups are: wait until they hold batch B.
    for (;;) {
      const rollups = (await health(second)).rollups
      expect(rollups?.refresher).toBe('running')
      if (rollups && Date.parse(rollups.watermark) >= sentAt) break
      expect(Date.now() - sentAt, 'rollups never caught up').toBeLessThan(60_000)
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
    expect(await answers(client)).toEqual({ model_calls: 200, traces: 100, spans: 400 })
    await send(client, traffic('c', 30))
    await second.kill9()

    // 4. Every derived table equals its recomputation from the raw spans.
    const compared = worker(dataDir, 'compare')
    expect(compared.status, compared.stderr).toBe(0)
    const tables = JSON.parse(compared.stdout) as Array<{ table: string; stored: string[]; recomputed: string[] }>
    expect(tables.map((t) => t.table).sort()).toEqual(
      ['model_call_blocks', 'model_call_first_seen', 'model_call_outcomes', 'model_call_user_days', 'trace_stats', 'trace_touches'].sort(),
    )
    for (const table of tables) {
      expect(table.recomputed.length, table.table).toBeGreaterThan(0)
      expect(table.stored, table.table).toEqual(table.recomputed)
    }

    // 5. And the server answers the same after all that.
    const third = await startServer({ dataDir })
    servers.push(third)
    expect(await answers(new FlightlineClient(third.url, project.api_key))).toEqual({ model_calls: 260, traces: 130, spans: 520 })
    await third.stop()
  })
})
