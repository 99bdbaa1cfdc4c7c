// Accounts, roles, saved views and share links, through the real HTTP API.
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { ADMIN_EMAIL, ADMIN_PASSWORD, createProject, createUser, FlightlineClient, login } from '../harness'

const baseUrl = inject('baseUrl')

type Project = Awaited<ReturnType<typeof createProject>>
let projectA: Project
let projectB: Project
const stamp = Date.now().toString(36)

async function call(method: string, path: string, init: { cookie?: string; key?: string; share?: string; body?: unknown; origin?: string } = {}) {
  const headers: Record<string, string> = {}
  if (init.cookie) headers.Cookie = init.cookie
  if (init.key) headers.Authorization = `Bearer ${init.key}`
  if (init.share) headers['X-Flightline-Share'] = init.share
  if (init.origin) headers.Origin = init.origin
  if (init.body !== undefined) headers['Content-Type'] = 'application/json'
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) })
  const text = await response.text()
  return { status: response.status, json: text ? JSON.parse(text) : null }
}

beforeAll(async () => {
  projectA = await createProject(baseUrl, 'accounts-a')
  projectB = await createProject(baseUrl, 'accounts-b')
  await projectA.client.sendSpans([{ trace_id: `a-${stamp}`, span_id: 'root', name: 'a-root', start_time: new Date().toISOString(), tenant_id: 'tenant-a' }])
  await projectB.client.sendSpans([{ trace_id: `b-${stamp}`, span_id: 'root', name: 'b-root', start_time: new Date().toISOString(), tenant_id: 'tenant-b' }])
})

describe('sessions and roles', () => {
  it('signs in the administrator from the environment, and refuses a wrong password', async () => {
    expect((await login(baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD)).status).toBe(200)
    expect((await login(baseUrl, ADMIN_EMAIL, 'wrong-password-1')).status).toBe(401)
  })

  it('lets a member read and write only in their projects, and a viewer only read', async () => {
    await createUser(baseUrl, { email: `member-${stamp}@x.test`, password: 'member-password', role: 'member', projects: [projectA.id] })
    await createUser(baseUrl, { email: `viewer-${stamp}@x.test`, password: 'viewer-password', role: 'viewer', projects: [projectA.id] })
    const member = (await login(baseUrl, `member-${stamp}@x.test`, 'member-password')).cookie!
    const viewer = (await login(baseUrl, `viewer-${stamp}@x.test`, 'viewer-password')).cookie!
    expect(member).toMatch(/^fl_session=/)

    const mine = await call('GET', `/api/v1/traces?project=${projectA.id}`, { cookie: member })
    expect(mine.status).toBe(200)
    expect(mine.json.traces.map((t: { name: string }) => t.name)).toContain('a-root')
    expect((await call('GET', `/api/v1/traces?project=${projectB.id}`, { cookie: member })).status).toBe(404)

    const view = { name: 'errors', path: `/projects/${projectA.id}/traces`, state: { status: 'error' } }
    expect((await call('POST', `/api/v1/views?project=${projectA.id}`, { cookie: member, body: view })).status).toBe(201)
    expect((await call('GET', `/api/v1/views?project=${projectA.id}`, { cookie: viewer })).status).toBe(200)
    const refused = await call('POST', `/api/v1/views?project=${projectA.id}`, { cookie: viewer, body: view })
    expect(refused.status).toBe(403)
    expect(refused.json.error).toMatch(/viewers/)
  })

  it('refuses cookie-authenticated mutations from another origin', async () => {
    const admin = (await login(baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD)).cookie!
    const view = { name: 'x', path: `/projects/${projectA.id}/traces`, state: {} }
    const cross = await call('POST', `/api/v1/views?project=${projectA.id}`, { cookie: admin, body: view, origin: 'https://evil.example' })
    expect(cross.status).toBe(403)
    const same = await call('POST', `/api/v1/views?project=${projectA.id}`, { cookie: admin, body: view, origin: baseUrl })
    expect(same.status).toBe(201)
  })

  it('slows login brute force with 429 and Retry-After', async () => {
    const email = `target-${stamp}@x.test`
    await createUser(baseUrl, { email, password: 'target-password', role: 'viewer' })
    const statuses: number[] = []
    for (let i = 0; i < 6; i++) statuses.push((await login(baseUrl, email, `guess-${i}-password`)).status)
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401])
    const locked = await login(baseUrl, email, 'target-password')
    expect(locked.status).toBe(429)
    expect(Number(locked.retryAfter)).toBeGreaterThan(0)
  })
})

describe('saved views and share links', () => {
  it('creates, lists, renames and deletes views in the key\'s project only', async () => {
    const created = await call('POST', '/api/v1/views', { key: projectA.api_key, body: { name: 'cache incident', path: `/projects/${projectA.id}/analytics/cache`, state: { range: '7d' } } })
    expect(created.status).toBe(201)
    expect(created.json).toMatchObject({ name: 'cache incident', state: { range: '7d' }, url: `/projects/${projectA.id}/analytics/cache?range=7d` })
    const id = created.json.id
    expect((await call('GET', `/api/v1/views/${id}`, { key: projectB.api_key })).status).toBe(404)
    expect((await call('PATCH', `/api/v1/views/${id}`, { key: projectA.api_key, body: { name: 'renamed' } })).json.name).toBe('renamed')
    const list = await call('GET', '/api/v1/views', { key: projectA.api_key })
    expect(list.json.views.map((v: { id: string }) => v.id)).toContain(id)
    expect((await call('GET', '/api/v1/views', { key: projectB.api_key })).json.views.map((v: { id: string }) => v.id)).not.toContain(id)
    const wrongProject = await call('POST', '/api/v1/views', { key: projectA.api_key, body: { name: 'x', path: `/projects/${projectB.id}/traces` } })
    expect(wrongProject.status).toBe(400)
    expect((await call('DELETE', `/api/v1/views/${id}`, { key: projectA.api_key })).status).toBe(204)
    expect((await call('GET', `/api/v1/views/${id}`, { key: projectA.api_key })).status).toBe(404)
  })

  it('issues unguessable share tokens that are not API keys, and revokes them', async () => {
    const view = await call('POST', '/api/v1/views', { key: projectA.api_key, body: { name: 'shared', path: `/projects/${projectA.id}/traces`, state: {} } })
    const share = await call('POST', `/api/v1/views/${view.json.id}/share`, { key: projectA.api_key, body: {} })
    expect(share.status).toBe(201)
    const token: string = share.json.token
    expect(token).toMatch(/^fls_[A-Za-z0-9_-]{43}$/) // 256 random bits
    expect(share.json.url).toBe(`${baseUrl}/s/${token}`)

    // Not an API key, in either header.
    expect((await new FlightlineClient(baseUrl, token).listTraces()).status).toBe(401)
    expect((await call('GET', `/api/v1/traces?project=${projectA.id}`, { share: token })).status).toBe(403)
    expect((await call('POST', '/api/v1/spans', { share: token, body: { spans: [] } })).status).toBe(403)

    // Only the project's keys can revoke it.
    expect((await call('DELETE', `/api/v1/shares/${token}`, { key: projectB.api_key })).status).toBe(404)
    expect((await call('DELETE', `/api/v1/shares/${token}`, { key: projectA.api_key })).status).toBe(204)
    expect((await call('DELETE', `/api/v1/shares/${token}`, { key: projectA.api_key })).status).toBe(404)
  })

  it('tells working, forged, revoked and expired links apart (200 / 404 / 410), and serves no data for them', async () => {
    const view = await call('POST', '/api/v1/views', { key: projectA.api_key, body: { name: 'expiring', path: `/projects/${projectA.id}/traces`, state: {} } })
    // The link must still work while its page renders (a shared traces list runs several
    // queries: seconds on a loaded machine), so it expires a while ahead, and the test waits for
    // that moment rather than for a fixed time.
    const expiresAt = Date.now() + 8000
    const share = await call('POST', `/api/v1/views/${view.json.id}/share`, { key: projectA.api_key, body: { expires_at: new Date(expiresAt).toISOString() } })
    const token: string = share.json.token
    const status = async (t: string) => (await fetch(`${baseUrl}/api/v1/shares/${t}`)).status
    const page = async (t: string) => (await fetch(`${baseUrl}/s/${t}`)).status
    expect(await status(token)).toBe(200)
    expect(await page(token)).toBe(200)
    const altered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`
    expect(await status(altered)).toBe(404)
    expect(await page(altered)).toBe(404)
    expect(await page('not-a-token')).toBe(404)
    const revokedShare = await call('POST', `/api/v1/views/${view.json.id}/share`, { key: projectA.api_key, body: {} })
    expect((await call('DELETE', `/api/v1/shares/${revokedShare.json.token}`, { key: projectA.api_key })).status).toBe(204)
    expect(await status(revokedShare.json.token)).toBe(410)
    const revoked = await fetch(`${baseUrl}/s/${revokedShare.json.token}`)
    expect(revoked.status).toBe(410)
    expect(await revoked.text()).not.toContain('a-root')
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAt - Date.now()) + 300))
    expect(await status(token)).toBe(410)
    const expired = await fetch(`${baseUrl}/s/${token}`)
    expect(expired.status).toBe(410)
    const html = await expired.text()
    expect(html).toContain('no longer works')
    expect(html).not.toContain('a-root')
  })

  it('refuses an expiry in the past or not a date', async () => {
    const view = await call('POST', '/api/v1/views', { key: projectA.api_key, body: { name: 'v', path: `/projects/${projectA.id}/traces` } })
    const past = await call('POST', `/api/v1/views/${view.json.id}/share`, { key: projectA.api_key, body: { expires_at: '2020-01-01T00:00:00Z' } })
    expect(past.status).toBe(400)
    expect(past.json.error).toMatch(/future/)
    expect((await call('POST', `/api/v1/views/${view.json.id}/share`, { key: projectA.api_key, body: { expires_at: 'soon' } })).status).toBe(400)
  })

  it('does not let a read-only key change views', async () => {
    const keyResponse = await fetch(`${baseUrl}/api/v1/projects/${projectA.id}/keys`, {
      method: 'POST',
      headers: { Authorization: 'Bearer test-admin-token-0123456789' },
      body: JSON.stringify({ scopes: ['read'] }),
    })
    const readKey = (await keyResponse.json()).key
    const refused = await call('POST', '/api/v1/views', { key: readKey, body: { name: 'v', path: `/projects/${projectA.id}/traces` } })
    expect(refused.status).toBe(403)
  })
})
