import { expect, test } from '@playwright/test'
import { httpSink } from '@/lib/demo/http-sink'
import { loadDemo } from '@/lib/demo/load'
import { pinnedWeekEnd } from '@/lib/demo/plan'
import { CHART, createProject, shareLink, signIn } from './support'

// The "where the time goes" pages with demo data (its safety path, reranker swap and search
// outage) and in an empty project.

test.describe('where the time goes, with demo data', () => {
  test.describe.configure({ mode: 'serial', timeout: 240_000 })
  let project: { id: string; api_key: string }
  // The week ends at the latest Monday 00:00 UTC, so what its last day holds is the same at any hour.
  const end = pinnedWeekEnd()
  const lastDay = { from: new Date(end.getTime() - 86_400_000).toISOString(), to: end.toISOString() }
  const lastDayQuery = new URLSearchParams(lastDay).toString()
  const weekQuery = new URLSearchParams({ from: new Date(end.getTime() - 7 * 86_400_000).toISOString(), to: end.toISOString() }).toString()

  test.beforeAll(async ({ baseURL }) => {
    project = await createProject(baseURL!, 'e2e-time-views-demo')
    const result = await loadDemo({ demo: { seed: 7, spans: 40_000, days: 7, end, batchSpans: 2000 }, sink: httpSink({ baseUrl: baseURL!, apiKey: project.api_key }), concurrency: 2 })
    expect(result.rejected).toBe(0)
  })

  test.beforeEach(async ({ page }) => signIn(page))

  test('components: the on-call landing page names the failing search', async ({ page }) => {
    await page.goto(`/projects/${project.id}/analytics/components?${lastDayQuery}`)
    await expect(page.getByRole('heading', { name: 'Components', exact: true })).toBeVisible()
    await expect(page.getByTestId('verdict')).toContainText(/kb\.search \(retriever\) is failing since \d\d:\d\d/)
    await expect(page.getByTestId('suspects')).toContainText(/kb\.search: \d+% timeouts since/)
    await expect(page.getByTestId('model-state')).toContainText('gpt-4.1-mini')
    await expect(page.getByTestId('component-card').first()).toContainText('kb.search')
    await page.screenshot({ path: 'test-results/e2e/analytics-components.png', fullPage: true })
    await page.getByTestId('suspect-traces').first().click()
    await expect(page).toHaveURL(/\/traces\?.*q=kb.search/)
  })

  test('every analytics screen is in view in the analytics bar, grouped by question', async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 800 })
    await page.goto(`/projects/${project.id}/analytics/guardrails?range=24h`)
    const bar = page.getByRole('navigation', { name: 'Analytics' })
    const labels = ['Overview', 'Components', 'Recorder', 'Guardrails', 'Rerankers', 'Diurnal', 'Cache', 'Retries', 'Structured output', 'Tokenizer', 'Energy', 'Routing']
    for (const label of labels) {
      const link = bar.getByRole('link', { name: label, exact: true })
      await expect(link).toBeInViewport({ ratio: 1 })
      await expect(link).toHaveAttribute('href', new RegExp(`/analytics/.*\\?range=24h$`))
    }
    await expect(bar.getByRole('link', { name: 'Guardrails', exact: true })).toHaveAttribute('aria-current', 'page')
    for (const topic of ['Health', 'Time', 'Money', 'Users']) await expect(bar).toContainText(topic)
    // Signed in as an administrator (an Admin link more on the right), the top bar still shows every section whole.
    for (const link of await page.getByRole('navigation', { name: 'Project' }).getByRole('link').all()) await expect(link).toBeInViewport({ ratio: 1 })
    await bar.getByRole('link', { name: 'Rerankers', exact: true }).click()
    await expect(page).toHaveURL(/\/analytics\/rerankers\?range=24h$/)
    await page.screenshot({ path: 'test-results/e2e/analytics-nav.png' })
  })

  test('components: a share link shows the verdict and suspects, read-only', async ({ browser, baseURL }) => {
    const url = await shareLink(baseURL!, project.api_key, { name: 'search outage', path: `/projects/${project.id}/analytics/components`, state: lastDay })
    const guest = await (await browser.newContext()).newPage()
    await guest.goto(url)
    await expect(guest.getByTestId('shared-view-name')).toHaveText('search outage')
    await expect(guest.getByTestId('verdict')).toContainText(/kb\.search \(retriever\) is failing since \d\d:\d\d/)
    await expect(guest.getByTestId('suspects')).toContainText(/kb\.search: \d+% timeouts since/)
    // The traces behind a suspect are not part of the shared view.
    await expect(guest.getByTestId('suspects').getByRole('link')).toHaveCount(0)
    await guest.screenshot({ path: 'test-results/e2e/analytics-components-shared.png', fullPage: true })
  })

  test('guardrails: stages as a waterfall and the slow refused path', async ({ page }) => {
    await page.goto(`/projects/${project.id}/analytics/guardrails?${weekQuery}`)
    await expect(page.getByRole('heading', { name: 'Guardrail latency', exact: true })).toBeVisible()
    await expect(page.getByTestId('waterfall')).toContainText('guard prompt-injection')
    await expect(page.getByTestId('waterfall')).toContainText('model calls')
    await expect(page.getByTestId('chart-paths').locator(CHART)).toBeVisible()
    await expect(page.getByTestId('paths-table')).toContainText('reformulated')
    await expect(page.getByTestId('stages-table')).toContainText('refusal-detector')
    await page.screenshot({ path: 'test-results/e2e/analytics-guardrails.png', fullPage: true })
  })

  test('rerankers: the mid-week swap as one significant change', async ({ page }) => {
    await page.goto(`/projects/${project.id}/analytics/rerankers?${weekQuery}`)
    await expect(page.getByRole('heading', { level: 1, name: 'Rerankers' })).toBeVisible()
    const changes = page.getByTestId('changes-table')
    await expect(changes).toContainText('rerank-v3.5 → rerank-lite-v1')
    await expect(changes).toContainText('yes')
    await expect(page.getByTestId('chart-overlap').locator(CHART)).toBeVisible()
    await expect(page.getByTestId('rerankers-table')).toContainText('rerank-lite-v1')
    await page.screenshot({ path: 'test-results/e2e/analytics-rerankers.png', fullPage: true })
  })

  test('an empty project shows what to send, not broken charts', async ({ page, baseURL }) => {
    const empty = await createProject(baseURL!, 'e2e-time-views-empty')
    await page.goto(`/projects/${empty.id}/analytics/components?range=24h`)
    await expect(page.getByTestId('components-empty')).toContainText('No component calls in this time range.')
    await page.screenshot({ path: 'test-results/e2e/analytics-components-empty.png', fullPage: true })
    await page.goto(`/projects/${empty.id}/analytics/guardrails?range=24h`)
    await expect(page.getByTestId('guardrails-empty')).toBeVisible()
    await page.screenshot({ path: 'test-results/e2e/analytics-guardrails-empty.png', fullPage: true })
    await page.goto(`/projects/${empty.id}/analytics/rerankers?range=24h`)
    await expect(page.getByTestId('rerankers-empty')).toBeVisible()
    await page.screenshot({ path: 'test-results/e2e/analytics-rerankers-empty.png', fullPage: true })
  })
})
