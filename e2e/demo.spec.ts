import { expect, test } from '@playwright/test'

test('an empty project loads demo data from its empty state and then lists the traces', async ({ page, request }) => {
  const created = await request.post('/api/v1/projects', {
    headers: { Authorization: 'Bearer e2e-admin-token-0123456789' },
    data: { name: 'e2e-demo' },
  })
  expect(created.status()).toBe(201)
  const project = await created.json()

  await page.goto(`/projects/${project.id}/traces`)
  await expect(page.getByTestId('empty-traces')).toBeVisible()
  await page.screenshot({ path: 'test-results/e2e/demo-empty-state.png', fullPage: true })

  // The page's button loads the default size; a smaller job keeps the test quick.
  const started = await request.post(`/api/projects/${project.id}/demo`, { data: { spans: 20_000, days: 2 } })
  expect(started.status()).toBe(202)
  // The empty state polls the job and refreshes the page once the data is in.
  await page.reload()
  await expect(page.getByTestId('traces-table')).toBeVisible({ timeout: 45_000 })
  await expect(page.getByTestId('traces-table')).toContainText('support-agent')
  await page.screenshot({ path: 'test-results/e2e/demo-loaded.png', fullPage: true })
})

test('the Load demo data button starts the job, shows its progress, and can be stopped', async ({ page, request }) => {
  const created = await request.post('/api/v1/projects', {
    headers: { Authorization: 'Bearer e2e-admin-token-0123456789' },
    data: { name: 'e2e-demo-button' },
  })
  const project = await created.json()
  await page.goto(`/projects/${project.id}/traces`)
  await page.getByTestId('load-demo-button').click()
  const bar = page.getByRole('progressbar', { name: 'Demo data loaded' })
  await expect(bar).toBeVisible()
  await expect(bar).not.toHaveAttribute('aria-valuenow', '0', { timeout: 30_000 })
  await expect(page.getByTestId('load-demo-progress')).toContainText(/left/)
  await page.screenshot({ path: 'test-results/e2e/demo-button-progress.png', fullPage: true })
  await page.getByTestId('load-demo-stop').click()
  await expect(page.getByTestId('load-demo-cancelled')).toBeVisible({ timeout: 15_000 })
  await expect(page.getByTestId('load-demo-button')).toBeVisible()
})
