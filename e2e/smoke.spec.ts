import { expect, test } from '@playwright/test'

test('creates a project in the UI, sends a span with its key, and sees the trace', async ({ page, request }) => {
  await page.goto('/')
  await expect(page.getByRole('heading', { name: 'Projects' })).toBeVisible()
  await page.getByLabel('Project name').fill('e2e-smoke')
  await page.getByRole('button', { name: 'Create project' }).click()
  const key = (await page.getByTestId('api-key').textContent())!.trim()
  expect(key).toMatch(/^fl_/)

  const traceId = `e2e-${Date.now()}`
  const sent = await request.post('/api/v1/spans', {
    headers: { Authorization: `Bearer ${key}` },
    data: { spans: [{ trace_id: traceId, span_id: 'root', name: 'support-agent', kind: 'agent', start_time: new Date().toISOString() }] },
  })
  expect(sent.status()).toBe(200)

  await page.getByRole('link', { name: 'e2e-smoke' }).first().click()
  await expect(page.getByTestId('traces-table')).toContainText('support-agent')
  await page.screenshot({ path: 'test-results/e2e/smoke-traces.png', fullPage: true })
})
