// The "where the money goes" pages in Chromium on a demo week: retries with the planted runaway,
// structured-output loops, tokenizer drift by script, energy per task with its estimate note;
// the energy coefficient admin page; a retries view opened through a share link; and every page
// on an empty project. Each page is screenshotted.
import { expect, test } from '@playwright/test'
import { httpSink } from '@/lib/demo/http-sink'
import { loadDemo } from '@/lib/demo/load'
import { pinnedWeekEnd } from '@/lib/demo/plan'
import { CHART, createProject, shareLink, signIn } from './support'

const SHOTS = 'test-results/e2e'

test.describe('money views with demo data', () => {
  test.describe.configure({ mode: 'serial', timeout: 240_000 })
  let project: { id: string; api_key: string }

  // The week ends at the latest Monday 00:00 UTC and is read by absolute range: the same at any hour.
  const end = pinnedWeekEnd()
  const week = { from: new Date(end.getTime() - 7 * 86_400_000).toISOString(), to: end.toISOString() }
  const weekQuery = new URLSearchParams(week).toString()

  test.beforeAll(async ({ baseURL }) => {
    project = await createProject(baseURL!, 'e2e-money-demo')
    const result = await loadDemo({ demo: { seed: 7, spans: 40_000, days: 7, end, batchSpans: 2000 }, sink: httpSink({ baseUrl: baseURL!, apiKey: project.api_key }), concurrency: 2 })
    expect(result.rejected).toBe(0)
  })

  test.beforeEach(async ({ page }) => signIn(page))

  test('retries: the planted loop is the one runaway', async ({ page }) => {
    await page.goto(`/projects/${project.id}/analytics/retries?${weekQuery}`)
    await expect(page.getByRole('heading', { name: 'Retries' })).toBeVisible()
    // The current screen is marked in the analytics bar.
    await expect(page.getByRole('navigation', { name: 'Analytics' }).locator('[aria-current=page]')).toHaveText('Retries')
    const runaways = page.getByTestId('runaways-table')
    await expect(runaways).toContainText('chat gpt-4.1')
    await expect(runaways).toContainText('300 (300 failed)')
    await expect(runaways).toContainText('inferred from siblings')
    await expect(page.getByTestId('errors-table')).toContainText('429')
    for (const chart of ['chart-eventual-success', 'chart-retry-cost']) await expect(page.getByTestId(chart).locator(CHART)).toBeVisible()
    await page.screenshot({ path: `${SHOTS}/money-retries.png`, fullPage: true })
  })

  test('structured output', async ({ page }) => {
    await page.goto(`/projects/${project.id}/analytics/structured-output?${weekQuery}`)
    await expect(page.getByTestId('structured-schemas-table')).toContainText('TicketReply')
    await expect(page.getByTestId('chart-depth').locator(CHART)).toBeVisible()
    await expect(page.getByTestId('structured-verdict')).toContainText('valid at the first try')
    await page.screenshot({ path: `${SHOTS}/money-structured-output.png`, fullPage: true })
  })

  test('tokenizer drift by script, with a wider margin', async ({ page }) => {
    await page.goto(`/projects/${project.id}/analytics/tokenizer?${weekQuery}`)
    const table = page.getByTestId('tokenizer-table')
    await expect(table).toContainText('cjk')
    await expect(table).toContainText('latin')
    await expect(page.getByTestId('chart-ratio').locator(CHART)).toBeVisible()
    await page.getByTestId('margin-select').selectOption('0.2')
    await expect(page).toHaveURL(/margin=0.2/)
    await expect(page.getByTestId('tokenizer-summary')).toContainText('margin 20%')
    await page.screenshot({ path: `${SHOTS}/money-tokenizer.png`, fullPage: true })
  })

  test('energy per task says it is an estimate and from which coefficients', async ({ page }) => {
    await page.goto(`/projects/${project.id}/analytics/energy?${weekQuery}`)
    await expect(page.getByTestId('energy-estimate-note')).toContainText('estimates')
    await expect(page.getByTestId('energy-tasks-table')).toContainText('support-agent')
    await expect(page.getByTestId('energy-coefficients-table')).toContainText('table: gpt-4.1-mini')
    await expect(page.getByTestId('chart-wh-per-task').locator(CHART)).toBeVisible()
    await page.screenshot({ path: `${SHOTS}/money-energy.png`, fullPage: true })
  })

  test('energy coefficients admin page edits a model', async ({ page }) => {
    await page.goto('/admin')
    await page.getByTestId('energy-link').click()
    await expect(page.getByRole('heading', { name: 'Energy coefficients' })).toBeVisible()
    await expect(page.getByTestId('coefficients-table')).toContainText('claude-opus-4-1')
    const form = page.getByTestId('coefficient-form')
    await form.getByLabel('Model').fill('e2e-model')
    await form.getByLabel('Input (Wh / 1k)', { exact: true }).fill('0.1')
    await form.getByLabel('Cached input (Wh / 1k)').fill('0.01')
    await form.getByLabel('Output (Wh / 1k)').fill('0.3')
    await form.getByRole('button', { name: 'Save' }).click()
    await expect(form.getByRole('status')).toHaveText('Saved the coefficients of e2e-model.')
    await expect(page.getByTestId('coefficients-table').getByPlaceholder('Filter models')).toBeVisible()
    await page.getByPlaceholder('Filter models').fill('e2e-model')
    await expect(page.getByTestId('coefficients-table')).toContainText('0.3')
    await page.screenshot({ path: `${SHOTS}/money-admin-energy.png`, fullPage: true })
  })

  test('a retries view opens through a share link, read-only', async ({ page, browser, baseURL }) => {
    const url = await shareLink(baseURL!, project.api_key, { name: 'retry loop', path: `/projects/${project.id}/analytics/retries`, state: week })
    const guest = await (await browser.newContext()).newPage()
    await guest.goto(url)
    await expect(guest.getByTestId('shared-view-name')).toHaveText('retry loop')
    await expect(guest.getByTestId('runaways-table')).toContainText('300 (300 failed)')
    await expect(guest.getByTestId('runaways-table').getByRole('link')).toHaveCount(0)
    await guest.screenshot({ path: `${SHOTS}/money-retries-shared.png`, fullPage: true })
    void page
  })

  test('an empty project says what to send on every money page', async ({ page, baseURL }) => {
    const empty = await createProject(baseURL!, 'e2e-money-empty')
    for (const [path, text] of [
      ['retries', 'flightline.retry.attempt'],
      ['structured-output', 'flightline.output.schema_valid'],
      ['tokenizer', 'flightline.tokens.local_input'],
      ['energy', 'flightline.task'],
    ] as const) {
      await page.goto(`/projects/${empty.id}/analytics/${path}?range=24h`)
      await expect(page.getByTestId('empty-hint')).toContainText(text)
      await expect(page.getByTestId('empty-hint')).toContainText('load demo data from the Traces page')
      await page.screenshot({ path: `${SHOTS}/money-${path}-empty.png`, fullPage: true })
    }
  })
})
