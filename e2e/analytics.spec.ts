import { expect, test } from '@playwright/test'
import { httpSink } from '@/lib/demo/http-sink'
import { loadDemo } from '@/lib/demo/load'
import { pinnedWeekEnd } from '@/lib/demo/plan'
import { CHART, createProject, signIn } from './support'

test.describe('analytics pages with demo data', () => {
  test.describe.configure({ mode: 'serial', timeout: 240_000 })
  let project: { id: string; api_key: string }
  /** The demo week's range as the pages take it (the week ends at the latest Monday 00:00 UTC). */
  let week: string

  test.beforeAll(async ({ baseURL }) => {
    project = await createProject(baseURL!, 'e2e-analytics-demo')
    const result = await loadDemo({ demo: { seed: 7, spans: 40_000, days: 7, end: pinnedWeekEnd(), batchSpans: 2000 }, sink: httpSink({ baseUrl: baseURL!, apiKey: project.api_key }), concurrency: 2 })
    expect(result.rejected).toBe(0)
    const { start, end } = result.summary.plan
    week = new URLSearchParams({ from: new Date(start).toISOString(), to: new Date(end).toISOString() }).toString()
  })

  test.beforeEach(async ({ page }) => signIn(page))

  test('overview', async ({ page }) => {
    await page.goto(`/projects/${project.id}/analytics/overview?${week}`)
    await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible()
    for (const chart of ['chart-volume', 'chart-errors', 'chart-latency', 'chart-cost', 'chart-split-volume']) {
      await expect(page.getByTestId(chart).locator(CHART)).toBeVisible()
    }
    // The rollout's marker, found as a user would in a table of many pages: by filtering it.
    const markers = page.getByTestId('markers-table')
    await markers.getByLabel('Filter').fill('support-triage v13')
    await expect(markers.locator('tbody tr')).toHaveCount(1)
    await expect(markers.locator('tbody tr')).toContainText('support-triage v13')
    await page.getByTestId('split-select').selectOption('tool')
    await expect(page).toHaveURL(/split=tool/)
    await expect(page.getByTestId('components-table')).toContainText('lookup_order')
    await page.screenshot({ path: 'test-results/e2e/analytics-overview.png', fullPage: true })
  })

  test('cache thrash', async ({ page }) => {
    await page.goto(`/projects/${project.id}/analytics/cache?${week}`)
    await expect(page.getByTestId('chart-hit-rate').locator(CHART)).toBeVisible()
    await expect(page.getByTestId('incidents-table')).toContainText('brightpath')
    await expect(page.getByTestId('tenants-table')).toContainText('brightpath')
    await expect(page.getByTestId('small-multiples').locator(CHART)).toHaveCount(6)
    await page.screenshot({ path: 'test-results/e2e/analytics-cache.png', fullPage: true })
  })

  test('routing cohorts and a switcher timeline', async ({ page }) => {
    await page.goto(`/projects/${project.id}/analytics/routing?${week}`)
    const segments = page.getByTestId('segments-table')
    await expect(segments).toContainText('economy')
    await expect(segments).toContainText('premium')
    await expect(page.getByTestId('chart-rates').locator(CHART)).toBeVisible()
    const switcher = page.getByTestId('switchers-table').getByRole('link').first()
    const user = (await switcher.textContent())!
    await switcher.click()
    await expect(page).toHaveURL(new RegExp(`user=${user}`))
    await expect(page.getByTestId('user-timeline')).toContainText(`Timeline of ${user}`)
    await expect(page.getByTestId('user-timeline').locator('.recharts-scatter-symbol').first()).toBeVisible()
    await page.screenshot({ path: 'test-results/e2e/analytics-routing.png', fullPage: true })
  })

  test('diurnal comparison in New York time', async ({ page }) => {
    await page.goto(`/projects/${project.id}/analytics/diurnal?${week}`)
    await page.getByTestId('tz-select').selectOption('America/New_York')
    await expect(page).toHaveURL(/tz=America%2FNew_York/)
    await expect(page.getByTestId('diurnal-summary')).toContainText('02:00')
    await expect(page.getByTestId('eval-vs-production')).toContainText('Your evals were scored at 02:00')
    await expect(page.getByTestId('heat-cell')).toHaveCount(7 * 24)
    await page.getByTestId('metric-select').selectOption('overload_rate')
    await expect(page.getByTestId('chart-heatmap')).toContainText('Overload rate')
    await page.screenshot({ path: 'test-results/e2e/analytics-diurnal.png', fullPage: true })
  })

  test('an empty project shows empty states, not broken charts', async ({ page, baseURL }) => {
    const empty = await createProject(baseURL!, 'e2e-analytics-empty')
    await page.goto(`/projects/${empty.id}/analytics/cache?range=24h`)
    await expect(page.getByTestId('chart-hit-rate').getByTestId('chart-empty')).toBeVisible()
    await expect(page.getByText('No tenant sent model calls in this time range.')).toBeVisible()
    await page.screenshot({ path: 'test-results/e2e/analytics-cache-empty.png', fullPage: true })
    await page.goto(`/projects/${empty.id}/analytics/routing?range=24h`)
    await expect(page.getByText('No model calls in this time range.').first()).toBeVisible()
    await page.goto(`/projects/${empty.id}/analytics/diurnal?range=24h`)
    await expect(page.getByTestId('chart-requests').getByTestId('chart-empty')).toBeVisible()
    await page.goto(`/projects/${empty.id}/analytics/overview?range=24h`)
    await expect(page.getByTestId('chart-volume').getByTestId('chart-empty')).toBeVisible()
    await page.screenshot({ path: 'test-results/e2e/analytics-overview-empty.png', fullPage: true })
  })
})
