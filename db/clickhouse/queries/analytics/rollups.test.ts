import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { MODEL_CALL_BLOCKS, ROLLUPS, wholeBlocks, MODEL_CALL_USER_DAYS } from './rollups'
import { unweightedSql } from './model-calls'

const migration = fs.readFileSync(path.join(process.cwd(), 'migrations', 'clickhouse', '0030_analytics_rollups.sql'), 'utf8')
const views = new Map(
  [...migration.matchAll(/CREATE MATERIALIZED VIEW IF NOT EXISTS \w+ \{\{ON_CLUSTER\}\} TO \{\{LOCAL (\w+)\}\} AS\n(.*?);\n/gs)].map((m) => [m[1], m[2]]),
)
const backfills = new Map([...migration.matchAll(/INSERT INTO (\w+)\n(.*?);\n/gs)].map((m) => [m[1], m[2]]))
const squash = (sql: string) => sql.replace(/\s+/g, ' ').trim()
describe('rollups', () => {
  it('compute every column the way the materialized views do', () => {
    for (const rollup of ROLLUPS) {
      const view = views.get(rollup.table)
      expect(view, rollup.table).toBeDefined()
      for (const column of [...rollup.keys, ...rollup.measures]) {
        const expected = column.raw === column.name ? `${column.name},` : `${unweightedSql(column.raw)} AS ${column.name}`
        expect(squash(view!), `${rollup.table}.${column.name}`).toContain(squash(expected))
      }
    }
  })

  it('backfill with exactly the views\' queries', () => {
    expect([...backfills.keys()].sort()).toEqual([...views.keys()].sort())
    for (const [table, select] of backfills) expect(squash(select)).toBe(squash(views.get(table)!.replace('{{LOCAL spans}}', 'spans')))
  })

  it('split a range into whole blocks and raw edges', () => {
    const range = { from: new Date('2026-11-20T05:07:00Z'), to: new Date('2026-11-27T05:00:00Z') }
    expect(wholeBlocks(MODEL_CALL_BLOCKS, range)).toEqual({ blockFrom: new Date('2026-11-20T05:15:00Z'), blockTo: new Date('2026-11-27T05:00:00Z') })
    expect(wholeBlocks(MODEL_CALL_USER_DAYS, range)).toEqual({ blockFrom: new Date('2026-11-21T00:00:00Z'), blockTo: new Date('2026-11-27T00:00:00Z') })
    const short = { from: new Date('2026-11-20T05:07:00Z'), to: new Date('2026-11-20T05:14:00Z') }
    expect(wholeBlocks(MODEL_CALL_BLOCKS, short)).toEqual({ blockFrom: short.from, blockTo: short.from })
  })
})
