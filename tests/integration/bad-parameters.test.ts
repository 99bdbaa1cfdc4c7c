// Bad parameters get a 400 JSON answer that names the parameter, never a 500: dates outside what
// the store holds, time zones the store does not know, paths that are not valid percent-encoding,
// and an opaque `Origin: null` on a cookie-authenticated mutation.
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { ADMIN_EMAIL, ADMIN_PASSWORD, createProject, login } from '../harness'

const baseUrl = inject('baseUrl')
let project: Awaited<ReturnType<typeof createProject>>

beforeAll(async () => {
  project = await createProject(baseUrl, 'bad-parameters')
})

async function get(path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${baseUrl}${path}`, { headers: { Authorization: `Bearer ${project.api_key}`, ...headers } })
  const text = await response.text()
  let json: { error?: string; code?: string; tz?: string } | undefined
  try {
    json = JSON.parse(text)
  } catch {
    json = undefined
  }
  return { status: response.status, type: response.headers.get('content-type'), json, text }
}

describe('dates outside what the store holds', () => {
  const endpoints = ['/api/v1/analytics/overview', '/api/v1/analytics/cache', '/api/v1/analytics/routing', '/api/v1/analytics/diurnal', '/api/v1/traces']
  for (const endpoint of endpoints) {
    for (const [name, value] of [
      ['to', '9999-12-31T23:59:59Z'],
      ['to', '0001-01-01T00:00:00Z'],
      ['from', '0001-01-01T00:00:00Z'],
    ] as const) {
      it(`${endpoint}?${name}=${value} is a 400 naming ${name}`, async () => {
        const answer = await get(`${endpoint}?${name}=${value}`)
        expect(answer.status, answer.text).toBe(400)
        expect(answer.json?.error).toMatch(new RegExp(`^${name}: .*between`))
      })
    }
  }
})

describe('time zones', () => {
  it('accepts a known zone in any letter case, answering with its proper name', async () => {
    for (const [asked, named] of [
      ['utc', 'UTC'],
      ['america/new_york', 'America/New_York'],
      ['Europe/Berlin', 'Europe/Berlin'],
    ]) {
      const answer = await get(`/api/v1/analytics/diurnal?tz=${encodeURIComponent(asked)}`)
      expect(answer.status, answer.text).toBe(200)
      expect(answer.json?.tz).toBe(named)
    }
  })

  it('refuses a zone the store does not know with a 400 naming tz', async () => {
    // Mars/Olympus is no zone at all; America/Coyhaique is newer than some time zone databases.
    for (const zone of ['Mars/Olympus', 'America/Coyhaique', 'utc+25']) {
      const answer = await get(`/api/v1/analytics/diurnal?tz=${encodeURIComponent(zone)}`)
      if (answer.status === 200) continue // the store knows it after all: fine
      expect(answer.status, `${zone}: ${answer.text}`).toBe(400)
      expect(answer.json?.error).toMatch(/^tz: /)
    }
    const unknown = await get('/api/v1/analytics/diurnal?tz=Mars/Olympus')
    expect(unknown.status).toBe(400)
  })
})

describe('paths that are not valid percent-encoding', () => {
  for (const path of ['/api/v1/traces/%FF%FE', '/api/v1/traces/abc/spans/%FF', '/api/v1/traces/%FF/scores', '/api/v1/views/%FF%FE', '/api/v1/shares/%FF%FE']) {
    it(`GET ${path} is a 400 JSON answer`, async () => {
      const answer = await get(path)
      expect(answer.status, answer.text).toBe(400)
      expect(answer.type).toMatch(/application\/json/)
      expect(answer.json?.error).toMatch(/percent-encoding/)
    })
  }

  it('a page path that is not valid percent-encoding is a 400 page', async () => {
    const response = await fetch(`${baseUrl}/projects/%FF%FE/traces`)
    expect(response.status).toBe(400)
  })
})

describe('cookie-authenticated mutations', () => {
  it('refuses Origin: null with a 403 naming the Origin header, not a 500', async () => {
    const cookie = (await login(baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD)).cookie!
    const response = await fetch(`${baseUrl}/api/v1/views?project=${project.id}`, {
      method: 'POST',
      headers: { Cookie: cookie, Origin: 'null', 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'x', path: `/projects/${project.id}/traces`, state: {} }),
    })
    expect(response.status).toBe(403)
    const json = (await response.json()) as { error: string }
    expect(json.error).toMatch(/Origin/)
  })
})
