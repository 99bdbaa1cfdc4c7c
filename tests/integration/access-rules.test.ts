// Who may do what, probed as a hostile caller would: the login limiter keys on the address the
// connection really comes from (forwarding headers count only from configured proxies), a share
// link shows its saved view and nothing reachable by editing its URL, and only administrators
// create API keys, whichever door they use.
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { ADMIN_EMAIL, ADMIN_PASSWORD, createProject, createUser, login, startServer, type TestServer } from '../harness'

const baseUrl = inject('baseUrl')
const stamp = Date.now().toString(36)
const servers: TestServer[] = []
afterAll(async () => {
  for (const server of servers) {
    await server.stop()
    fs.rmSync(server.dataDir, { recursive: true, force: true })
  }
})

/** Signs in over a connection from `localAddress` (any 127.x.y.z is this machine). */
function loginFrom(url: string, localAddress: string, email: string, password: string, headers: Record<string, string> = {}): Promise<number> {
  const body = JSON.stringify({ email, password })
  return new Promise((resolve, reject) => {
    const request = http.request(`${url}/api/auth/login`, { method: 'POST', localAddress, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...headers } }, (response) => {
      response.resume()
      response.on('end', () => resolve(response.statusCode ?? 0))
    })
    request.on('error', reject)
    request.end(body)
  })
}

/** 20 failed sign-ins (the per-address allowance) from one address, over five accounts. */
async function exhaustAddress(url: string, localAddress: string, headersFor: (i: number) => Record<string, string>, label: string) {
  for (let i = 0; i < 20; i++) {
    const status = await loginFrom(url, localAddress, `${label}-${i % 5}@limiter.test`, `wrong-password-${i}`, headersFor(i))
    expect(status).toBe(401)
  }
}

describe('login limiter and forwarding headers', () => {
  it('keys on the socket address by default: a rotated X-Forwarded-For escapes nothing, and a forged one locks out no victim', async () => {
    await createUser(baseUrl, { email: `limiter-${stamp}@x.test`, password: 'limiter-password', role: 'viewer' })
    const attacker = '127.0.31.1'
    const victim = '127.0.31.2'
    // Rotating the header, the attacker uses up their own address's allowance...
    await exhaustAddress(baseUrl, attacker, (i) => ({ 'X-Forwarded-For': `198.51.100.${i + 1}` }), `rotate-${stamp}`)
    // ...so even a right password from that address now waits.
    expect(await loginFrom(baseUrl, attacker, `limiter-${stamp}@x.test`, 'limiter-password', { 'X-Forwarded-For': '198.51.100.200' })).toBe(429)
    // Claiming to be the victim's address spent the attacker's allowance, not the victim's.
    const forger = '127.0.31.3'
    await exhaustAddress(baseUrl, forger, () => ({ 'X-Forwarded-For': victim }), `forge-${stamp}`)
    expect(await loginFrom(baseUrl, victim, `limiter-${stamp}@x.test`, 'limiter-password')).toBe(200)
  }, 180_000)

  it('reads X-Forwarded-For only from a configured proxy', async () => {
    const server = await startServer({ env: { FLIGHTLINE_TRUSTED_PROXIES: '127.0.32.1, 10.0.0.0/8' } })
    servers.push(server)
    const proxy = '127.0.32.1'
    // Behind the proxy, two clients are told apart by the address the proxy reports.
    await exhaustAddress(server.url, proxy, () => ({ 'X-Forwarded-For': '203.0.113.7' }), 'behind-proxy')
    expect(await loginFrom(server.url, proxy, ADMIN_EMAIL, ADMIN_PASSWORD, { 'X-Forwarded-For': '203.0.113.7' })).toBe(429)
    expect(await loginFrom(server.url, proxy, ADMIN_EMAIL, ADMIN_PASSWORD, { 'X-Forwarded-For': '203.0.113.8' })).toBe(200)
    // A client may put anything before the proxy's entry; the proxy's own entry (the last) counts.
    expect(await loginFrom(server.url, proxy, ADMIN_EMAIL, ADMIN_PASSWORD, { 'X-Forwarded-For': '203.0.113.9, 203.0.113.7' })).toBe(429)
    // An address that is not a configured proxy is keyed on itself, whatever it claims.
    const direct = '127.0.32.2'
    await exhaustAddress(server.url, direct, (i) => ({ 'X-Forwarded-For': `203.0.113.${100 + i}` }), 'direct')
    expect(await loginFrom(server.url, direct, ADMIN_EMAIL, ADMIN_PASSWORD, { 'X-Forwarded-For': '203.0.113.250' })).toBe(429)
  }, 240_000)

  it('refuses to start with a malformed FLIGHTLINE_TRUSTED_PROXIES, naming it', async () => {
    const server = await startServer({ env: { FLIGHTLINE_TRUSTED_PROXIES: '10.0.0.0/8, not-an-address' }, waitReady: false })
    servers.push(server)
    expect(await server.exited).not.toBe(0)
    expect(server.output()).toContain('FLIGHTLINE_TRUSTED_PROXIES')
    expect(server.output()).toContain('not-an-address')
  }, 180_000)
})

describe('share links show their saved view only', () => {
  const HOUR = 3_600_000
  const start = Math.floor(Date.now() / HOUR) * HOUR - 6 * HOUR
  const range = { from: new Date(start - HOUR).toISOString(), to: new Date(start + 4 * HOUR).toISOString() }
  let project: Awaited<ReturnType<typeof createProject>>
  const privateTrace = `private-${stamp}`

  beforeAll(async () => {
    project = await createProject(baseUrl, 'share-scope')
    const call = (trace: string, user: string, segment: string, minute: number) => ({
      trace_id: trace,
      span_id: `${trace}-llm`,
      name: 'chat',
      kind: 'llm',
      start_time: new Date(start + minute * 60_000).toISOString(),
      end_time: new Date(start + minute * 60_000 + 500).toISOString(),
      model_requested: segment === 'economy' ? 'gpt-4o-mini' : 'gpt-4o',
      route_segment: segment,
      user_id: user,
      tenant_id: 'acme',
    })
    const sent = await project.client.sendSpans([
      call(`switch-a-${stamp}`, 'switcher', 'economy', 1),
      call(`switch-b-${stamp}`, 'switcher', 'premium', 90),
      call(privateTrace, 'private-user', 'economy', 30),
    ])
    expect(sent.status).toBe(200)
  })

  async function shareRouting(state: Record<string, string>): Promise<string> {
    const view = await project.client.request('POST', '/api/v1/views', { name: 'routing', path: `/projects/${project.id}/analytics/routing`, state })
    expect(view.status).toBe(201)
    const share = await project.client.request('POST', `/api/v1/views/${view.json.id}/share`, {})
    expect(share.status).toBe(201)
    return share.json.token
  }

  it('does not open a user timeline the view did not show, whatever the URL asks', async () => {
    const token = await shareRouting(range)
    const plain = await (await fetch(`${baseUrl}/s/${token}`)).text()
    expect(plain).toContain('switcher')
    expect(plain).not.toContain(privateTrace)

    const edited = await fetch(`${baseUrl}/s/${token}?user=private-user`)
    expect(edited.status).toBe(200)
    const html = await edited.text()
    expect(html).not.toContain(privateTrace)
    expect(html).not.toContain('Timeline of private-user')
    // Nor can the URL change what the view selects: its range, grouping or filters.
    const regrouped = await (await fetch(`${baseUrl}/s/${token}?by=model&from=2000-01-01T00:00:00Z&range=30d`)).text()
    expect(regrouped).not.toContain('gpt-4o-mini')
  })

  it('shows a timeline the saved view itself showed', async () => {
    const token = await shareRouting({ ...range, user: 'private-user' })
    const html = await (await fetch(`${baseUrl}/s/${token}`)).text()
    expect(html).toContain(privateTrace)
  })
})

describe('who may create API keys', () => {
  /** The id Next gave a server action in this build, from the build's own manifest. */
  function actionId(exportedName: string): string {
    const manifestPath = path.join(process.env.FLIGHTLINE_DIST_DIR || '.next', 'server', 'server-reference-manifest.json')
    const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as { node: Record<string, { exportedName?: string }> }
    const id = Object.entries(manifest.node).find(([, entry]) => entry.exportedName === exportedName)?.[0]
    if (!id) throw new Error(`no server action ${exportedName} in ${manifestPath}`)
    return id
  }

  /** Calls the onboarding key action as the page's button does; returns the raw action answer. */
  async function onboardingKey(projectId: string, cookie: string): Promise<string> {
    const response = await fetch(`${baseUrl}/projects/${projectId}/traces`, {
      method: 'POST',
      headers: { Cookie: cookie, Origin: baseUrl, 'Next-Action': actionId('createOnboardingKeyAction'), Accept: 'text/x-component', 'Content-Type': 'text/plain;charset=UTF-8' },
      body: JSON.stringify([projectId]),
    })
    expect(response.status).toBe(200)
    return response.text()
  }

  it('gives a member no key through the onboarding action, the keys API or the admin page; an administrator gets one', async () => {
    const project = await createProject(baseUrl, 'key-rule')
    const email = `key-member-${stamp}@x.test`
    await createUser(baseUrl, { email, password: 'member-password', role: 'member', projects: [project.id] })
    const member = (await login(baseUrl, email, 'member-password')).cookie!

    const denied = await onboardingKey(project.id, member)
    expect(denied).not.toMatch(/fl_[A-Za-z0-9_-]{32}/)
    expect(denied).toContain('only administrators can create API keys')

    const api = await fetch(`${baseUrl}/api/v1/projects/${project.id}/keys`, { method: 'POST', headers: { Cookie: member, Origin: baseUrl, 'Content-Type': 'application/json' }, body: '{}' })
    expect(api.status).toBe(403)
    expect(((await api.json()) as { error: string }).error).toContain('only administrators can create API keys')
    // The admin page answers a member with the 403 page, which offers no key.
    const adminPage = await fetch(`${baseUrl}/admin`, { headers: { Cookie: member } })
    expect(adminPage.status).toBe(403)
    expect(await adminPage.text()).not.toMatch(/fl_[A-Za-z0-9_-]{32}/)

    const admin = (await login(baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD)).cookie!
    const granted = await onboardingKey(project.id, admin)
    const key = /fl_[A-Za-z0-9_-]{32}/.exec(granted)?.[0]
    expect(key).toBeDefined()
    const list = await fetch(`${baseUrl}/api/v1/traces`, { headers: { Authorization: `Bearer ${key}` } })
    expect(list.status).toBe(200)
  })
})
