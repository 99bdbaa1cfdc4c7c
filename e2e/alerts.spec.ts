// The Alerts and Incidents pages in Chromium: the empty states, creating a monitor through the
// form (its signing secret shown once), testing its webhook against a receiver in this process,
// muting it, and the monitor's row. Each page is screenshotted.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { expect, test, type Page } from '@playwright/test'

const ADMIN = { email: 'admin@e2e.test', password: 'e2e-admin-password' }
const ADMIN_TOKEN = 'e2e-admin-token-0123456789'
const SHOTS = 'test-results/e2e'

async function signIn(page: Page) {
  await page.goto('/login')
  await page.getByLabel('Email').fill(ADMIN.email)
  await page.getByLabel('Password').fill(ADMIN.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('heading', { name: 'Projects' })).toBeVisible()
}

test.describe('alerts', () => {
  test.describe.configure({ mode: 'serial', timeout: 120_000 })
  let project: { id: string; api_key: string }
  const received: Array<{ event: string; signature: string }> = []
  const receiver = http.createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      received.push({ event: String(req.headers['x-flightline-event']), signature: String(req.headers['x-flightline-signature']) })
      res.end('ok')
    })
  })
  let hook = ''

  test.beforeAll(async ({ baseURL }) => {
    const response = await fetch(`${baseURL}/api/v1/projects`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'e2e-alerts' }),
    })
    expect(response.status).toBe(201)
    project = await response.json()
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
    hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`
  })
  test.afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())))
  test.beforeEach(async ({ page }) => signIn(page))

  test('empty pages tell a newcomer what to do', async ({ page }) => {
    await page.goto(`/projects/${project.id}/alerts`)
    await expect(page.getByRole('heading', { name: 'Alerts' })).toBeVisible()
    await expect(page.getByTestId('no-monitors')).toContainText('No monitors yet')
    await page.screenshot({ path: `${SHOTS}/alerts-empty.png`, fullPage: true })
    await page.getByRole('link', { name: 'Incidents' }).first().click()
    await expect(page.getByRole('heading', { name: 'Incidents' })).toBeVisible()
    await expect(page.getByTestId('no-incidents')).toContainText('No incidents yet')
    await page.screenshot({ path: `${SHOTS}/incidents-empty.png`, fullPage: true })
  })

  test('create, test and mute a monitor', async ({ page }) => {
    await page.goto(`/projects/${project.id}/alerts`)
    const form = page.getByTestId('new-monitor-form')
    await form.getByLabel('Name').fill('Component errors')
    await form.getByLabel('Type').selectOption('error_spike')
    await expect(form).toContainText('"component_kind":"all"')
    await form.getByLabel('Webhook URL 1').fill(hook)
    await form.getByRole('button', { name: 'Create monitor' }).click()
    await expect(page.getByTestId('channel-secrets').getByRole('textbox')).toHaveValue(/^whsec_[A-Za-z0-9_-]{43}$/)
    const row = page.getByTestId('monitor-row').filter({ hasText: 'Component errors' })
    await expect(row).toContainText('error_spike')
    // Bad params are refused with the parameter named.
    await form.getByLabel('Name').fill('Too slow')
    await form.getByLabel('Type').selectOption('latency')
    await form.getByLabel('Params').fill('{"threshold_ms": -5}')
    await form.getByRole('button', { name: 'Create monitor' }).click()
    await expect(form.getByRole('alert')).toContainText('params.threshold_ms')
    // What was typed stays in the form, to be corrected.
    await expect(form.getByLabel('Name')).toHaveValue('Too slow')
    await expect(form.getByLabel('Params')).toHaveValue('{"threshold_ms": -5}')

    await row.getByRole('button', { name: 'Test' }).click()
    await expect(row).toContainText('delivered')
    expect(received.map((r) => r.event)).toEqual(['monitor.test'])
    expect(received[0].signature).toMatch(/^sha256=[0-9a-f]{64}$/)

    await row.getByRole('button', { name: 'Mute' }).click()
    await expect(row).toContainText('muted')
    await expect(row).toContainText(/ok|pending/)
    await page.screenshot({ path: `${SHOTS}/alerts-monitors.png`, fullPage: true })
  })

  test('backtest a monitor over the last 7 days before it pages anyone', async ({ page, baseURL }) => {
    // Six days of an agent calling kb.search every 10 minutes; two days ago it failed for three hours.
    const now = Date.now()
    const outage = Math.floor((now - 2 * 86_400_000) / 3_600_000) * 3_600_000
    const spans = []
    for (let t = now - 6 * 86_400_000, i = 0; t < now - 600_000; t += 600_000, i++) {
      const failing = t >= outage && t < outage + 3 * 3_600_000
      for (let k = 0; k < 4; k++) {
        const id = `${i.toString(16).padStart(8, '0')}${k}`
        spans.push({
          trace_id: `bt${id}`,
          span_id: `bt${id}`,
          name: 'kb.search',
          kind: 'tool',
          tool_name: 'kb.search',
          start_time: new Date(t + k * 60_000).toISOString(),
          end_time: new Date(t + k * 60_000 + 120).toISOString(),
          status: failing && k < 3 ? 'error' : 'ok',
          ...(failing && k < 3 ? { error_type: 'timeout' } : {}),
        })
      }
    }
    const sent = await fetch(`${baseURL}/api/v1/spans`, { method: 'POST', headers: { Authorization: `Bearer ${project.api_key}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ spans }) })
    expect(sent.status).toBe(200)

    await page.goto(`/projects/${project.id}/alerts`)
    const form = page.getByTestId('new-monitor-form')
    await form.getByLabel('Type').selectOption('error_spike')
    await form.getByLabel('Params').fill('{"component_kind": "tool", "threshold": 0.2, "window_s": 3600}')
    await form.getByRole('button', { name: 'Backtest last 7 days' }).click()
    const result = page.getByTestId('backtest-result')
    await expect(result).toContainText(/Would have fired in [1-4] of 168 evaluations of the last 7 days \(one every 1 h\)/, { timeout: 60_000 })
    await expect(result).toContainText('kb.search')
    await page.screenshot({ path: `${SHOTS}/alerts-backtest.png`, fullPage: true })
    // Nothing was created by it.
    await expect(page.getByTestId('monitor-row').filter({ hasText: 'kb.search' })).toHaveCount(0)

    // A bad params value is named, as on save.
    await form.getByLabel('Params').fill('{"threshold": 2}')
    await form.getByRole('button', { name: 'Backtest last 7 days' }).click()
    await expect(form.getByRole('alert')).toContainText('params.threshold')
  })
})
