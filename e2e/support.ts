// What the signed-in end-to-end specs share: the administrator the first-run test created (see
// playwright.config.ts), signing in, and creating a project with the admin token.
import { expect, type Page } from '@playwright/test'

export const ADMIN = { email: 'admin@e2e.test', password: 'e2e-admin-password' }
export const ADMIN_TOKEN = 'e2e-admin-token-0123456789'
/** A chart's plotting surface (legend icons are small svgs of the same class). */
export const CHART = '.recharts-wrapper > svg.recharts-surface'

export async function signIn(page: Page) {
  await page.goto('/login')
  await page.getByLabel('Email').fill(ADMIN.email)
  await page.getByLabel('Password').fill(ADMIN.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('heading', { name: 'Projects' })).toBeVisible()
}

export async function createProject(baseURL: string, name: string): Promise<{ id: string; api_key: string }> {
  const response = await fetch(`${baseURL}/api/v1/projects`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name }),
  })
  expect(response.status).toBe(201)
  return response.json()
}

/** Saves a view of the project with its key and returns the URL of a share link to it. */
export async function shareLink(baseURL: string, apiKey: string, view: { name: string; path: string; state: Record<string, string> }): Promise<string> {
  const key = { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' }
  const saved = await fetch(`${baseURL}/api/v1/views`, { method: 'POST', headers: key, body: JSON.stringify(view) })
  expect(saved.status).toBe(201)
  const { id } = (await saved.json()) as { id: string }
  const share = await fetch(`${baseURL}/api/v1/views/${id}/share`, { method: 'POST', headers: key, body: '{}' })
  expect(share.status).toBe(201)
  return ((await share.json()) as { url: string }).url
}

/**
 * A deep trace with the graph panel open: the tree goes at least `minLevels` deep, and at every
 * scroll position each rendered row shows its whole name, its status and its duration; the
 * graph's node names are 11 px or more at the opening zoom.
 */
export async function expectDeepTreeReadable(page: Page, minLevels: number) {
  const tree = page.getByTestId('span-tree')
  // Let the split settle to the window's width before measuring.
  await page.waitForTimeout(500)
  const scroller = tree.locator('[role=tree]')
  // The deepest level is read at every scroll position below (rows out of view are not rendered).
  let deepest = 0
  let depthMarks = 0
  // Walk the whole tree (it is virtualized): at each scroll position, every rendered row shows
  // its whole name, its status and its duration inside the span column.
  const problems: string[] = []
  for (let top = 0; ; top += page.viewportSize()!.height / 2) {
    await scroller.evaluate((el, y) => (el.scrollTop = y), top)
    await page.waitForTimeout(50)
    problems.push(
      ...(await tree.getByTestId('span-row').evaluateAll((rows) =>
        rows.flatMap((row) => {
          const name = row.querySelector('[data-testid=span-name]') as HTMLElement
          const column = name.parentElement!.getBoundingClientRect()
          const inside = (el: Element | null) => {
            if (!el) return false
            const box = el.getBoundingClientRect()
            return box.width > 0 && box.left >= column.left - 0.5 && box.right <= column.right + 0.5
          }
          const out: string[] = []
          if (name.scrollWidth > name.clientWidth + 1) out.push(`name cut: ${name.textContent}`)
          if (!inside(row.querySelector('[data-testid=span-duration]'))) out.push(`duration hidden: ${name.textContent}`)
          if (!inside(row.querySelector('[data-testid=span-status]'))) out.push(`status hidden: ${name.textContent}`)
          return out
        }),
      )),
    )
    depthMarks += await tree.getByTestId('span-depth').count()
    deepest = Math.max(deepest, await tree.locator('[role=treeitem]').evaluateAll((rows) => Math.max(0, ...rows.map((row) => Number(row.getAttribute('aria-level'))))))
    const done = await scroller.evaluate((el) => el.scrollTop + el.clientHeight >= el.scrollHeight - 1)
    if (done) break
  }
  expect(problems).toEqual([])
  expect(deepest).toBeGreaterThanOrEqual(minLevels)
  // Deep rows say their depth instead of indenting forever.
  expect(depthMarks).toBeGreaterThan(0)
  // Node names at 11 px or more at the opening zoom.
  const textPx = await page.getByTestId('graph-node-label').first().evaluate((label) => {
    const viewport = label.closest('.react-flow__viewport') as HTMLElement
    const zoom = new DOMMatrixReadOnly(getComputedStyle(viewport).transform).a
    return parseFloat(getComputedStyle(label).fontSize) * zoom
  })
  expect(textPx).toBeGreaterThanOrEqual(11)
}
