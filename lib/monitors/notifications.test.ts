import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { backoffMs, MAX_ATTEMPTS, signature, slackBody, type WebhookBody } from './notifications'

const body: WebhookBody = {
  event: 'incident.opened',
  monitor: { id: 'm1', name: 'Cache', type: 'cache_thrash' },
  incident: {
    id: 'i1',
    status: 'open',
    started_at: '2026-12-01T09:47:00.000Z',
    resolved_at: null,
    summary: 'cache hit rate 71% → 18% since 09:47; suspect tenant: brightpath; extra cost so far $412',
    suspect: { tenant: 'brightpath' },
    value: 0.18,
    threshold: 0.71,
    url: 'http://localhost:3000/s/fls_x',
  },
}

describe('webhook signature', () => {
  it('is the hex HMAC-SHA256 of the raw body with the channel secret', () => {
    const raw = JSON.stringify(body)
    expect(signature('whsec_abc', raw)).toBe(`sha256=${createHmac('sha256', 'whsec_abc').update(raw).digest('hex')}`)
    expect(signature('whsec_abc', raw)).not.toBe(signature('whsec_abd', raw))
    expect(signature('whsec_abc', raw)).not.toBe(signature('whsec_abc', raw + ' '))
  })
})

describe('slack format', () => {
  it('carries the same facts as text plus blocks', () => {
    const slack = slackBody(body)
    expect(slack.text).toContain('Incident opened')
    expect(slack.text).toContain('brightpath')
    const blocks = JSON.stringify(slack.blocks)
    for (const fact of ['2026-12-01T09:47:00.000Z', 'tenant brightpath', 'threshold 0.71', 'http://localhost:3000/s/fls_x', 'extra cost so far $412']) expect(blocks).toContain(fact)
  })

  it('words a resolve and a test', () => {
    expect(slackBody({ ...body, event: 'incident.resolved', incident: { ...body.incident!, status: 'resolved', resolved_at: '2026-12-01T10:30:00.000Z' } }).text).toContain('Incident resolved')
    const test = slackBody({ ...body, event: 'monitor.test', incident: null })
    expect(test.text).toBe('Test notification from monitor "Cache" (cache_thrash)')
  })
})

describe('retry backoff', () => {
  it('doubles from 2 s and is capped at 10 minutes', () => {
    expect([1, 2, 3, 4].map(backoffMs)).toEqual([2000, 4000, 8000, 16000])
    expect(backoffMs(20)).toBe(600_000)
    expect(MAX_ATTEMPTS).toBe(8)
  })
})
