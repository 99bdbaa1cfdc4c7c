// Integration harness: runs the real built server (scripts/server.mjs, as `npm start` does) on
// its own temporary data directory and port, with the embedded engines, and offers a small typed client for it.
// Tests talk to it over real HTTP, exactly as an application would.
import { spawn, type ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'

export const ADMIN_TOKEN = 'test-admin-token-0123456789'
export const ADMIN_EMAIL = 'admin@flightline.test'
export const ADMIN_PASSWORD = 'admin-password-123'
const SERVER_SCRIPT = path.join(process.cwd(), 'scripts', 'server.mjs')

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}

export interface TestServer {
  url: string
  port: number
  /** The OTLP/gRPC port when started with `grpc: true`; 0 when gRPC is off. */
  grpcPort: number
  dataDir: string
  process: ChildProcess
  output: () => string
  /** Resolves with the exit code once the process ended. */
  exited: Promise<number | null>
  stop: () => Promise<void>
  kill9: () => Promise<void>
}

export interface StartOptions {
  dataDir?: string
  env?: Record<string, string>
  /** Wait until /api/health answers ok (default true). */
  waitReady?: boolean
  /**
   * Serve OTLP/gRPC on a free port of its own (default off: many test servers run at once on
   * one machine, and the default 4317 can be held by only one of them).
   */
  grpc?: boolean
}

export function tempDataDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `flightline-${label}-`))
}

/**
 * With FLIGHTLINE_TEST_DATABASE_URL (a Postgres server; `npm test` runs a stage with it), each
 * data directory gets a database of its own on that server, created on first use, so a server
 * restarted on the same directory finds its accounts again. Without it: embedded PGlite.
 */
async function databaseUrlFor(dataDir: string): Promise<string> {
  const server = process.env.FLIGHTLINE_TEST_DATABASE_URL
  if (!server) return ''
  const name = `flightline_test_${createHash('sha256').update(dataDir).digest('hex').slice(0, 20)}`
  const { default: pg } = await import('pg')
  const client = new pg.Client({ connectionString: server })
  await client.connect()
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${name}`)
  } finally {
    await client.end()
  }
  const url = new URL(server)
  url.pathname = `/${name}`
  return url.toString()
}

export async function startServer(options: StartOptions = {}): Promise<TestServer> {
  const port = await freePort()
  const grpcPort = options.grpc ? await freePort() : 0
  const dataDir = options.dataDir ?? tempDataDir('it')
  const databaseUrl = await databaseUrlFor(dataDir)
  let log = ''
  const child = spawn(process.execPath, ['--max-semi-space-size=64', SERVER_SCRIPT], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      FLIGHTLINE_DATA_DIR: dataDir,
      FLIGHTLINE_ADMIN_TOKEN: ADMIN_TOKEN,
      FLIGHTLINE_ADMIN_EMAIL: ADMIN_EMAIL,
      FLIGHTLINE_ADMIN_PASSWORD: ADMIN_PASSWORD,
      CLICKHOUSE_URL: '',
      DATABASE_URL: databaseUrl,
      FLIGHTLINE_OTLP_GRPC_PORT: String(grpcPort),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout!.on('data', (chunk) => (log += chunk))
  child.stderr!.on('data', (chunk) => (log += chunk))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const url = `http://127.0.0.1:${port}`
  const server: TestServer = {
    url,
    port,
    grpcPort,
    dataDir,
    process: child,
    output: () => log,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      await exited
    },
    kill9: async () => {
      child.kill('SIGKILL')
      await exited
    },
  }
  if (options.waitReady !== false) await waitForHealth(server)
  return server
}

// Generous: on a loaded machine, opening and migrating both stores can take most of a minute.
export async function waitForHealth(server: TestServer, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let exitedEarly = false
  void server.exited.then(() => (exitedEarly = true))
  while (Date.now() < deadline) {
    if (exitedEarly) throw new Error(`server exited before it was ready:\n${server.output()}`)
    try {
      const response = await fetch(`${server.url}/api/health`)
      if (response.ok) return
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 150))
  }
  throw new Error(`server not healthy after ${timeoutMs} ms:\n${server.output()}`)
}

export interface ProjectHandle {
  id: string
  name: string
  api_key: string
}

/** A small typed client for one project's key. */
export class FlightlineClient {
  constructor(
    public readonly baseUrl: string,
    public readonly key: string,
  ) {}

  async request(method: string, pathname: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: any; headers: Headers }> {
    const response = await fetch(`${this.baseUrl}${pathname}`, {
      method,
      headers: { Authorization: `Bearer ${this.key}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' || body instanceof Uint8Array ? (body as BodyInit) : JSON.stringify(body),
    })
    const text = await response.text()
    let json: unknown = text
    try {
      json = text ? JSON.parse(text) : null
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, json, headers: response.headers }
  }

  sendSpans(spans: unknown[]) {
    return this.request('POST', '/api/v1/spans', { spans })
  }

  sendScores(scores: unknown[]) {
    return this.request('POST', '/api/v1/scores', { scores })
  }

  getTrace(traceId: string) {
    return this.request('GET', `/api/v1/traces/${encodeURIComponent(traceId)}`)
  }

  listTraces(query: Record<string, string> = {}) {
    return this.request('GET', `/api/v1/traces?${new URLSearchParams(query)}`)
  }
}

export async function createProject(baseUrl: string, name = `project-${Math.random().toString(36).slice(2, 8)}`): Promise<ProjectHandle & { client: FlightlineClient }> {
  const response = await fetch(`${baseUrl}/api/v1/projects`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name }),
  })
  if (response.status !== 201) throw new Error(`could not create project: ${response.status} ${await response.text()}`)
  const project = (await response.json()) as ProjectHandle
  return { ...project, client: new FlightlineClient(baseUrl, project.api_key) }
}

/** Signs in over the login API and returns the session cookie ("fl_session=..."). */
export async function login(baseUrl: string, email: string, password: string): Promise<{ status: number; cookie?: string; retryAfter?: string | null }> {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  })
  const setCookie = response.headers.get('set-cookie') ?? undefined
  return { status: response.status, cookie: setCookie?.split(';')[0], retryAfter: response.headers.get('retry-after') }
}

export async function createUser(baseUrl: string, user: { email: string; password: string; role: 'admin' | 'member' | 'viewer'; projects?: string[] }) {
  const response = await fetch(`${baseUrl}/api/v1/users`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(user),
  })
  if (response.status !== 201) throw new Error(`could not create user: ${response.status} ${await response.text()}`)
  return response.json() as Promise<{ id: string }>
}
