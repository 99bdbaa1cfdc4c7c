// Saved views and share links in Chromium: a member saves a filtered traces view, creates a
// share link, a fresh browser (no account) opens exactly that view read-only, the member
// revokes the link, and the fresh browser is refused.
import { expect, test } from '@playwright/test'

const ADMIN = { Authorization: 'Bearer e2e-admin-token-0123456789' }

test('save a view, open its share link without an account, revoke it, see it refused', async ({ page, browser, request }) => {
  const project = await (await request.post('/api/v1/projects', { headers: ADMIN, data: { name: 'sharing-e2e' } })).json()
  const other = await (await request.post('/api/v1/projects', { headers: ADMIN, data: { name: 'sharing-other' } })).json()
  const email = `sharer-${Date.now()}@e2e.test`
  expect((await request.post('/api/v1/users', { headers: ADMIN, data: { email, password: 'sharer-password', role: 'member', projects: [project.id] } })).status()).toBe(201)
  const now = Date.now()
  const span = (trace: string, tenant: string, minutes: number) => ({
    trace_id: trace,
    span_id: 'root',
    name: `${tenant}-checkout`,
    kind: 'agent',
    tenant_id: tenant,
    start_time: new Date(now - minutes * 60_000).toISOString(),
    end_time: new Date(now - minutes * 60_000 + 1200).toISOString(),
  })
  const sent = await request.post('/api/v1/spans', {
    headers: { Authorization: `Bearer ${project.api_key}` },
    data: { spans: [span('share-acme-1', 'acme', 5), span('share-acme-2', 'acme', 6), span('share-globex-1', 'globex', 7)] },
  })
  expect(sent.status()).toBe(200)
  await request.post('/api/v1/spans', { headers: { Authorization: `Bearer ${other.api_key}` }, data: { spans: [span('secret-trace', 'secret-tenant', 5)] } })

  // The member opens a filtered list and saves it.
  expect((await page.request.post('/api/auth/login', { data: { email, password: 'sharer-password' } })).status()).toBe(200)
  await page.setViewportSize({ width: 1440, height: 900 })
  await page.goto(`/projects/${project.id}/traces?range=1h&tenant_id=acme`)
  await expect(page.getByTestId('trace-row')).toHaveCount(2)
  await page.getByRole('button', { name: 'Save view' }).click()
  await page.getByLabel('Name of this view').fill('acme checkouts')
  await page.getByRole('button', { name: 'Save', exact: true }).click()
  // A share link pins the time range by default: it shows this hour whenever it is opened.
  await expect(page.getByTestId('pin-share-range')).toBeChecked()
  await page.getByRole('button', { name: 'Create share link' }).click()
  const shareUrl = await page.getByTestId('share-url').inputValue()
  expect(shareUrl).toMatch(/\/s\/fls_[A-Za-z0-9_-]{43}$/)
  await page.screenshot({ path: 'test-results/e2e/sharing-saved.png' })

  // A fresh browser without an account sees exactly that view: acme's traces, nothing else.
  const visitor = await browser.newContext()
  const guest = await visitor.newPage()
  await guest.setViewportSize({ width: 1440, height: 900 })
  const opened = await guest.goto(shareUrl)
  expect(opened?.status()).toBe(200)
  await expect(guest.getByTestId('shared-view-name')).toContainText('acme checkouts')
  // Its filters and (absolute, pinned) range are shown, read-only.
  await expect(guest.getByTestId('shared-filters')).toContainText('tenant: acme')
  await expect(guest.getByTestId('shared-range')).toContainText('UTC')
  await expect(guest.getByTestId('trace-row')).toHaveCount(2)
  await expect(guest.getByText('globex-checkout')).toHaveCount(0)
  await expect(guest.getByText('secret-tenant')).toHaveCount(0)
  // No way out of the view: no project navigation, no links into the project.
  await expect(guest.getByRole('navigation', { name: 'Project' })).toHaveCount(0)
  await expect(guest.locator('a[href*="/projects/"]')).toHaveCount(0)
  await guest.screenshot({ path: 'test-results/e2e/sharing-shared-view.png' })
  // The traces of the list open read-only through the link; a trace outside its filter does not.
  await guest.getByTestId('trace-row').first().getByRole('link').click()
  await expect(guest).toHaveURL(/\/s\/fls_[^/]+\/traces\/share-acme-/)
  await expect(guest.getByTestId('span-tree')).toContainText('acme-checkout')
  await expect(guest.getByTestId('span-inspector')).toBeVisible()
  await guest.screenshot({ path: 'test-results/e2e/sharing-shared-trace.png' })
  expect((await guest.goto(`${shareUrl}/traces/share-globex-1`))?.status()).toBe(404)
  expect((await guest.goto(`${shareUrl}/traces/secret-trace`))?.status()).toBe(404)
  await guest.goto(shareUrl)
  // Changing the filters in the URL does not widen the view.
  await guest.goto(`${shareUrl}?tenant_id=globex&range=30d`)
  await expect(guest.getByTestId('trace-row')).toHaveCount(2)
  await expect(guest.getByText('globex-checkout')).toHaveCount(0)
  // The visitor holds no session: the project itself stays closed.
  await guest.goto(`/projects/${project.id}/traces`)
  await expect(guest).toHaveURL(/\/login/)

  // The member revokes the link on the saved views page.
  await page.goto(`/projects/${project.id}/views`)
  await expect(page.getByTestId('saved-view').first()).toContainText('acme checkouts')
  await page.getByTestId('share-link').getByRole('button', { name: 'Revoke' }).click()
  await expect(page.getByTestId('share-link')).toContainText('revoked')
  await page.screenshot({ path: 'test-results/e2e/sharing-revoked.png' })

  const refused = await guest.goto(shareUrl)
  expect(refused?.status()).toBe(410)
  await expect(guest.getByText('This share link no longer works')).toBeVisible()
  const forged = await guest.goto(`${shareUrl.slice(0, -1)}${shareUrl.endsWith('A') ? 'B' : 'A'}`)
  expect(forged?.status()).toBe(404)
  await visitor.close()
})

test('a shared analytics view renders read-only with its saved state', async ({ browser, request }) => {
  const project = await (await request.post('/api/v1/projects', { headers: ADMIN, data: { name: 'sharing-analytics' } })).json()
  const now = Date.now()
  const spans = Array.from({ length: 40 }, (_, i) => ({
    trace_id: `cache-${i}`,
    span_id: 'llm',
    name: 'chat',
    kind: 'llm',
    tenant_id: i % 2 ? 'acme' : 'globex',
    model_requested: 'gpt-4o',
    input_tokens: 1000,
    cache_read_tokens: i % 2 ? 800 : 100,
    output_tokens: 50,
    start_time: new Date(now - (i + 1) * 60_000).toISOString(),
  }))
  expect((await request.post('/api/v1/spans', { headers: { Authorization: `Bearer ${project.api_key}` }, data: { spans } })).status()).toBe(200)
  const view = await (await request.post('/api/v1/views', { headers: { Authorization: `Bearer ${project.api_key}` }, data: { name: 'cache, last hour', path: `/projects/${project.id}/analytics/cache`, state: { range: '1h', bucket: '900' } } })).json()
  const share = await (await request.post(`/api/v1/views/${view.id}/share`, { headers: { Authorization: `Bearer ${project.api_key}` }, data: {} })).json()

  const visitor = await browser.newContext()
  const guest = await visitor.newPage()
  await guest.setViewportSize({ width: 1440, height: 1000 })
  expect((await guest.goto(share.url))?.status()).toBe(200)
  await expect(guest.getByTestId('shared-view-name')).toHaveText('cache, last hour')
  await expect(guest.getByRole('heading', { name: 'Cache thrash' })).toBeVisible()
  // The saved bucket is shown, not offered for change.
  await expect(guest.getByTestId('bucket-select')).toContainText('15 minutes')
  await expect(guest.locator('select')).toHaveCount(0)
  await guest.screenshot({ path: 'test-results/e2e/sharing-analytics.png', fullPage: true })
  await visitor.close()
})
