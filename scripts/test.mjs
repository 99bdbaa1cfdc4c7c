#!/usr/bin/env node
// `npm test`: every test. Builds the app (integration and end-to-end tests run the real built
// server), then runs unit + integration tests (vitest) and end-to-end tests (Playwright, Debian
// chromium). Stops at the first failing stage.
import { spawnSync } from 'node:child_process'
import path from 'node:path'

const bin = (name) => path.join('node_modules', '.bin', name)
const stages = [
  ['build', process.execPath, [path.join('node_modules', 'next', 'dist', 'bin', 'next'), 'build']],
  ['unit + integration', bin('vitest'), ['run']],
  ['end-to-end', bin('playwright'), ['test']],
]
const only = process.argv[2]
for (const [name, command, args] of stages) {
  if (only && !name.includes(only)) continue
  console.log(`\n=== ${name} ===`)
  const started = Date.now()
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, FLIGHTLINE_DIST_DIR: '' } })
  if (result.status !== 0) {
    console.error(`\n${name} failed (exit ${result.status ?? result.signal})`)
    process.exit(result.status ?? 1)
  }
  console.log(`=== ${name} passed in ${((Date.now() - started) / 1000).toFixed(1)} s ===`)
}
