// `npm run bench`: builds the app when there is no build, then runs every bench/*.bench.ts
// (or only those named: `npm run bench -- ingest otlp`).
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { withBenchServer, type BenchModule } from './harness'

const distDir = process.env.FLIGHTLINE_DIST_DIR || '.next'
if (!fs.existsSync(path.join(distDir, 'BUILD_ID'))) {
  console.log('no build found: building first')
  const build = spawnSync(process.execPath, [path.join('node_modules', 'next', 'dist', 'bin', 'next'), 'build'], { stdio: 'inherit' })
  if (build.status !== 0) process.exit(build.status ?? 1)
}

const wanted = process.argv.slice(2)
const files = fs
  .readdirSync(import.meta.dirname)
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => wanted.length === 0 || wanted.some((name) => file.startsWith(name)))
  .sort()

for (const file of files) {
  const started = Date.now()
  console.log(`\n== ${file} ==`)
  const mod = (await import(pathToFileURL(path.join(import.meta.dirname, file)).href)) as BenchModule
  try {
    if (typeof mod.run !== 'function') throw new Error(`${file} exports no run(ctx)`)
    await withBenchServer(file.replace(/\.bench\.ts$/, ''), (ctx) => mod.run(ctx), mod.server?.env, { grpc: mod.server?.grpc })
  } catch (error) {
    console.error(`${file} failed:`, error)
    process.exitCode = 1
  }
  console.log(`== ${file} done in ${((Date.now() - started) / 1000).toFixed(1)} s ==`)
}
