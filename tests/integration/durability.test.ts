// The data directory has one owner, and an answered request survives kill -9.
import fs from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { createProject, FlightlineClient, startServer, tempDataDir, type TestServer } from '../harness'

const servers: TestServer[] = []
const dirs: string[] = []
afterAll(async () => {
  for (const server of servers) await server.kill9().catch(() => {})
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true })
})

/** Each test starts two servers on fresh data directories: on a loaded shared machine that alone can take a minute. */
const SERVER_STARTS_TIMEOUT = 180_000

describe('data directory ownership and crash safety', () => {
  it('refuses a second process on the same data directory, naming the directory and the owner pid', async () => {
    const dataDir = tempDataDir('lock')
    dirs.push(dataDir)
    const owner = await startServer({ dataDir })
    servers.push(owner)
    const second = await startServer({ dataDir, waitReady: false })
    servers.push(second)
    // The second server exits on its own once it finds the lock.
    const code = await second.exited
    expect(code).not.toBe(0)
    expect(second.output()).toContain(dataDir)
    expect(second.output()).toContain(`pid ${owner.process.pid}`)
    // The owner is unharmed.
    expect((await fetch(`${owner.url}/api/health`)).status).toBe(200)
    await owner.stop()
  }, SERVER_STARTS_TIMEOUT)

  it('keeps everything answered 2xx when the server is killed with SIGKILL right after', async () => {
    const dataDir = tempDataDir('kill9')
    dirs.push(dataDir)
    const first = await startServer({ dataDir })
    servers.push(first)
    const project = await createProject(first.url)
    const now = Date.now()
    const spans = Array.from({ length: 500 }, (_, i) => ({
      trace_id: `crash-${Math.floor(i / 10)}`,
      span_id: `s${i}`,
      name: 'work',
      start_time: new Date(now - 60_000 + i).toISOString(),
    }))
    const post = await project.client.sendSpans(spans)
    expect(post.status).toBe(200)
    const scores = await project.client.sendScores([{ trace_id: 'crash-0', name: 'quality', value: 1 }])
    expect(scores.status).toBe(200)
    await first.kill9()

    const second = await startServer({ dataDir })
    servers.push(second)
    const list = await new FlightlineClient(second.url, project.api_key).listTraces({ from: new Date(now - 3600_000).toISOString(), limit: '100' })
    expect(list.status).toBe(200)
    expect(list.json.traces).toHaveLength(50)
    expect(list.json.traces.reduce((sum: number, t: { span_count: number }) => sum + t.span_count, 0)).toBe(500)
    await second.stop()
  }, SERVER_STARTS_TIMEOUT)
})
