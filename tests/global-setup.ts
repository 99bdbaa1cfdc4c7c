// One shared server for the integration suite; tests isolate themselves by creating their own
// projects. Tests that need a server of their own (locks, crashes) start one with the harness.
import fs from 'node:fs'
import type { TestProject } from 'vitest/node'
import { startServer } from './harness'

export default async function setup(project: TestProject) {
  const server = await startServer()
  project.provide('baseUrl', server.url)
  return async () => {
    await server.stop()
    // FLIGHTLINE_TEST_LOGS=1 prints the shared server's log (for chasing a 500).
    if (process.env.FLIGHTLINE_TEST_LOGS === '1') console.log(server.output())
    fs.rmSync(server.dataDir, { recursive: true, force: true })
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string
  }
}
