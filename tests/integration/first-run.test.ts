// First-run setup on a fresh server: the setup form creates the administrator once. Submitted
// several times at the same moment, exactly one submission wins and the others are sent to the
// login page. The form is posted as a browser without JavaScript posts it (Next's progressive
// enhancement of server actions), over real HTTP.
import fs from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { login, startServer, type TestServer } from '../harness'

let server: TestServer | undefined
afterAll(async () => {
  await server?.stop()
  if (server) fs.rmSync(server.dataDir, { recursive: true, force: true })
})

/** The hidden fields React renders into the setup form (the action reference and its state). */
async function setupFormFields(baseUrl: string): Promise<Array<[string, string]>> {
  const html = await (await fetch(`${baseUrl}/setup`)).text()
  const form = /<form[^>]*method="POST"[^>]*>([\s\S]*?)<\/form>/.exec(html)?.[1]
  if (!form) throw new Error(`no setup form on /setup:\n${html.slice(0, 500)}`)
  const unescape = (value: string) => value.replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')
  return [...form.matchAll(/<input type="hidden" name="([^"]+)"(?: value="([^"]*)")?\/>/g)].map((m) => [m[1], unescape(m[2] ?? '')])
}

describe('first-run setup', () => {
  it('creates exactly one administrator when five setups are submitted at once; the others get the login page', async () => {
    server = await startServer({ env: { FLIGHTLINE_ADMIN_EMAIL: '', FLIGHTLINE_ADMIN_PASSWORD: '' } })
    const baseUrl = server.url
    expect((await fetch(`${baseUrl}/`, { redirect: 'manual' })).headers.get('location')).toMatch(/\/setup$/)
    const hidden = await setupFormFields(baseUrl)
    expect(hidden.length).toBeGreaterThan(0)

    const emails = Array.from({ length: 5 }, (_, i) => `first-${i}@setup.test`)
    const password = 'first-run-password'
    const answers = await Promise.all(
      emails.map(async (email) => {
        const form = new FormData()
        for (const [name, value] of hidden) form.append(name, value)
        form.append('name', email)
        form.append('email', email)
        form.append('password', password)
        form.append('confirm', password)
        const response = await fetch(`${baseUrl}/setup`, { method: 'POST', body: form, redirect: 'manual', headers: { Origin: baseUrl } })
        return { email, status: response.status, location: response.headers.get('location'), cookie: response.headers.get('set-cookie') }
      }),
    )
    // Every submission is redirected: one to the app with a session, the rest to the login page.
    for (const answer of answers) expect(answer.status, JSON.stringify(answer)).toBe(303)
    const winners = answers.filter((a) => a.location === '/')
    expect(winners).toHaveLength(1)
    expect(winners[0].cookie).toMatch(/^fl_session=/)
    expect(answers.filter((a) => a.location === '/login')).toHaveLength(4)

    // Only the winner's account exists.
    const signIns = await Promise.all(emails.map(async (email) => [email, (await login(baseUrl, email, password)).status] as const))
    expect(signIns.filter(([, status]) => status === 200).map(([email]) => email)).toEqual([winners[0].email])

    // Setup is closed from now on.
    expect((await fetch(`${baseUrl}/setup`, { redirect: 'manual' })).headers.get('location')).toMatch(/\/login$/)
  }, 180_000)
})
