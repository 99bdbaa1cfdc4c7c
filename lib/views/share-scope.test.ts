import { describe, expect, it } from 'vitest'
import { sharedViewSearch, viewAllowsTrace, viewTraceId } from './share-scope'

const traceView = { projectId: 'p_1', path: '/projects/p_1/traces/abc123', state: {} }
const listView = { projectId: 'p_1', path: '/projects/p_1/traces', state: { tenant_id: 'acme', range: '7d' } }

describe('share scope', () => {
  it('opens only the trace a trace view shows, in its own project', () => {
    expect(viewTraceId(traceView)).toBe('abc123')
    expect(viewAllowsTrace(traceView, 'p_1', 'abc123')).toBe(true)
    expect(viewAllowsTrace(traceView, 'p_1', 'other')).toBe(false)
    expect(viewAllowsTrace(traceView, 'p_2', 'abc123')).toBe(false)
    expect(viewTraceId(listView)).toBeUndefined()
    expect(viewAllowsTrace(listView, 'p_1', 'abc123')).toBe(false)
  })

  it('keeps the saved filters and range, and lets only presentation change', () => {
    const search = sharedViewSearch(listView, { sort: 'cost', tenant_id: 'someone-else', range: '30d', user_id: 'u1', cursor: 'c' })
    expect(search).toEqual({ sort: 'cost', cursor: 'c', tenant_id: 'acme', range: '7d' })
  })

  it('takes every parameter that chooses data from the saved state alone: drill-downs, metrics, grouping', () => {
    const routing = { projectId: 'p_1', path: '/projects/p_1/analytics/routing', state: { range: '7d' } }
    expect(sharedViewSearch(routing, { user: 'someone', by: 'model', metric: 'error_rate', tz: 'Asia/Tokyo', score_name: 'x', tab: 't', mode: 'm' })).toEqual({ range: '7d' })
    // A drill-down the saved view itself had open stays open.
    expect(sharedViewSearch({ ...routing, state: { range: '7d', user: 'u-1' } }, { user: 'someone-else' })).toEqual({ range: '7d', user: 'u-1' })
  })
})
