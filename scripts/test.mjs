#!/usr/bin/env node
// `npm test`: every test. Builds the app (integration and end-to-end tests run the real built
// server), then runs unit + integration tests (vitest, embedded engines), the tests that touch
// Postgres once more against a Postgres server when FLIGHTLINE_TEST_DATABASE_URL names one
// (.ci/run starts one), and end-to-end tests (Playwright, Debian chromium). Stops at the first
// failing stage. `npm test -- <stage>` runs the stages whose name contains <stage>.
import { spawnSync } from 'node:child_process'
import path from 'node:path'

const bin = (name) => path.join('node_modules', '.bin', name)
// Accounts, sessions, keys, projects, saved views, share links, prices and first-run setup.
const POSTGRES_TESTS = ['accounts-and-sharing', 'access-rules', 'first-run', 'analytics'].map((name) => `tests/integration/${name}.test.ts`)
const postgresServer = process.env.FLIGHTLINE_TEST_DATABASE_URL
const stages = [
  ['build', process.execPath, [path.join('node_modules', 'next', 'dist', 'bin', 'next'), 'build']],
  // The main run uses the embedded Postgres (PGlite), whatever the environment says.
  ['unit + integration', bin('vitest'), ['run'], { FLIGHTLINE_TEST_DATABASE_URL: '' }],
  ['postgres server', bin('vitest'), ['run', '--project', 'integration', ...POSTGRES_TESTS], {}, postgresServer ? undefined : 'set FLIGHTLINE_TEST_DATABASE_URL to a Postgres server to run it'],
  ['end-to-end', bin('playwright'), ['test'], { FLIGHTLINE_TEST_DATABASE_URL: '' }],
]
const only = process.argv[2]
for (const [name, command, args, env = {}, skipped] of stages) {
  if (only && !name.includes(only)) continue
  console.log(`\n=== ${name} ===`)
  if (skipped) {
    console.log(`=== ${name} skipped: ${skipped} ===`)
    continue
  }
  const started = Date.now()
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, FLIGHTLINE_DIST_DIR: '', ...env } })
  if (result.status !== 0) {
    console.error(`\n${name} failed (exit ${result.status ?? result.signal})`)
    process.exit(result.status ?? 1)
  }
  console.log(`=== ${name} passed in ${((Date.now() - started) / 1000).toFixed(1)} s ===`)
}
