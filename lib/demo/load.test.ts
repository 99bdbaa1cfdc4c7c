// The demo sender against a small real HTTP server that sheds load the way Flightline does
// (503 + Retry-After, 429), then accepts.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { httpSink, IngestRefusedError } from './http-sink'
import { loadDemo } from './load'
import { progressLine } from './progress-line'

const END = '2026-11-27T05:00:00Z'
let server: http.Server
let baseUrl = ''
const seen = { spans: 0, scores: 0, refusals: 0, gaps: [] as number[], authorization: '' }
let refuseNext = 0
let lastRefusal = 0

beforeAll(async () => {
  server = http.createServer((request, response) => {
    let body = ''
    request.on('data', (chunk) => (body += chunk))
    request.on('end', () => {
      seen.authorization = request.headers.authorization ?? ''
      if (request.headers.authorization === 'Bearer bad') {
        response.writeHead(401, { 'Content-Type': 'application/json' }).end('{"error":"unknown or revoked API key"}')
        return
      }
      if (refuseNext > 0) {
        refuseNext--
        seen.refusals++
        lastRefusal = Date.now()
        const status = refuseNext % 2 === 0 ? 503 : 429
        response.writeHead(status, { 'Retry-After': '1', 'Content-Type': 'application/json' }).end('{"error":"shedding load"}')
        return
      }
      if (lastRefusal) {
        seen.gaps.push(Date.now() - lastRefusal)
        lastRefusal = 0
      }
      const parsed = JSON.parse(body)
      const items = parsed.spans ?? parsed.scores
      if (parsed.spans) seen.spans += items.length
      else seen.scores += items.length
      response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ accepted: items.length }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

describe('loadDemo over HTTP', () => {
  it('retries 503 and 429 after their Retry-After and delivers every span and score once', async () => {
    refuseNext = 2
    const progress: number[] = []
    const result = await loadDemo({
      demo: { seed: 2, spans: 3000, days: 1, end: END, batchSpans: 500 },
      sink: httpSink({ baseUrl, apiKey: 'fl_test' }),
      concurrency: 1,
      onProgress: (p) => progress.push(p.spansSent),
    })
    expect(seen.authorization).toBe('Bearer fl_test')
    expect(seen.refusals).toBe(2)
    expect(result.retries).toBe(2)
    for (const gap of seen.gaps) expect(gap).toBeGreaterThanOrEqual(950)
    expect(seen.spans).toBe(result.spansSent)
    expect(seen.scores).toBe(result.scoresSent)
    expect(result.spansSent).toBe(result.summary.spans)
    expect(progress).toEqual([...progress].sort((a, b) => a - b))
    expect(progress.at(-1)).toBe(result.spansSent)
  })

  it('stops with the server message when the key is refused', async () => {
    await expect(loadDemo({ demo: { seed: 2, spans: 1000, days: 1, end: END }, sink: httpSink({ baseUrl, apiKey: 'bad' }) })).rejects.toThrow(IngestRefusedError)
  })
})

describe('progressLine', () => {
  it('shows the bar, the counts, the rate and the time left', () => {
    const line = progressLine({ spansSent: 482_113, spansPlanned: 1_000_000, scoresSent: 0, tracesSent: 0, rejected: 0, retries: 3, elapsedMs: 11_700, rate: 41_207.4, etaMs: 12_560 }, 20)
    expect(line).toBe('[##########..........]  48%  482,113 / 1,000,000 spans  41,207 spans/s  0:13 left  (3 retries)')
  })
})
