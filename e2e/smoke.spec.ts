import { expect, test } from '@playwright/test'

test('first run: create the administrator, a project, send a span with its key, see the trace', async ({ page, request }) => {
  await page.goto('/')
  await expect(page).toHaveURL(/\/setup$/)
  await page.getByLabel('Email').fill('admin@e2e.test')
  await page.getByLabel('Password (at least 10 characters)').fill('e2e-admin-password')
  await page.getByLabel('Password again').fill('e2e-admin-password')
  await page.getByRole('button', { name: 'Create administrator' }).click()

  await expect(page.getByRole('heading', { name: 'Projects' })).toBeVisible()
  await page.getByLabel('Project name').fill('e2e-smoke')
  await page.getByRole('button', { name: 'Create project' }).click()
  const key = (await page.getByTestId('api-key').textContent())!.trim()
  expect(key).toMatch(/^fl_/)
  // The list above the form shows the new project at once, and the key has a copy button.
  await expect(page.getByText('No projects yet')).toHaveCount(0)
  await expect(page.locator('main ul').getByRole('link', { name: 'e2e-smoke' })).toBeVisible()
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'])
  await page.getByRole('button', { name: 'Copy key' }).click()
  await expect(page.getByRole('button', { name: 'Copied' })).toBeVisible()
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key)

  const traceId = `e2e-${Date.now()}`
  const sent = await request.post('/api/v1/spans', {
    headers: { Authorization: `Bearer ${key}` },
    data: { spans: [{ trace_id: traceId, span_id: 'root', name: 'support-agent', kind: 'agent', start_time: new Date().toISOString() }] },
  })
  expect(sent.status()).toBe(200)

  await page.getByRole('link', { name: 'e2e-smoke' }).first().click()
  await expect(page.getByTestId('traces-table')).toContainText('support-agent')
  await page.screenshot({ path: 'test-results/e2e/smoke-traces.png', fullPage: true })

  // Signing out ends the session: the project page now asks to sign in.
  await page.getByRole('button', { name: 'Sign out' }).click()
  await expect(page).toHaveURL(/\/login/)
  await page.goto(`/`)
  await expect(page).toHaveURL(/\/login/)
  await page.getByLabel('Email').fill('admin@e2e.test')
  await page.getByLabel('Password').fill('not-the-password')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByText('Wrong email or password.')).toBeVisible()
  await page.getByLabel('Password').fill('e2e-admin-password')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('heading', { name: 'Projects' })).toBeVisible()
})
