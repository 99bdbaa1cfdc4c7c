import { expect, test, type Page } from '@playwright/test'

// The e2e server starts without users; the first test to need one creates the administrator
// through first-run setup, later ones sign in with it.
const ADMIN = { email: 'admin@e2e.test', password: 'e2e-admin-password' }

async function signIn(page: Page) {
  await page.goto('/')
  if (page.url().endsWith('/setup')) {
    await page.getByLabel('Email').fill(ADMIN.email)
    await page.getByLabel('Password (at least 10 characters)').fill(ADMIN.password)
    await page.getByLabel('Password again').fill(ADMIN.password)
    await page.getByRole('button', { name: 'Create administrator' }).click()
  } else if (page.url().includes('/login')) {
    await page.getByLabel('Email').fill(ADMIN.email)
    await page.getByLabel('Password').fill(ADMIN.password)
    await page.getByRole('button', { name: 'Sign in' }).click()
  }
  await expect(page.getByRole('heading', { name: 'Projects' })).toBeVisible()
}

async function newProject(page: Page, name: string): Promise<string> {
  const created = await page.request.post('/api/v1/projects', { headers: { Authorization: 'Bearer e2e-admin-token-0123456789' }, data: { name } })
  expect(created.status()).toBe(201)
  return (await created.json()).id
}

test('an empty project loads demo data from its empty state and then lists the traces', async ({ page }) => {
  await signIn(page)
  const projectId = await newProject(page, 'e2e-demo')
  await page.goto(`/projects/${projectId}/traces`)
  await expect(page.getByTestId('empty-traces')).toBeVisible()
  await expect(page.getByTestId('load-demo-button')).toBeVisible()
  await page.screenshot({ path: 'test-results/e2e/demo-empty-state.png', fullPage: true })

  // The button loads the default size; a smaller job, started the way the button does, keeps
  // the test quick. The empty state polls the job and refreshes the page once the data is in.
  const started = await page.request.post(`/api/v1/demo?project=${projectId}`, { data: { spans: 20_000, days: 2 } })
  expect(started.status()).toBe(202)
  // Demo data is sent oldest first: wait for the job to finish, then the last 24 hours are in.
  await expect
    .poll(async () => (await (await page.request.get(`/api/v1/demo?project=${projectId}`)).json()).state, { timeout: 90_000, intervals: [500] })
    .toBe('done')
  await page.reload()
  await expect(page.getByTestId('traces-table')).toBeVisible({ timeout: 15_000 })
  await expect(page.getByTestId('traces-table')).toContainText('support-agent')
  await page.screenshot({ path: 'test-results/e2e/demo-loaded.png', fullPage: true })
})

test('the Load demo data button starts the job, shows its progress, and can be stopped', async ({ page }) => {
  await signIn(page)
  const projectId = await newProject(page, 'e2e-demo-button')
  await page.goto(`/projects/${projectId}/traces`)
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
