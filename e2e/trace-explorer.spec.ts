// The trace explorer in Chromium: the list, its filters and the re-entrancy badge; a trace's
// tree, waterfall and call graph with the planted cycle highlighted; a 10,000-span trace; the
// empty state's instructions, run for real; and untrusted payloads that must stay inert.
import { execFileSync } from 'node:child_process'
import { expect, test, type Page } from '@playwright/test'
import { agentTrace, largeTrace, type NativeSpan } from '../tests/fixtures/agent-traces'
import { ANALYTICS_TOPICS, SECTIONS } from '@/components/layout/sections'
import { expectDeepTreeReadable } from './support'

const ADMIN_TOKEN = 'e2e-admin-token-0123456789'
const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/e2e/explorer-${name}.png` })
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000)

interface Fixture {
  project: string
  key: string
  empty: string
  email: string
}
let fixture: Fixture
let lastLargeSpan: string

test.beforeAll(async ({ request }) => {
  const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` }
  const project = await (await request.post('/api/v1/projects', { headers: admin, data: { name: 'explorer-e2e' } })).json()
  const empty = await (await request.post('/api/v1/projects', { headers: admin, data: { name: 'explorer-empty' } })).json()
  const email = `member-${Date.now()}@e2e.test`
  const user = await request.post('/api/v1/users', { headers: admin, data: { email, password: 'member-password-1', role: 'member', projects: [project.id, empty.id] } })
  expect(user.status()).toBe(201)
  fixture = { project: project.id, key: project.api_key, empty: empty.id, email }

  const spans: NativeSpan[] = []
  // 60 ordinary traces (more than one page), one failing, one with a planted re-entrancy loop.
  for (let i = 0; i < 60; i++) {
    spans.push(...agentTrace({ traceId: `plain-${String(i).padStart(3, '0')}`, start: minutesAgo(50 - i * 0.5), tenant: i % 2 ? 'acme' : 'globex', user: `u-${i}`, steps: 1 + (i % 4) }))
  }
  spans.push(...agentTrace({ traceId: 'failing-trace', start: minutesAgo(8), tenant: 'acme', steps: 2, error: true }))
  spans.push(...agentTrace({ traceId: 'loop-trace', start: minutesAgo(5), tenant: 'globex', user: 'u-loop', steps: 2, loopDepth: 3 }))
  // A recursion 25+ levels deep, as an on-call meets it at night (before the hour the list tests look at).
  spans.push(...agentTrace({ traceId: 'deep-trace', start: minutesAgo(90), tenant: 'globex', user: 'u-deep', steps: 1, loopDepth: 12, error: true }))
  const xss = agentTrace({ traceId: 'xss-trace', start: minutesAgo(3), tenant: 'acme', steps: 1 })
  xss[1].name = '<img src=x onerror="window.__xss=1">'
  xss[1].input = [{ role: 'user', content: '<script>window.__xss=2</script><img src=x onerror="window.__xss=3"> <a href="javascript:window.__xss=4">click</a> [md](javascript:window.__xss=5)' }]
  xss[1].output = '<script>window.__xss=6</script>javascript:window.__xss=7'
  xss[1].attributes = { note: '<b onmouseover="window.__xss=8">bold</b>', link: 'javascript:window.__xss=9' }
  xss[2].input = { html: '<iframe src="javascript:window.__xss=10"></iframe>' }
  spans.push(...xss)
  const large = largeTrace('large-trace-10k', minutesAgo(30), 10_000)
  lastLargeSpan = large[large.length - 1].span_id
  spans.push(...large)
  for (let i = 0; i < spans.length; i += 5000) {
    const sent = await request.post('/api/v1/spans', { headers: { Authorization: `Bearer ${project.api_key}` }, data: { spans: spans.slice(i, i + 5000) } })
    expect(sent.status(), await sent.text()).toBe(200)
  }
})

test.beforeEach(async ({ page }) => {
  const login = await page.request.post('/api/auth/login', { data: { email: fixture.email, password: 'member-password-1' } })
  expect(login.status()).toBe(200)
})

test('list -> filter -> open a trace: tree, waterfall and graph render, and the planted cycle is highlighted', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 })
  await page.goto(`/projects/${fixture.project}/traces?range=1h`)
  const table = page.getByTestId('traces-table')
  await expect(table).toBeVisible()
  await expect(page.getByTestId('trace-row')).toHaveCount(50)
  await expect(page.getByTestId('next-page')).toBeVisible()
  await shot(page, 'list')

  // Sorting by spans is done by the query: the 10,000-span trace comes first.
  await page.getByRole('button', { name: 'Sort by spans' }).click()
  await expect(page).toHaveURL(/sort=spans/)
  await expect(page.getByTestId('trace-row').first()).toContainText('batch-agent')

  // Filter to traces with a cycle. The cycle index runs a moment after ingest.
  await page.goto(`/projects/${fixture.project}/traces?range=1h`)
  await page.getByLabel('Has cycle').check()
  await expect(page).toHaveURL(/has_cycle=true/)
  await expect(async () => {
    await page.reload()
    await expect(page.getByTestId('trace-row')).toHaveCount(1, { timeout: 1000 })
  }).toPass({ timeout: 20_000 })
  const row = page.getByTestId('trace-row')
  await expect(row.getByTestId('cycle-badge')).toHaveText(/re-entry ×3/)
  await shot(page, 'list-has-cycle')

  // Open it.
  await row.getByRole('link').click()
  await expect(page).toHaveURL(new RegExp(`/projects/${fixture.project}/traces/loop-trace`))
  const tree = page.getByTestId('span-tree')
  await expect(tree.getByTestId('span-row')).toHaveCount(12)
  // Nesting, not a flat list: the loop goes 7 levels deep under the agent.
  await expect(tree.locator('[role=treeitem][aria-level="8"]')).toHaveCount(1)
  await expect(tree.getByTestId('timeline-bar')).toHaveCount(12)
  await expect(page.getByTestId('trace-summary')).toContainText('globex')
  await expect(page.getByTestId('span-inspector')).toBeVisible()

  await page.getByRole('tab', { name: /Graph/ }).click()
  const graph = page.getByTestId('call-graph')
  // The graph opens aggregated: one node per tool, agent or model.
  await expect(graph).toHaveAttribute('data-mode', 'aggregated')
  await expect(graph.getByTestId('graph-node')).toHaveCount(3)
  await graph.getByRole('button', { name: 'As it ran' }).click()
  await expect(graph).toHaveAttribute('data-mode', 'as-ran')
  await expect(graph.getByTestId('graph-node')).toHaveCount(12)
  await graph.getByRole('button', { name: 'Aggregated' }).click()
  await expect(graph).toHaveAttribute('data-mode', 'aggregated')
  await expect(graph.getByTestId('graph-node')).toHaveCount(3)
  // The cycle search_orders <-> gpt-4o is drawn in colour and listed with its counts.
  await expect(graph.locator('[data-testid=graph-node][data-cycle=true]')).toHaveCount(2)
  await expect(graph.locator('.react-flow__edge.cycle-edge')).toHaveCount(2)
  await expect(graph.getByTestId('cycle-item')).toHaveText(/gpt-4o → search_orders → gpt-4o.*re-entered 3×, depth 4/)
  await shot(page, 'graph-cycle')

  // Clicking a node selects its spans in the tree.
  await graph.locator('[data-testid=graph-node]', { hasText: 'search_orders' }).click()
  await expect(page.getByTestId('highlight-bar')).toContainText('5 spans of search_orders highlighted')
  await expect(tree.locator('[data-testid=span-row][data-highlighted=true]')).toHaveCount(5)
  await expect(page).toHaveURL(/span=/)
  await shot(page, 'graph-node-selected')
})

test('a 10,000-span trace: the tree is virtualized and scrolls, the graph opens aggregated', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 })
  await page.goto(`/projects/${fixture.project}/traces/large-trace-10k`)
  const tree = page.getByTestId('span-tree')
  await expect(page.getByTestId('summary-spans')).toContainText('10,000')
  await expect(tree.getByTestId('span-row').first()).toBeVisible()
  // Only the rows in view (plus overscan) are in the DOM.
  expect(await tree.getByTestId('span-row').count()).toBeLessThan(120)
  // Scrolled to the end, the last span is there (how fast: `npm run bench -- explorer`).
  const scroller = tree.getByRole('tree')
  for (let i = 1; i <= 20; i++) await scroller.evaluate((el, f) => el.scrollTo(0, (el.scrollHeight * f) / 20), i)
  await expect(tree.locator(`[data-span-id="${lastLargeSpan}"]`)).toBeVisible()
  expect(await tree.getByTestId('span-row').count()).toBeLessThan(120)
  // The last span's bar, at the very end of 3 minutes, is drawn inside the timeline column.
  const lastBar = tree.locator(`[data-span-id="${lastLargeSpan}"]`).getByTestId('timeline-bar')
  const [bar, column] = [(await lastBar.boundingBox())!, (await lastBar.locator('..').boundingBox())!]
  expect(bar.width).toBeGreaterThanOrEqual(1)
  expect(bar.x + bar.width).toBeLessThanOrEqual(column.x + column.width + 0.5)
  await shot(page, 'large-tree-bottom')

  await page.getByRole('tab', { name: /Graph/ }).click()
  await expect(page.getByTestId('call-graph')).toHaveAttribute('data-mode', 'aggregated')
  await expect(page.getByTestId('graph-size-note')).toContainText('10,000 spans')
  await expect(page.getByTestId('graph-node')).toHaveCount(7)
  await expect(page.getByRole('button', { name: 'As it ran' })).toBeDisabled()
  await shot(page, 'large-graph')
})

test('untrusted payloads render as inert text: no script runs, no element or link is made from them', async ({ page }) => {
  const dialogs: string[] = []
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message())
    void dialog.dismiss()
  })
  await page.setViewportSize({ width: 1440, height: 1000 })
  await page.goto(`/projects/${fixture.project}/traces/xss-trace`)
  const tree = page.getByTestId('span-tree')
  await expect(tree).toContainText('<img src=x onerror="window.__xss=1">')
  await tree.getByTestId('span-row').nth(1).click()
  const inspector = page.getByTestId('span-inspector')
  await expect(inspector.getByTestId('payload-input')).toContainText('<script>window.__xss=2</script>')
  await expect(inspector.getByTestId('payload-output')).toContainText('javascript:window.__xss=7')
  await expect(inspector.getByTestId('span-attributes')).toContainText('<b onmouseover="window.__xss=8">bold</b>')
  await inspector.getByTestId('span-attributes').hover()
  await page.getByRole('tab', { name: /Graph/ }).click()
  await page.getByTestId('call-graph').getByRole('button', { name: 'As it ran' }).click()
  await expect(page.getByTestId('call-graph')).toContainText('<img src=x onerror="window.__xss=1">')
  await page.getByRole('tab', { name: 'Span' }).click()
  await tree.getByTestId('span-row').nth(2).click()
  await expect(page.getByTestId('span-inspector').getByTestId('payload-input')).toContainText('<iframe src="javascript:window.__xss=10"></iframe>')
  await page.waitForTimeout(500)
  await shot(page, 'xss-inert')

  expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined()
  expect(dialogs).toEqual([])
  const main = page.locator('main, [data-testid=span-tree], [data-testid=span-inspector], [data-testid=call-graph]')
  expect(await main.locator('img, iframe, script:not([src])').count()).toBe(0)
  expect(await page.locator('a[href^="javascript"], iframe').count()).toBe(0)
})

test('an empty project explains how to send data, offers administrators a key, and its curl line works as shown', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 1100 })
  await page.goto(`/projects/${fixture.empty}/traces`)
  const help = page.getByTestId('send-data')
  await expect(help).toContainText('/v1/traces')
  await expect(help.getByTestId('otlp-snippet')).toContainText('OTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer $FLIGHTLINE_KEY"')
  await expect(help.getByTestId('demo-command')).toContainText('npm run demo -- --url http://127.0.0.1')
  await expect(help.getByTestId('demo-button-slot')).toBeVisible()
  // Members are not offered a key: only administrators create keys.
  await expect(help).toContainText('Only administrators create keys')
  await expect(help.getByRole('button', { name: 'Create a new key' })).toHaveCount(0)
  await shot(page, 'empty-state-member')

  // The administrator (from the first-run test) creates one here.
  expect((await page.request.post('/api/auth/login', { data: { email: 'admin@e2e.test', password: 'e2e-admin-password' } })).status()).toBe(200)
  await page.reload()
  await help.getByRole('button', { name: 'Create a new key' }).click()
  const key = (await help.getByTestId('onboarding-key').textContent())!.trim()
  // The key, shown once, copies in one click.
  await expect(help.getByRole('button', { name: 'Copy key' })).toBeVisible()
  expect(key).toMatch(/^fl_/)
  await expect(help.getByTestId('curl-snippet')).toContainText(`Authorization: Bearer ${key}`)
  await expect(help.getByTestId('demo-command')).toContainText(`--key ${key}`)
  await shot(page, 'empty-state')

  // Run the curl line exactly as the page shows it.
  const curl = (await help.getByTestId('curl-snippet').textContent())!
  const answer = execFileSync('bash', ['-c', curl], { encoding: 'utf8' })
  expect(JSON.parse(answer)).toEqual({ accepted: 1 })
  await page.reload()
  await expect(page.getByTestId('traces-table')).toContainText('chat gpt-4o')
})

test('the shell keeps the time range in the URL and across screens', async ({ page }) => {
  await page.goto(`/projects/${fixture.project}/traces?range=1h&tenant_id=acme`)
  await page.getByTestId('time-range').click()
  await page.getByRole('button', { name: '6 hours' }).click()
  await expect(page).toHaveURL(/range=6h/)
  await expect(page).toHaveURL(/tenant_id=acme/)
  await page.getByTestId('time-range').click()
  await page.getByLabel('From (UTC)').fill('2026-01-01T00:00')
  await page.getByLabel('To (UTC)').fill('2026-01-02T00:00')
  await page.getByRole('dialog', { name: 'Time range' }).getByRole('button', { name: 'Apply' }).click()
  await expect(page).toHaveURL(/from=2026-01-01T00%3A00%3A00.000Z&to=2026-01-02T00%3A00%3A00.000Z/)
  await expect(page.getByTestId('time-range')).toHaveText(/2026-01-01 00:00 – 2026-01-02 00:00 UTC/)
  const analytics = page.getByTestId('analytics-section')
  await expect(analytics).toHaveAttribute('href', `/projects/${fixture.project}/analytics/overview?from=2026-01-01T00%3A00%3A00.000Z&to=2026-01-02T00%3A00%3A00.000Z`)
  await analytics.click()
  const cache = page.getByRole('navigation', { name: 'Analytics' }).getByRole('link', { name: 'Cache' })
  await expect(cache).toHaveAttribute('href', `/projects/${fixture.project}/analytics/cache?from=2026-01-01T00%3A00%3A00.000Z&to=2026-01-02T00%3A00%3A00.000Z`)
})

test('the top bar stays on one line, and with the analytics bar reaches every screen', async ({ page }) => {
  const analyticsLabels = ANALYTICS_TOPICS.flatMap((topic) => SECTIONS.filter((section) => section.topic === topic).map((section) => section.label))
  for (const [width, height] of [
    [1440, 900],
    [1280, 720],
  ]) {
    await page.setViewportSize({ width, height })
    await page.goto(`/projects/${fixture.project}/analytics/energy?range=1h`)
    const bar = page.getByTestId('top-bar')
    const nav = page.getByRole('navigation', { name: 'Project' })
    await expect.poll(async () => (await bar.boundingBox())!.height).toBeLessThanOrEqual(49)
    // Every link of the top bar is whole, inside the bar.
    const navBox = (await nav.boundingBox())!
    for (const box of await nav.getByRole('link').evaluateAll((links) => links.map((link) => link.getBoundingClientRect().toJSON()))) {
      expect(box.right).toBeLessThanOrEqual(navBox.x + navBox.width + 1)
    }
    await expect(nav.getByRole('link')).toHaveText(['Traces', 'Dashboards', 'Incidents', 'Alerts', 'Analytics', 'Saved views', 'Data policy'])
    // The analytics bar lists every analytics screen by topic, each whole and in view.
    const analytics = page.getByRole('navigation', { name: 'Analytics' })
    await expect(analytics.getByRole('link')).toHaveText(analyticsLabels)
    for (const link of await analytics.getByRole('link').all()) await expect(link).toBeInViewport({ ratio: 1 })
    await expect(analytics.locator('[aria-current=page]')).toHaveText('Energy')
    await shot(page, `top-bar-${width}`)
  }
  await page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'Saved views' }).click()
  await expect(page).toHaveURL(new RegExp(`/projects/${fixture.project}/views`))
})

test('a 25-deep trace with the graph open: every name, duration and status is visible, and graph text is readable', async ({ page }) => {
  for (const [width, height] of [
    [1440, 900],
    [1280, 720],
  ]) {
    await page.setViewportSize({ width, height })
    await page.goto(`/projects/${fixture.project}/traces/deep-trace?range=3h&panel=graph`)
    await expect(page.getByTestId('call-graph')).toHaveAttribute('data-mode', 'aggregated')
    await expect(page.getByTestId('call-graph').getByTestId('graph-node').first()).toBeVisible()
    await expectDeepTreeReadable(page, 26)
    await shot(page, `deep-trace-graph-${width}`)
  }
})

test('the split between tree and side panel is resizable and remembered', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 })
  await page.goto(`/projects/${fixture.project}/traces/deep-trace?range=3h`)
  const panel = page.getByTestId('side-panel')
  const before = (await panel.boundingBox())!.width
  const handle = page.getByRole('separator', { name: 'Resize the side panel' })
  const box = (await handle.boundingBox())!
  await page.mouse.move(box.x + box.width / 2, box.y + 200)
  await page.mouse.down()
  await page.mouse.move(box.x - 150, box.y + 200, { steps: 5 })
  await page.mouse.up()
  await expect.poll(async () => (await panel.boundingBox())!.width).toBeGreaterThan(before + 100)
  const widened = (await panel.boundingBox())!.width
  await page.reload()
  await expect.poll(async () => Math.round((await panel.boundingBox())!.width)).toBe(Math.round(widened))
})

test('the list: total count, first error, and a histogram that zooms the range by dragging', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 })
  await page.goto(`/projects/${fixture.project}/traces?range=1h`)
  await expect(page.getByTestId('traces-total')).toContainText(/\d+ matching traces/)
  await expect(page.getByTestId('first-error').first()).toContainText('timed out after 30 s')
  const histogram = page.getByTestId('trace-histogram')
  await expect(histogram).toBeVisible()
  const chart = histogram.locator('svg')
  const area = (await chart.boundingBox())!
  // A drag made before the page has hydrated does nothing: drag again until it zooms.
  await expect(async () => {
    await page.mouse.move(area.x + area.width * 0.3, area.y + area.height / 2)
    await page.mouse.down()
    await page.mouse.move(area.x + area.width * 0.7, area.y + area.height / 2, { steps: 5 })
    await page.mouse.up()
    await expect(page).toHaveURL(/from=.*&to=/, { timeout: 5000 })
  }).toPass({ timeout: 30_000 })
  expect(page.url()).not.toContain('range=')
  await shot(page, 'list-zoomed')
})

test('compare two traces: pick them in the list, see aligned trees, their differences and the first divergence', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 })
  await page.goto(`/projects/${fixture.project}/traces?range=1h&tenant_id=globex`)
  const rows = page.getByTestId('trace-row')
  await rows.nth(0).getByTestId('pick-trace').check()
  await rows.nth(1).getByTestId('pick-trace').check()
  await page.getByTestId('compare-picked').click()
  await expect(page).toHaveURL(/\/traces\/compare\?a=.+&b=.+/)
  await expect(page.getByTestId('trace-compare')).toBeVisible()
  await expect(page.getByTestId('compare-row').first()).toBeVisible()

  // A run with a re-entrancy loop against one without: the loop's extra calls are gaps on one side.
  await page.goto(`/projects/${fixture.project}/traces/compare?a=plain-000&b=loop-trace`)
  await expect(page.getByTestId('first-divergence')).toContainText('First divergence')
  await expect(page.getByTestId('compare-row').filter({ hasText: 'not in this run' }).first()).toBeVisible()
  await shot(page, 'compare')
  // The trace page offers the previous run of its session.
  await page.goto(`/projects/${fixture.project}/traces/failing-trace`)
  await expect(page.getByTestId('compare-previous')).toBeVisible()
})
