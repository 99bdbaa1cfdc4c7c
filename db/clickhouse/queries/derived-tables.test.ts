import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { DERIVED_TABLES } from './derived-tables'
import { unweightedSql } from './analytics/model-calls'

const migrationsDir = path.join(process.cwd(), 'migrations', 'clickhouse')
const source = fs
  .readdirSync(migrationsDir)
  .filter((file) => file.endsWith('.sql'))
  .sort()
  .map((file) => fs.readFileSync(path.join(migrationsDir, file), 'utf8'))
  .join('\n')
const squash = (sql: string) => sql.replace(/\s+/g, ' ').replace(/\( /g, '(').replace(/ \)/g, ')').trim()

describe('derived tables', () => {
  it('compute each table exactly as the materialized view that filled it before did', () => {
    // Rows written by the old views and rows written by the refresher sit side by side in the
    // same tables, so the two definitions must agree column for column (with every sampling
    // weight 1, as all rows the views wrote had).
    const views = new Map(
      [...source.matchAll(/CREATE MATERIALIZED VIEW IF NOT EXISTS \w+ \{\{ON_CLUSTER\}\} TO \{\{LOCAL (\w+)\}\} AS\n(.*?);\n/gs)].map((m) => [m[1], m[2]]),
    )
    for (const table of DERIVED_TABLES) {
      const view = views.get(table.table)
      expect(view, table.table).toBeDefined()
      expect(squash(unweightedSql(table.select('{{LOCAL spans}}'))), table.table).toBe(squash(view!))
    }
  })

  it('name every column of the table they insert into', () => {
    for (const table of DERIVED_TABLES) {
      const create = new RegExp(`CREATE TABLE IF NOT EXISTS \\{\\{TABLE ${table.table}\\}\\} \\{\\{ON_CLUSTER\\}\\}\\n\\((.*?)\\n\\)\\nENGINE`, 's').exec(source)
      expect(create, table.table).not.toBeNull()
      const columns = create![1]
        .split('\n')
        .map((line) => /^\s+(\w+) /.exec(line)?.[1])
        .filter((name): name is string => Boolean(name) && name !== 'INDEX')
      expect(table.columns, table.table).toEqual(columns)
    }
  })

  it('are all made exactly-once safe by the migration that took them off the insert path', () => {
    const migration = fs.readFileSync(path.join(migrationsDir, '0040_rollups_off_insert_path.sql'), 'utf8')
    for (const table of DERIVED_TABLES) {
      expect(migration).toContain(`DROP VIEW IF EXISTS ${table.table}_mv {{ON_CLUSTER}};`)
      expect(migration).toContain(`ALTER TABLE {{LOCAL ${table.table}}} {{ON_CLUSTER}} MODIFY SETTING non_replicated_deduplication_window = 1000;`)
    }
  })
})
