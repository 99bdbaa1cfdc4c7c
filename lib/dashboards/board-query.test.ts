import { describe, expect, it } from 'vitest'
import { widgetQueryOnBoard } from './board-query'

const day = { from: new Date('2026-11-29T00:00:00Z'), to: new Date('2026-11-30T00:00:00Z') }

describe('a widget on a board', () => {
  it("takes the board's range and tenant instead of its own", () => {
    const query = { metric: 'count', range: '7d', filters: { tenant_id: 'acme', kind: 'tool' } }
    expect(widgetQueryOnBoard(query, { ...day, tenantId: 'globex' })).toEqual({
      metric: 'count',
      filters: { tenant_id: 'globex', kind: 'tool' },
      from: '2026-11-29T00:00:00.000Z',
      to: '2026-11-30T00:00:00.000Z',
    })
    expect(widgetQueryOnBoard(query, day).filters).toEqual({ tenant_id: 'acme', kind: 'tool' })
  })

  it('widens a bucket that would cut the range into more than 1000 points', () => {
    expect(widgetQueryOnBoard({ metric: 'count', bucket: 60 }, day).bucket).toBe(300)
    const quarter = { from: new Date('2026-09-01T00:00:00Z'), to: new Date('2026-11-30T00:00:00Z') }
    expect(widgetQueryOnBoard({ metric: 'count', bucket: 3600 }, quarter).bucket).toBe(10_800)
    expect(widgetQueryOnBoard({ metric: 'count', bucket: 3600 }, day).bucket).toBe(3600)
  })
})
