import { defineConfig } from '@playwright/test'

const port = Number(process.env.E2E_PORT ?? 3210)

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results/e2e',
  timeout: 60_000,
  // The machines these run on are shared and often loaded: a navigation that renders a page on
  // the server, or a graph laid out in a worker, can take longer than Playwright's 5 s default.
  expect: { timeout: 20_000 },
  workers: 1,
  reporter: [['list']],
  // The first-run test creates the administrator; tests that sign in run after it.
  projects: [
    { name: 'first-run', testMatch: /smoke\.spec\.ts/ },
    { name: 'signed-in', testIgnore: /smoke\.spec\.ts/, dependencies: ['first-run'] },
  ],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    screenshot: 'on',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
    },
  },
  webServer: {
    command: `node scripts/e2e-server.mjs`,
    url: `http://127.0.0.1:${port}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    env: { PORT: String(port) },
  },
})
