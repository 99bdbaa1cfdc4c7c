// Golden tests of the chart query compiler: the SQL of every metric and every group-by, as a
// snapshot (__snapshots__/chart-query.test.ts.snap) that shows in a diff exactly what a change
// does to each query; and the rule that no caller value ever reaches the SQL text.
import { describe, expect, it } from 'vitest'
import { CHART_DIMENSIONS, CHART_METRICS, compileChartQuery, type ChartQuery } from './chart-query'

const base: ChartQuery = {
  metric: 'count',
  filters: { columns: {}, attributes: {} },
  from: new Date('2026-11-23T00:00:00Z'),
  to: new Date('2026-11-30T00:00:00Z'),
  limit: 10,
}
const prices = { price_models: ['gpt-4o'], price_input: [2.5e-6], price_cache_read: [1.25e-6], price_cache_write: [2.5e-6], price_output: [1e-5] }

describe('chart query SQL (golden)', () => {
  it.each(CHART_METRICS)('metric %s, one value and by the hour', (metric) => {
    const query = { ...base, metric, scoreName: metric === 'score_mean' ? 'helpfulness' : undefined }
    expect(compileChartQuery('p_golden', query, prices)).toMatchSnapshot('total')
    expect(compileChartQuery('p_golden', { ...query, bucketSeconds: 3600 }, prices)).toMatchSnapshot('bucketed')
  })

  it.each([...CHART_DIMENSIONS, 'attribute:app.feature'])('group by %s', (groupBy) => {
    const query: ChartQuery = { ...base, metric: 'p95_ms', groupBy: groupBy.startsWith('attribute:') ? { attribute: groupBy.slice(10) } : { dimension: groupBy as (typeof CHART_DIMENSIONS)[number] }, bucketSeconds: 3600 }
    expect(compileChartQuery('p_golden', query)).toMatchSnapshot()
  })

  it('every filter', () => {
    const query: ChartQuery = {
      ...base,
      filters: {
        kind: 'tool',
        status: 'error',
        columns: { model: 'gpt-4o', tenant_id: 'acme', user_id: 'u-1', service: 'api', tool_name: 'refund', prompt_name: 'support', route_segment: 'premium' },
        attributes: { 'app.feature': 'refunds' },
      },
    }
    expect(compileChartQuery('p_golden', query)).toMatchSnapshot()
  })
})

describe('chart query plan', () => {
  it.each(CHART_METRICS.filter((m) => m !== 'score_mean'))('%s grouped and bucketed reads spans once', (metric) => {
    const { query: text } = compileChartQuery('p_1', { ...base, metric, groupBy: { dimension: 'tenant_id' }, bucketSeconds: 3600 }, prices)
    expect(text.match(/FROM spans/g)).toHaveLength(1)
    expect(text).not.toContain('WITH')
  })

  it('computes the serving model and its price per raw model of a cell, not per span', () => {
    const { query: text } = compileChartQuery('p_1', { ...base, metric: 'cost_usd', groupBy: { dimension: 'tenant_id' } }, prices)
    const scan = text.slice(text.indexOf('FROM spans'))
    expect(scan).toMatch(/GROUP BY group_key, model_requested, model_resolved, t/)
    expect(scan).not.toContain('match(')
    expect(scan).not.toContain('price_models')
  })
})

describe('chart query parameters', () => {
  const hostile = "x' OR 1=1 --"
  const query: ChartQuery = {
    ...base,
    metric: 'score_mean',
    scoreName: hostile,
    groupBy: { attribute: `${hostile}]` },
    filters: { columns: { tenant_id: hostile, model: `'); DROP TABLE spans; --` }, attributes: { [hostile]: hostile } },
    bucketSeconds: 3600,
  }

  it('binds every caller value as a parameter, never as SQL text', () => {
    const { query: text, params } = compileChartQuery('p_1', query)
    expect(text).not.toContain('OR 1=1')
    expect(text).not.toContain('DROP')
    expect(Object.values(params)).toContain(hostile)
    expect(Object.values(params)).toContain(`'); DROP TABLE spans; --`)
    expect(params.project_id).toBe('p_1')
    expect(text).toContain('{project_id:String}')
  })

  it('scopes the spans and the scores it joins to the same project', () => {
    const { query: text } = compileChartQuery('p_1', query)
    expect(text.match(/project_id = \{project_id:String\}/g)?.length).toBe(3)
  })

  it('refuses a metric or dimension outside the allow-lists even if validation was skipped', () => {
    expect(() => compileChartQuery('p_1', { ...base, metric: 'sum(cost_usd)' as 'count' })).toThrow(/allow-list/)
    expect(() => compileChartQuery('p_1', { ...base, groupBy: { dimension: 'toString' as 'model' } })).toThrow(/allow-list/)
    // Column filters are read by their fixed names only: another key never reaches the SQL.
    expect(compileChartQuery('p_1', { ...base, filters: { ...base.filters, columns: { ['1=1 OR tenant_id' as 'model']: 'x' } } }).query).not.toContain('1=1')
  })

  it('reads only model calls (a request) unless the filters or the group-by name a kind', () => {
    expect(compileChartQuery('p_1', base).params).toMatchObject({ p0: 'llm' })
    const byKind = compileChartQuery('p_1', { ...base, groupBy: { dimension: 'kind' } })
    expect(Object.values(byKind.params)).not.toContain('llm')
  })
})
