// The explorer as an on-call meets it, with a week of demo data, at 1440x900 and 1280x720: the
// projects page, the traces list (full, and a range with nothing in it), the 25-level recursion
// trace with its graph open, two runs compared, a shared list and a trace opened from it, the
// forbidden and not-found pages, and the chart pages. Each screen is checked for what it must
// show and photographed at both sizes.
import { expect, test, type Page } from '@playwright/test'
import { httpSink } from '@/lib/demo/http-sink'
import { loadDemo } from '@/lib/demo/load'
import { pinnedWeekEnd } from '@/lib/demo/plan'
import { ADMIN_TOKEN, CHART, createProject, expectDeepTreeReadable, signIn } from './support'

const SIZES = [
  [1440, 900],
  [1280, 720],
] as const
const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/e2e/tour-${name}-${page.viewportSize()!.width}.png` })

/** Every column of the traces list, cost included, in view without scrolling sideways. */
async function expectListFits(page: Page) {
  await expect.poll(() => page.getByTestId('traces-table').evaluate((table) => table.scrollWidth - table.parentElement!.clientWidth)).toBeLessThanOrEqual(1)
}

/** A shared page's filters and range read whole, on one line (the view's name gives way first). */
async function expectFiltersWhole(page: Page) {
  const pill = (await page.getByText('shared view · read-only').boundingBox())!
  const cut = await page.locator('[data-testid=shared-filter], [data-testid=shared-range]').evaluateAll(
    (chips, pillLeft) =>
      chips
        .filter((chip) => {
          const box = chip.getBoundingClientRect()
          return chip.scrollWidth > chip.clientWidth + 1 || box.right > chip.parentElement!.getBoundingClientRect().right + 0.5 || box.right > pillLeft
        })
        .map((chip) => chip.textContent),
    pill.x,
  )
  expect(cut).toEqual([])
  expect((await page.getByText('shared view · read-only').boundingBox())!.height).toBeLessThanOrEqual(24)
}

test.describe('the explorer with a week of demo data', () => {
  test.describe.configure({ mode: 'serial', timeout: 300_000 })
  // A 22-character name, twice: the top bar must hold it, and the switcher tell the two apart.
  const NAME = 'support-agent-prod-eu1'
  let project: { id: string; api_key: string }
  let twin: { id: string }
  let week: string
  let weekFrom: number
  let loop: { tenant: string; recursionLimit: number }
  let storm: { start: number; end: number }

  test.beforeAll(async ({ baseURL }) => {
    project = await createProject(baseURL!, NAME)
    twin = await createProject(baseURL!, NAME)
    const result = await loadDemo({ demo: { seed: 7, spans: 40_000, days: 7, end: pinnedWeekEnd(), batchSpans: 2000 }, sink: httpSink({ baseUrl: baseURL!, apiKey: project.api_key }), concurrency: 2 })
    expect(result.rejected).toBe(0)
    const { start, end, loopDeploy, retryStorm } = result.summary.plan
    storm = retryStorm
    weekFrom = start
    week = new URLSearchParams({ from: new Date(start).toISOString(), to: new Date(end).toISOString() }).toString()
    loop = loopDeploy
  })

  test.beforeEach(async ({ page }) => signIn(page))

  /** Trace ids of the planted recursion, newest first, through the API as an application reads them. */
  async function loopTraces(page: Page): Promise<string[]> {
    const response = await page.request.get(`/api/v1/traces?${week}&has_cycle=true&tenant_id=${loop.tenant}&limit=5`, { headers: { Authorization: `Bearer ${project.api_key}` } })
    expect(response.status()).toBe(200)
    const ids = (await response.json()).traces.map((trace: { trace_id: string }) => trace.trace_id)
    expect(ids.length).toBeGreaterThanOrEqual(2)
    return ids
  }

  test('projects page: both projects of the same name, told apart by id', async ({ page }) => {
    for (const [width, height] of SIZES) {
      await page.setViewportSize({ width, height })
      await page.goto('/')
      await expect(page.getByRole('heading', { name: 'Projects' })).toBeVisible()
      await expect(page.getByRole('link', { name: `${NAME} (${project.id})` })).toBeVisible()
      await expect(page.getByRole('link', { name: `${NAME} (${twin.id})` })).toBeVisible()
      await shot(page, 'projects')
    }
  })

  test('traces list over the week: histogram, total, errors, root name and service; the top bar on one line', async ({ page }) => {
    for (const [width, height] of SIZES) {
      await page.setViewportSize({ width, height })
      await page.goto(`/projects/${project.id}/traces?${week}`)
      await expect(page.getByTestId('traces-total')).toContainText(/[\d,]+ matching traces/)
      await expect(page.getByTestId('trace-histogram').locator('svg').first()).toBeVisible()
      await expect(page.getByTestId('trace-row').first()).toBeVisible()
      await expect.poll(async () => (await page.getByTestId('top-bar').boundingBox())!.height).toBeLessThanOrEqual(49)
      const switcher = page.getByTestId('project-switcher')
      await expect(switcher.locator('option', { hasText: project.id })).toHaveCount(1)
      await expect(switcher.locator('option', { hasText: twin.id })).toHaveCount(1)
      await expectListFits(page)
      // Calls that reported tokens but no cost are priced from the table, and marked so.
      expect(await page.locator('[data-testid=cost-value][data-estimated=true]').count()).toBeGreaterThan(0)
      await shot(page, 'traces-list')
      await page.goto(`/projects/${project.id}/traces?${week}&errors_only=true`)
      await expect(page.getByTestId('first-error').first()).toBeVisible()
      await shot(page, 'traces-list-errors')
    }
  })

  test('an empty range says where the newest data is and jumps there', async ({ page }) => {
    const before = new URLSearchParams({ from: new Date(weekFrom - 3 * 86_400_000).toISOString(), to: new Date(weekFrom - 2 * 86_400_000).toISOString() })
    for (const [width, height] of SIZES) {
      await page.setViewportSize({ width, height })
      await page.goto(`/projects/${project.id}/traces?${before}`)
      await expect(page.getByTestId('empty-traces')).toBeVisible()
      await expect(page.getByTestId('latest-data')).toContainText('after this range')
      await shot(page, 'traces-empty-range')
    }
    await page.getByTestId('latest-data').getByRole('link', { name: 'Show the 24 hours up to it' }).click()
    await expect(page.getByTestId('trace-row').first()).toBeVisible()
  })

  test('the recursion trace with the graph open: every name, duration and status; readable graph', async ({ page }) => {
    const [id] = await loopTraces(page)
    for (const [width, height] of SIZES) {
      await page.setViewportSize({ width, height })
      await page.goto(`/projects/${project.id}/traces/${id}?${week}&panel=graph`)
      await expect(page.getByTestId('call-graph')).toHaveAttribute('data-mode', 'aggregated')
      await expect(page.getByTestId('call-graph').getByTestId('graph-node').first()).toBeVisible()
      await expectDeepTreeReadable(page, loop.recursionLimit)
      // The graph opens on the cycle: each of its nodes is (at least partly) in view.
      const canvas = (await page.getByTestId('call-graph').locator('.react-flow').boundingBox())!
      const cycleNodes = page.getByTestId('call-graph').locator('[data-testid=graph-node][data-cycle=true]')
      expect(await cycleNodes.count()).toBeGreaterThanOrEqual(2)
      for (const box of await cycleNodes.evaluateAll((nodes) => nodes.map((node) => node.getBoundingClientRect().toJSON()))) {
        expect(box.right).toBeGreaterThan(canvas.x)
        expect(box.left).toBeLessThan(canvas.x + canvas.width)
      }
      // Each call count on a loop can be read: none lies on a node.
      const onNodes = await page.getByTestId('call-graph').evaluate((graph) => {
        const nodes = [...graph.querySelectorAll('[data-testid=graph-node]')].map((node) => node.getBoundingClientRect())
        return [...graph.querySelectorAll('[data-testid=loop-label]')].flatMap((label) => {
          const r = label.getBoundingClientRect()
          return nodes.some((n) => r.left < n.right && r.right > n.left && r.top < n.bottom && r.bottom > n.top) ? [label.textContent] : []
        })
      })
      expect(onNodes).toEqual([])
      // The kind badges add up to the span count ("+N other" for the smaller kinds).
      const badges = await page.getByTestId('kind-badge').allTextContents()
      const spans = Number((await page.getByTestId('summary-spans').textContent())!.match(/[\d,]+/)![0].replace(/,/g, ''))
      expect(badges.reduce((n, badge) => n + Number(badge.match(/[\d,]+/)![0].replace(/,/g, '')), 0)).toBe(spans)
      await page.getByRole('tree').evaluate((el) => (el.scrollTop = 0))
      await shot(page, 'deep-trace-graph')
    }
  })

  test('a retry chain is marked attempt n of m on each attempt', async ({ page }) => {
    const window = new URLSearchParams({ from: new Date(storm.start).toISOString(), to: new Date(storm.end).toISOString(), errors_only: 'true', sort: 'spans', limit: '20' })
    const listed = await (await page.request.get(`/api/v1/traces?${window}`, { headers: { Authorization: `Bearer ${project.api_key}` } })).json()
    // The trace with the most attempts among the storm's biggest failing traces.
    let best: { id: string; attempts: number } = { id: '', attempts: 0 }
    for (const { trace_id } of listed.traces as { trace_id: string }[]) {
      const trace = await (await page.request.get(`/api/v1/traces/${trace_id}`, { headers: { Authorization: `Bearer ${project.api_key}` } })).json()
      const attempts = (trace.spans as { retry_of?: string | null }[]).filter((span) => span.retry_of).length
      if (attempts > best.attempts) best = { id: trace_id, attempts }
    }
    expect(best.attempts).toBeGreaterThan(0)
    for (const [width, height] of SIZES) {
      await page.setViewportSize({ width, height })
      await page.goto(`/projects/${project.id}/traces/${best.id}?${week}`)
      const marks = page.getByTestId('span-tree').getByTestId('span-attempt')
      await expect(marks.first()).toBeVisible()
      for (const mark of await marks.allTextContents()) expect(mark).toMatch(/^(schema )?\d+\/\d+$/)
      await shot(page, 'retry-attempts')
    }
  })

  test('two runs compared side by side', async ({ page }) => {
    const [a, b] = await loopTraces(page)
    for (const [width, height] of SIZES) {
      await page.setViewportSize({ width, height })
      await page.goto(`/projects/${project.id}/traces/compare?a=${a}&b=${b}`)
      await expect(page.getByRole('heading', { name: 'Compare two traces' })).toBeVisible()
      await expect(page.getByTestId('compare-row').first()).toBeVisible()
      await shot(page, 'compare')
    }
  })

  test('a shared traces list shows its range and filters read-only and opens its traces', async ({ page, browser }) => {
    const state = { ...Object.fromEntries(new URLSearchParams(week)), tenant_id: loop.tenant, has_cycle: 'true' }
    const headers = { Authorization: `Bearer ${project.api_key}` }
    const view = await (await page.request.post('/api/v1/views', { headers, data: { name: 'Recursion after the shipping-tools deploy', path: `/projects/${project.id}/traces`, state } })).json()
    const share = await page.request.post(`/api/v1/views/${view.id}/share`, { headers, data: {} })
    expect(share.status()).toBe(201)
    const { token } = await share.json()
    const guest = await browser.newPage()
    for (const [width, height] of SIZES) {
      await guest.setViewportSize({ width, height })
      await guest.goto(`/s/${token}`)
      await expect(guest.getByTestId('shared-range')).toBeVisible()
      await expect(guest.getByTestId('shared-filters')).toContainText(loop.tenant)
      await expect(guest.getByTestId('trace-row').first()).toBeVisible()
      await expectListFits(guest)
      await expectFiltersWhole(guest)
      await shot(guest, 'shared-list')
      await guest.getByTestId('trace-row').first().getByRole('link').first().click()
      await expect(guest).toHaveURL(new RegExp(`/s/${token}/traces/`))
      await expect(guest.getByTestId('span-tree')).toBeVisible()
      // The list's range and filters stay in view, read-only, on the trace opened from it.
      await expect(guest.getByTestId('shared-range')).toBeVisible()
      await expect(guest.getByTestId('shared-filters')).toContainText(loop.tenant)
      await expectFiltersWhole(guest)
      // The selected span loads through the share link.
      await expect(guest.getByTestId('span-inspector')).toContainText('Attributes')
      await shot(guest, 'shared-trace')
    }
    await guest.close()
  })

  test('a viewer meets a forbidden page in the app frame, and an unknown page a not-found page', async ({ page, request }) => {
    const email = `viewer-${Date.now()}@e2e.test`
    const created = await request.post('/api/v1/users', { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` }, data: { email, password: 'viewer-password-1', role: 'viewer', projects: [project.id] } })
    expect(created.status()).toBe(201)
    await page.context().clearCookies()
    expect((await page.request.post('/api/auth/login', { data: { email, password: 'viewer-password-1' } })).status()).toBe(200)
    for (const [width, height] of SIZES) {
      await page.setViewportSize({ width, height })
      const admin = await page.goto('/admin')
      expect(admin!.status()).toBe(403)
      await expect(page.getByTestId('status-403').getByRole('link', { name: 'Go to your projects' })).toBeVisible()
      await shot(page, 'forbidden')
      const missing = await page.goto('/no-such-page')
      expect(missing!.status()).toBe(404)
      await expect(page.getByTestId('status-404').getByRole('link', { name: 'Go to your projects' })).toBeVisible()
      await shot(page, 'not-found')
    }
  })

  for (const [path, chart] of [
    ['overview', 'chart-volume'],
    ['cache', 'chart-hit-rate'],
    ['diurnal', 'chart-heatmap'],
    ['components', undefined],
    ['retries', 'chart-retry-cost'],
  ] as const) {
    test(`charts: ${path}`, async ({ page }) => {
      for (const [width, height] of SIZES) {
        await page.setViewportSize({ width, height })
        await page.goto(`/projects/${project.id}/analytics/${path}?${week}`)
        if (chart) await expect(page.getByTestId(chart).locator(path === 'diurnal' ? '[data-testid=heat-cell]' : CHART).first()).toBeVisible()
        else await expect(page.getByRole('heading').first()).toBeVisible()
        await shot(page, `chart-${path}`)
      }
    })
  }
})
