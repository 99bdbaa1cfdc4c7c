import { describe, expect, it } from 'vitest'
import { RecentSpanKeys, spanKeyHash } from './recent-span-keys'

const span = (id: string, start = '2026-12-01 10:00:00.000000000', project = 'p1', trace = 't1') => ({ project_id: project, trace_id: trace, span_id: id, start_time: start })

describe('RecentSpanKeys', () => {
  it('vouches for spans it has not stored that start within its coverage, never for stored ones', () => {
    const keys = new RecentSpanKeys('2026-12-01 09:00:00.0000000000')
    expect(keys.certainlyNew(span('a'))).toBe(true)
    keys.add([span('a')])
    expect(keys.certainlyNew(span('a'))).toBe(false)
    expect(keys.certainlyNew(span('a', '2026-12-01 10:00:00.000000000', 'p2'))).toBe(true)
    // Before its coverage only the spans table knows.
    expect(keys.certainlyNew(span('b', '2026-12-01 08:59:59.999999999'))).toBe(false)
  })

  it('hashes the parts of a key apart', () => {
    expect(spanKeyHash(span('bc', '', 'p', 'ta'))).not.toBe(spanKeyHash(span('c', '', 'p', 'tab')))
    expect(Number.isSafeInteger(spanKeyHash(span('x')))).toBe(true)
  })

  it('stays bounded and moves its coverage past what it dropped', () => {
    const keys = new RecentSpanKeys('1970-01-01 00:00:00.0000000000', 2)
    keys.add([span('a', '2026-12-01 10:00:01.000000000'), span('b', '2026-12-01 10:00:02.000000000')])
    keys.add([span('c', '2026-12-01 10:00:03.000000000'), span('d', '2026-12-01 10:00:04.000000000')])
    keys.add([span('e', '2026-12-01 10:00:05.000000000')])
    expect(keys.size).toBe(3)
    // a and b were dropped: coverage now starts after b, so a re-sent a or b goes to the table.
    expect(keys.certainlyNew(span('a', '2026-12-01 10:00:01.000000000'))).toBe(false)
    expect(keys.certainlyNew(span('b', '2026-12-01 10:00:02.000000000'))).toBe(false)
    expect(keys.certainlyNew(span('c', '2026-12-01 10:00:03.000000000'))).toBe(false)
    expect(keys.certainlyNew(span('f', '2026-12-01 10:00:02.500000000'))).toBe(true)
  })

  it('stops vouching up to the latest start of an insert whose outcome is unknown', () => {
    const keys = new RecentSpanKeys('2026-12-01 09:00:00.0000000000')
    keys.forget([span('a', '2026-12-01 10:00:00.000000000')])
    expect(keys.certainlyNew(span('a', '2026-12-01 10:00:00.000000000'))).toBe(false)
    expect(keys.certainlyNew(span('b', '2026-12-01 09:30:00.000000000'))).toBe(false)
    expect(keys.certainlyNew(span('c', '2026-12-01 10:00:00.000000001'))).toBe(true)
  })
})
