// A pass-through HTTP proxy on loopback that records each exchange (path, headers, status).
// Tests put it between a real client and the real server to see what the client actually sent
// (gzip or not, which path, which auth) and what it was answered, without touching either side.
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Exchange {
  method: string
  path: string
  contentType: string
  contentEncoding: string
  authScheme: string
  requestBytes: number
  status: number
  retryAfter: string | null
}

export interface RecordingProxy {
  url: string
  exchanges: Exchange[]
  close: () => Promise<void>
}

// Connection-level headers are the proxy's own business on each side.
const HOP_BY_HOP = new Set(['host', 'connection', 'keep-alive', 'content-length', 'transfer-encoding', 'upgrade', 'expect'])

export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const exchanges: Exchange[] = []
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', async () => {
      const body = Buffer.concat(chunks)
      const headers = new Headers()
      for (const [key, value] of Object.entries(req.headers)) {
        if (value === undefined || HOP_BY_HOP.has(key)) continue
        headers.set(key, Array.isArray(value) ? value.join(', ') : value)
      }
      try {
        const response = await fetch(`${target}${req.url}`, { method: req.method, headers, body: body.length > 0 ? body : undefined })
        const answer = Buffer.from(await response.arrayBuffer())
        exchanges.push({
          method: req.method ?? '',
          path: req.url ?? '',
          contentType: req.headers['content-type'] ?? '',
          contentEncoding: req.headers['content-encoding'] ?? '',
          authScheme: (req.headers.authorization ?? '').split(' ')[0],
          requestBytes: body.length,
          status: response.status,
          retryAfter: response.headers.get('retry-after'),
        })
        const out: Record<string, string> = {}
        response.headers.forEach((value, key) => {
          if (key !== 'content-encoding' && key !== 'content-length' && key !== 'transfer-encoding') out[key] = value
        })
        res.writeHead(response.status, out).end(answer)
      } catch (error) {
        res.writeHead(502).end(`proxy could not reach the server: ${String(error)}`)
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    exchanges,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
