import { describe, expect, it } from 'vitest'
import { scrubMessage } from './logger'
import { rejectReason } from './metrics'

describe('rejectReason', () => {
  it('classes the ingest rejection messages into the fixed reasons', () => {
    expect(rejectReason("span_id: span_id must be a string; name: Invalid input: expected string, received undefined")).toBe('invalid')
    expect(rejectReason('start_time 2026-09-01T00:00:00.000Z is older than the retention window (30 days) and would be dropped')).toBe('too_old')
    expect(rejectReason("span_id 'a' of trace 'b' already appears at index 3 of this request with different content; a span is stored once per trace_id and span_id, and the first one is kept")).toBe('conflict')
    expect(rejectReason('not stored: the database refused it (value too large)')).toBe('not_stored')
    expect(rejectReason("chat 'gpt' (span 0a): not stored: the database refused it (x)")).toBe('not_stored')
    expect(rejectReason('log record 0: has no traceId; Flightline keeps log records on the trace they belong to')).toBe('invalid')
  })
})

describe('scrubMessage', () => {
  it('keeps the first line and cuts keys, bearer values and long quoted values', () => {
    expect(scrubMessage('first line\nsecond line with data')).toBe('first line')
    expect(scrubMessage('unknown key fl_i96Xg02ePBZqtYHs23JaO6lC3J3TyMby given')).toBe('unknown key fl_… given')
    expect(scrubMessage('share fls_abcdef0123456789 gone')).toBe('share fls_… gone')
    expect(scrubMessage('header was Bearer abc.def.ghi')).toBe('header was Bearer …')
    expect(scrubMessage(`Cannot parse input: '${'secret payload '.repeat(5)}' at row 1`)).toBe('Cannot parse input: … at row 1')
    expect(scrubMessage("short 'ok' value")).toBe("short 'ok' value")
    expect(scrubMessage('x'.repeat(1000))).toHaveLength(300)
  })
})

describe('logFailure', () => {
  it('carries the request id and project of the request it happened in, and no key or payload', async () => {
    const { Writable } = await import('node:stream')
    const { AsyncLocalStorage } = await import('node:async_hooks')
    const { default: pino } = await import('pino')
    const { logFailure } = await import('./logger')
    const lines: string[] = []
    const sink = new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) })
    const slots = globalThis as Record<symbol, unknown>
    slots[Symbol.for('flightline.logger')] = pino({ formatters: { level: (label) => ({ level: label }) } }, sink)
    const storage = (slots[Symbol.for('flightline.request-context')] ??= new AsyncLocalStorage()) as InstanceType<typeof AsyncLocalStorage<{ requestId: string; projectId?: string }>>
    storage.run({ requestId: 'req-1', projectId: 'p_1' }, () => {
      logFailure('request failed', new Error("insert refused: 'the whole secret payload of the span, quoted back' with key fl_abcdefghijkl\nrow 2: more data"))
    })
    logFailure('outside any request', 'plain failure')
    const [inside, outside] = lines.map((line) => JSON.parse(line))
    expect(inside).toMatchObject({ level: 'error', msg: 'request failed', request_id: 'req-1', project_id: 'p_1', error: { type: 'Error', message: 'insert refused: … with key fl_…' } })
    expect(inside.error.stack).toMatch(/^\s+at /)
    expect(outside).toMatchObject({ level: 'error', msg: 'outside any request', error: { message: 'plain failure' } })
    expect(outside.request_id).toBeUndefined()
    delete slots[Symbol.for('flightline.logger')]
  })
})
