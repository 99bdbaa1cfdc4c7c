// The data directory has one owner, and an answered request survives kill -9.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createProject, FlightlineClient, startServer, tempDataDir, waitForHealth, type TestServer } from '../harness'

// Each test starts servers of its own: on a loaded machine that takes a while.
const SERVERS_TIMEOUT = 180_000
const servers: TestServer[] = []
const dirs: string[] = []
afterAll(async () => {
  for (const server of servers) await server.kill9().catch(() => {})
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true })
})

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
  }, SERVERS_TIMEOUT)

  it('starts over a stale lock file whose pid now belongs to another live process', async () => {
    // After a container restart the old owner's pid is often taken by some other process: pid 1
    // (the container's init) or anything else. Neither is a Flightline holding the directory.
    for (const [label, content] of [
      ['pid 1', '1\n'],
      ['the test runner', `${process.pid}\n`],
    ]) {
      const dataDir = tempDataDir('stale-lock')
      dirs.push(dataDir)
      fs.writeFileSync(path.join(dataDir, 'flightline.lock'), content)
      const server = await startServer({ dataDir, waitReady: false })
      servers.push(server)
      await Promise.race([waitForHealth(server), server.exited.then(() => expect.fail(`refused to start over a stale lock naming ${label}:\n${server.output()}`))])
      // It holds the directory now: a second Flightline is refused, naming this one.
      const second = await startServer({ dataDir, waitReady: false })
      servers.push(second)
      expect(await second.exited).not.toBe(0)
      expect(second.output()).toContain(`pid ${server.process.pid}`)
      await server.stop()
    }
  }, 2 * SERVERS_TIMEOUT)

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
  }, SERVERS_TIMEOUT)
})
