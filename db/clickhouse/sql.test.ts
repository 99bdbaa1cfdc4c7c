import { describe, expect, it } from 'vitest'
import { bind, joinSql, renderSql, sql, UNSAFE_RAW_SQL } from './sql'

describe('the typed SQL builder', () => {
  it('renders bound values as typed parameters, numbered or named', () => {
    const tenant = bind('acme', 'String')
    const rendered = renderSql(sql`SELECT count() FROM spans WHERE project_id = ${bind('p_1', 'String', 'project_id')} AND ${joinSql([sql`tenant_id = ${tenant}`, sql`limit_ = ${bind(5, 'UInt32')}`], ' AND ')}`)
    expect(rendered).toEqual({
      query: 'SELECT count() FROM spans WHERE project_id = {project_id:String} AND tenant_id = {p0:String} AND limit_ = {p1:UInt32}',
      params: { project_id: 'p_1', p0: 'acme', p1: 5 },
    })
  })

  it('refuses a plain string in a hole: user input cannot become SQL text', () => {
    const input = "x' OR 1=1" as unknown as ReturnType<typeof bind>
    expect(() => sql`SELECT ${input}`).toThrow(/bind it with bind\(\)/)
  })

  it('refuses one name bound to two different values, and bad names', () => {
    expect(() => renderSql(sql`${bind('a', 'String', 'x')} ${bind('b', 'String', 'x')}`)).toThrow(/bound twice/)
    expect(renderSql(sql`${bind('a', 'String', 'x')} ${bind('a', 'String', 'x')}`).query).toBe('{x:String} {x:String}')
    expect(() => bind('a', 'String', 'x}; DROP')).toThrow(/bad parameter name/)
  })

  it('splices raw text only through UNSAFE_RAW_SQL', () => {
    expect(renderSql(sql`SELECT ${UNSAFE_RAW_SQL('count()')}`).query).toBe('SELECT count()')
  })
})
