// Dashboards in Chromium: a newcomer's empty page, building a chart with the builder (previewed
// as it is edited) over a demo week, saving, reopening, moving a widget, a starting dashboard
// copied through the API drawing every widget, and a share link that opens the board read-only
// without an account.
import { expect, test } from '@playwright/test'
import { httpSink } from '@/lib/demo/http-sink'
import { loadDemo } from '@/lib/demo/load'
import { pinnedWeekEnd } from '@/lib/demo/plan'
import { DASHBOARD_TEMPLATES } from '@/lib/dashboards/templates'
import { ADMIN_TOKEN, CHART, createProject, signIn } from './support'

test.describe('dashboards', () => {
  test.describe.configure({ mode: 'serial', timeout: 240_000 })
  let project: { id: string; api_key: string }
  let week: string

  test.beforeAll(async ({ baseURL }) => {
    project = await createProject(baseURL!, 'e2e-dashboards-demo')
    const result = await loadDemo({ demo: { seed: 7, spans: 20_000, days: 7, end: pinnedWeekEnd(), batchSpans: 2000 }, sink: httpSink({ baseUrl: baseURL!, apiKey: project.api_key }), concurrency: 2 })
    expect(result.rejected).toBe(0)
    const { start, end } = result.summary.plan
    week = new URLSearchParams({ from: new Date(start).toISOString(), to: new Date(end).toISOString() }).toString()
  })

  test.beforeEach(async ({ page }) => {
    await page.setViewportSize({ width: 1440, height: 900 })
    await signIn(page)
  })

  test('an empty project tells a newcomer how to start', async ({ page, baseURL }) => {
    const empty = await createProject(baseURL!, 'e2e-dashboards-empty')
    await page.goto(`/projects/${empty.id}/dashboards`)
    await expect(page.getByRole('heading', { name: 'Dashboards', exact: true })).toBeVisible()
    await expect(page.getByTestId('no-dashboards')).toContainText('No dashboards yet')
    await expect(page.getByTestId('dashboard-template')).toHaveCount(3)
    await page.screenshot({ path: 'test-results/e2e/dashboards-empty.png', fullPage: true })
  })

  test('build a chart, save, reopen, move it, and share the board read-only', async ({ page, browser, request }) => {
    await page.goto(`/projects/${project.id}/dashboards`)
    await page.getByLabel('New dashboard name').fill('Refund desk')
    await page.getByRole('button', { name: 'New dashboard' }).click()
    await expect(page.getByTestId('dashboard-name')).toHaveText('Refund desk')
    const dashboardId = page.url().split('/dashboards/')[1].split('?')[0]
    await page.goto(`/projects/${project.id}/dashboards/${dashboardId}?${week}`)
    await expect(page.getByTestId('board-empty')).toContainText('Add widget')
    await page.screenshot({ path: 'test-results/e2e/dashboards-board-empty.png', fullPage: true })

    // The builder previews as you edit.
    await page.getByRole('button', { name: 'Edit dashboard' }).click()
    await page.getByRole('button', { name: 'Add widget' }).click()
    const builder = page.getByTestId('widget-builder')
    await builder.getByLabel('Metric').selectOption('p95_ms')
    await builder.getByLabel('Group by').selectOption('model')
    await builder.getByLabel('Bucket').selectOption('21600')
    await builder.getByLabel('Widget title').fill('p95 latency by model')
    await expect(builder.getByTestId('widget-preview').locator(CHART)).toBeVisible()
    await expect(builder.getByTestId('widget-preview')).toContainText('p95 latency (ms)')
    await page.screenshot({ path: 'test-results/e2e/dashboards-builder.png', fullPage: true })
    await builder.getByRole('button', { name: 'Add to dashboard' }).click()

    await page.getByRole('button', { name: 'Add widget' }).click()
    await builder.getByLabel('Metric').selectOption('cost_usd')
    await builder.getByLabel('Group by').selectOption('tenant_id')
    await builder.getByLabel('Bucket').selectOption('')
    await builder.getByLabel('Chart type').selectOption('table')
    await builder.getByLabel('Widget title').fill('Cost by tenant')
    await expect(builder.getByTestId('widget-table')).toBeVisible()
    await builder.getByRole('button', { name: 'Add to dashboard' }).click()
    await page.getByRole('button', { name: 'Save dashboard' }).click()
    await expect(page.getByRole('button', { name: 'Edit dashboard' })).toBeVisible()

    // Reopen: both widgets come back from the server, drawn.
    await page.reload()
    const widgets = page.getByTestId('dashboard-widget')
    await expect(widgets).toHaveCount(2)
    await expect(widgets.nth(0).locator(CHART)).toBeVisible()
    await expect(widgets.nth(1).getByTestId('widget-table')).toBeVisible()

    // Drag the table to the right of the chart and save.
    await page.getByRole('button', { name: 'Edit dashboard' }).click()
    const handle = widgets.nth(1).getByTestId('widget-handle')
    const gridBox = (await page.getByTestId('dashboard-grid').boundingBox())!
    const handleBox = (await handle.boundingBox())!
    const column = gridBox.width / 12
    await page.mouse.move(handleBox.x + 20, handleBox.y + 8)
    await page.mouse.down()
    await page.mouse.move(handleBox.x + 20 + 6 * column, handleBox.y + 8 - 4 * 84, { steps: 8 })
    await page.mouse.up()
    await expect(page.getByText('unsaved changes')).toBeVisible()
    // And make the chart one row taller by its corner.
    const corner = (await widgets.nth(0).getByTestId('widget-resize').boundingBox())!
    await page.mouse.move(corner.x + 8, corner.y + 8)
    await page.mouse.down()
    await page.mouse.move(corner.x + 8, corner.y + 8 + 84, { steps: 6 })
    await page.mouse.up()
    await page.getByRole('button', { name: 'Save dashboard' }).click()
    await expect(page.getByRole('button', { name: 'Edit dashboard' })).toBeVisible()
    const saved = await (await request.get(`/api/v1/dashboards/${dashboardId}?project=${project.id}`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } })).json()
    expect(saved.widgets.map((w: { title: string }) => w.title)).toEqual(['p95 latency by model', 'Cost by tenant'])
    expect(saved.widgets[0].layout).toEqual({ x: 0, y: 0, w: 6, h: 5 })
    expect(saved.widgets[1].layout).toEqual({ x: 6, y: 0, w: 6, h: 4 })
    await page.screenshot({ path: 'test-results/e2e/dashboards-built.png', fullPage: true })

    // Save it as a view and share it; a browser without an account sees it, read-only.
    await page.getByRole('button', { name: 'Save view' }).click()
    await page.getByLabel('Name of this view').fill('Refund desk, demo week')
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    await page.getByRole('button', { name: 'Create share link' }).click()
    const shareUrl = await page.getByTestId('share-url').inputValue()
    expect(shareUrl).toMatch(/\/s\/fls_[A-Za-z0-9_-]{43}$/)

    const visitor = await browser.newContext()
    const guest = await visitor.newPage()
    await guest.setViewportSize({ width: 1440, height: 900 })
    expect((await guest.goto(shareUrl))?.status()).toBe(200)
    await expect(guest.getByTestId('shared-view-name')).toContainText('Refund desk, demo week')
    await expect(guest.getByTestId('dashboard-widget')).toHaveCount(2)
    await expect(guest.getByTestId('dashboard-widget').nth(0).locator(CHART)).toBeVisible()
    await expect(guest.getByRole('button', { name: 'Edit dashboard' })).toHaveCount(0)
    await expect(guest.getByTestId('board-tenant')).toHaveCount(0)
    await expect(guest.locator('a[href*="/projects/"]')).toHaveCount(0)
    await guest.screenshot({ path: 'test-results/e2e/dashboards-shared.png', fullPage: true })
    await visitor.close()
  })

  test('the starting dashboards, made through the API, draw every widget', async ({ page, request }) => {
    let onCall = ''
    for (const template of DASHBOARD_TEMPLATES) {
      const created = await request.post(`/api/v1/dashboards`, { headers: { Authorization: `Bearer ${project.api_key}` }, data: { name: template.name, widgets: template.widgets } })
      expect(created.status()).toBe(201)
      const { id } = await created.json()
      if (template.id === 'on-call') onCall = id
      await page.goto(`/projects/${project.id}/dashboards/${id}?${week}`)
      const widgets = page.getByTestId('dashboard-widget')
      await expect(widgets).toHaveCount(template.widgets.length)
      for (let i = 0; i < template.widgets.length; i++) {
        const chart = template.widgets[i].chart
        const drawn = chart === 'number' ? widgets.nth(i).getByTestId('widget-number') : chart === 'table' ? widgets.nth(i).getByTestId('widget-table') : widgets.nth(i).locator(CHART)
        await expect(drawn, `${template.name}: ${template.widgets[i].title}`).toBeVisible()
      }
      await page.screenshot({ path: `test-results/e2e/dashboards-${template.id}.png`, fullPage: true })
    }
    await page.goto(`/projects/${project.id}/dashboards/${onCall}?${week}`)
    const widgets = page.getByTestId('dashboard-widget')

    // The tenant filter of the board narrows every widget: fewer model calls than the whole project's.
    const count = async () => Number((await widgets.nth(0).getByTestId('widget-number').locator('div').first().textContent())!.replace(/,/g, ''))
    const all = await count()
    await page.getByTestId('board-tenant').fill('brightpath')
    await page.getByRole('button', { name: 'Apply' }).click()
    await expect(page).toHaveURL(/tenant_id=brightpath/)
    await expect.poll(count).toBeLessThan(all)
    expect(await count()).toBeGreaterThan(0)
    await page.screenshot({ path: 'test-results/e2e/dashboards-on-call-brightpath.png', fullPage: true })
  })
})
