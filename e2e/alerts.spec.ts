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
})
