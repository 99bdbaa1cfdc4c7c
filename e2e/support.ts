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
