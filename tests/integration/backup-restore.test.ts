// Backup and restore of the embedded stores, for real: `npm run backup` against a running
// server while four clients ingest, `npm run restore` into a fresh data directory, a server
// started on it, and everything acknowledged before the backup began read back through the API:
// every span, every project and key, the user, the saved view, its share link, the price.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_TOKEN, FlightlineClient, createProject, createUser, login, startServer, type TestServer } from '../harness'

let source: TestServer
let restored: TestServer | undefined
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'flightline-backups-'))

beforeAll(async () => {
  source = await startServer({ env: { FLIGHTLINE_BACKUP_DIR: path.join(scratch, 'default') } })
})

afterAll(async () => {
  await Promise.all([source?.stop(), restored?.stop()])
  for (const dir of [source?.dataDir, restored?.dataDir, scratch]) if (dir) fs.rmSync(dir, { recursive: true, force: true })
})

/** Runs an npm script as an operator would; resolves with its exit code and output. */
function npmRun(script: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', script, '--', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    child.once('exit', (code) => resolve({ code, output }))
  })
}

async function admin(server: TestServer, method: string, pathname: string, body?: unknown) {
  const response = await fetch(`${server.url}${pathname}`, {
    method,
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: response.status, json: await response.json().catch(() => null) }
}

interface Sent {
  traceId: string
  client: FlightlineClient
  status: number
  ackedAt: number
}

const SPANS_PER_TRACE = 20

/** One client: sends a trace of SPANS_PER_TRACE spans per request until told to stop. */
async function ingestLoop(id: number, clients: FlightlineClient[], stop: () => boolean, sent: Sent[]): Promise<void> {
  for (let n = 0; !stop(); n++) {
    const client = clients[n % clients.length]
    const traceId = `${id.toString(16)}${n.toString(16).padStart(31, '0')}`
    const start = Date.now()
    const spans = Array.from({ length: SPANS_PER_TRACE }, (_, i) => ({
      trace_id: traceId,
      span_id: `s${i}`,
      ...(i > 0 ? { parent_span_id: 's0' } : {}),
      name: i === 0 ? 'agent run' : `step ${i}`,
      kind: i === 0 ? 'agent' : 'tool',
      start_time: new Date(start + i).toISOString(),
      end_time: new Date(start + i + 50).toISOString(),
      tenant_id: `tenant-${id}`,
    }))
    const response = await client.sendSpans(spans)
    sent.push({ traceId, client, status: response.status, ackedAt: Date.now() })
    if (response.status === 503) await new Promise((r) => setTimeout(r, 200))
  }
}

/** Every trace id of a project in the last day, with its span count, paging through the list. */
async function allTraces(client: FlightlineClient): Promise<Map<string, number>> {
  const traces = new Map<string, number>()
  let cursor: string | null = null
  do {
    const page = await client.listTraces({ range: '24h', limit: '500', ...(cursor ? { cursor } : {}) })
    expect(page.status, JSON.stringify(page.json)).toBe(200)
    for (const trace of page.json.traces as { trace_id: string; span_count: number }[]) traces.set(trace.trace_id, trace.span_count)
    cursor = page.json.next_cursor
  } while (cursor)
  return traces
}

describe('backup and restore of the embedded stores', () => {
  it('restores everything acknowledged before a backup taken while four clients ingest', async () => {
    // What an operator has set up: two projects (one with a second key), a member, a price,
    // a saved view with a share link.
    const alpha = await createProject(source.url, 'alpha')
    const beta = await createProject(source.url, 'beta')
    const secondKey = await admin(source, 'POST', `/api/v1/projects/${beta.id}/keys`, { name: 'second', scopes: ['ingest', 'read'] })
    expect(secondKey.status).toBe(201)
    const betaSecond = new FlightlineClient(source.url, secondKey.json.key ?? secondKey.json.api_key)
    await createUser(source.url, { email: 'member@backup.test', password: 'member-password-1', role: 'member', projects: [alpha.id] })
    expect((await admin(source, 'PUT', '/api/v1/prices/backup-model-1', { provider: 'acme', input_per_mtok: 1.25, output_per_mtok: 5 })).status).toBe(200)
    const view = await alpha.client.request('POST', '/api/v1/views', { name: 'backup-incident-view', path: `/projects/${alpha.id}/traces`, state: { range: '24h' } })
    expect(view.status).toBe(201)
    const share = await alpha.client.request('POST', `/api/v1/views/${view.json.id}/share`, {})
    expect(share.status).toBe(201)

    // Four clients ingest; the backup begins while they do, and they go on until it is done.
    const sent: Sent[] = []
    let stopping = false
    const clients = [alpha.client, beta.client, betaSecond]
    const loops = [0, 1, 2, 3].map((id) => ingestLoop(id + 1, clients, () => stopping, sent))
    await new Promise((r) => setTimeout(r, 3000))
    const out = path.join(scratch, 'taken-while-ingesting')
    const backupBegan = Date.now()
    const backup = await npmRun('backup', ['--out', out], { FLIGHTLINE_DATA_DIR: source.dataDir, PORT: String(source.port), FLIGHTLINE_ADMIN_TOKEN: ADMIN_TOKEN })
    const backupEnded = Date.now()
    await new Promise((r) => setTimeout(r, 1000))
    stopping = true
    await Promise.all(loops)
    expect(backup.code, backup.output).toBe(0)
    expect(backup.output).toMatch(new RegExp(`written to ${out}`))

    const ackedBefore = sent.filter((s) => s.status === 200 && s.ackedAt < backupBegan)
    const ackedDuringOrAfter = sent.filter((s) => s.status === 200 && s.ackedAt >= backupBegan)
    expect(ackedBefore.length).toBeGreaterThan(8)
    expect(ackedDuringOrAfter.length).toBeGreaterThan(0)
    expect(sent.filter((s) => s.status !== 200 && s.status !== 503)).toEqual([])

    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'))
    expect(Date.parse(manifest.started_at)).toBeGreaterThanOrEqual(backupBegan - 1000)
    expect(Date.parse(manifest.finished_at)).toBeLessThanOrEqual(backupEnded)
    expect(manifest.clickhouse.migrations).toContain('0001_spans.sql')
    expect(manifest.clickhouse.rows.spans).toBeGreaterThanOrEqual(ackedBefore.length * SPANS_PER_TRACE)
    expect(manifest.postgres.rows).toMatchObject({ projects: 2, share_links: 1, saved_views: 1 })
    expect(manifest.postgres.migrations).toBeGreaterThan(0)

    // Restoring over the running server's directory is refused, and changes nothing.
    const refused = await npmRun('restore', ['--from', out, '--data-dir', source.dataDir], {})
    expect(refused.code).toBe(1)
    expect(refused.output).toMatch(new RegExp(`in use by a running Flightline process \\(pid ${source.process.pid}\\)`))
    expect((await alpha.client.listTraces({ range: '24h', limit: '1' })).status).toBe(200)

    // A fresh directory, a server on it.
    // A directory that does not exist yet, inside the scratch space removed afterwards.
    const target = path.join(scratch, 'restored-data')
    const restore = await npmRun('restore', ['--from', out, '--data-dir', target], {})
    expect(restore.code, restore.output).toBe(0)
    expect(restore.output).toMatch(/restored the backup of/)
    restored = await startServer({ dataDir: target })

    // Every span acknowledged before the backup began, in its project.
    const at = (client: FlightlineClient) => new FlightlineClient(restored!.url, client.key)
    const found = new Map<string, Map<string, number>>()
    for (const client of [alpha.client, beta.client]) found.set(client.key, await allTraces(at(client)))
    const missing = ackedBefore.filter((s) => {
      const project = s.client === betaSecond ? beta.client.key : s.client.key
      return found.get(project)!.get(s.traceId) !== SPANS_PER_TRACE
    })
    expect(missing.map((s) => s.traceId)).toEqual([])
    const one = await at(alpha.client).getTrace(ackedBefore.find((s) => s.client === alpha.client)!.traceId)
    expect(one.status).toBe(200)
    expect(one.json.spans).toHaveLength(SPANS_PER_TRACE)

    // Every project and key works: each ingests and reads in its own project only.
    for (const client of clients) {
      const restoredClient = at(client)
      const traceId = `${Math.random().toString(16).slice(2).padEnd(32, '0')}`.slice(0, 32)
      const written = await restoredClient.sendSpans([{ trace_id: traceId, span_id: 'after', name: 'after restore', start_time: new Date().toISOString() }])
      expect(written.status, JSON.stringify(written.json)).toBe(200)
      expect((await restoredClient.getTrace(traceId)).status).toBe(200)
    }
    expect((await at(beta.client).getTrace(ackedBefore.find((s) => s.client === alpha.client)!.traceId)).status).toBe(404)

    // The member signs in; the view, its share link and the price are there.
    expect((await login(restored.url, 'member@backup.test', 'member-password-1')).status).toBe(200)
    const restoredView = await at(alpha.client).request('GET', `/api/v1/views/${view.json.id}`)
    expect(restoredView.status).toBe(200)
    expect(restoredView.json.name).toBe('backup-incident-view')
    expect((await fetch(`${restored.url}/api/v1/shares/${share.json.token}`)).status).toBe(200)
    const sharedPage = await fetch(`${restored.url}/s/${share.json.token}`)
    expect(sharedPage.status).toBe(200)
    expect(await sharedPage.text()).toContain('backup-incident-view')
    const prices = await admin(restored, 'GET', '/api/v1/prices')
    expect(prices.json.prices.find((p: { model: string }) => p.model === 'backup-model-1')).toMatchObject({ provider: 'acme', input_per_mtok: 1.25, output_per_mtok: 5 })
  }, 600_000)

  it('answers the admin backup API with clear refusals, and takes a backup into the default directory', async () => {
    const noToken = await fetch(`${source.url}/api/v1/admin/backup`, { method: 'POST' })
    expect(noToken.status).toBe(401)
    const project = await createProject(source.url, 'not-admin')
    const withKey = await fetch(`${source.url}/api/v1/admin/backup`, { method: 'POST', headers: { Authorization: `Bearer ${project.api_key}` } })
    expect(withKey.status).toBe(403)
    const relative = await admin(source, 'POST', '/api/v1/admin/backup', { out: 'backups/today' })
    expect(relative.status).toBe(400)
    expect(relative.json.error).toMatch(/absolute path/)
    const inside = await admin(source, 'POST', '/api/v1/admin/backup', { out: path.join(source.dataDir, 'backup') })
    expect(inside.status).toBe(400)
    expect(inside.json.error).toMatch(/outside the data directory/)
    const occupied = path.join(scratch, 'occupied')
    fs.mkdirSync(occupied)
    fs.writeFileSync(path.join(occupied, 'keep.txt'), 'mine')
    const notEmpty = await admin(source, 'POST', '/api/v1/admin/backup', { out: occupied })
    expect(notEmpty.status).toBe(409)
    expect(fs.readFileSync(path.join(occupied, 'keep.txt'), 'utf8')).toBe('mine')
    expect((await admin(source, 'POST', '/api/v1/admin/backup', { out: 5 })).status).toBe(400)

    const taken = await admin(source, 'POST', '/api/v1/admin/backup')
    expect(taken.status, JSON.stringify(taken.json)).toBe(201)
    expect(path.dirname(taken.json.out)).toBe(path.join(scratch, 'default'))
    expect(fs.existsSync(path.join(taken.json.out, 'manifest.json'))).toBe(true)
    expect(taken.json.manifest.postgres.rows.projects).toBeGreaterThanOrEqual(1)

    const restoreNoManifest = await npmRun('restore', ['--from', occupied, '--data-dir', path.join(scratch, 'never')], {})
    expect(restoreNoManifest.code).toBe(1)
    expect(restoreNoManifest.output).toMatch(/not a complete Flightline backup/)
    const nonEmptyTarget = await npmRun('restore', ['--from', taken.json.out, '--data-dir', occupied], {})
    expect(nonEmptyTarget.code).toBe(1)
    expect(nonEmptyTarget.output).toMatch(/is not empty/)
  }, 300_000)
})
