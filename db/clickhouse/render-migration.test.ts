import { describe, expect, it } from 'vitest'
import { readMigrationFiles } from './migrate'
import { renderMigration, splitStatements } from './render-migration'

const migrations = readMigrationFiles()

describe('renderMigration', () => {
  it('renders plain MergeTree-family tables without a cluster', () => {
    const spans = migrations.find((m) => m.name.includes('spans'))!
    const [sql, ...rest] = renderMigration(spans.source, { retentionDays: 30 })
    expect(rest).toEqual([])
    expect(sql).toMatch(/^CREATE TABLE IF NOT EXISTS spans\s*\(/)
    expect(sql).toContain('ENGINE = ReplacingMergeTree(ingested_at)')
    expect(sql).toContain('INTERVAL 30 DAY')
    expect(sql).not.toMatch(/\{\{|ON CLUSTER|Replicated|Distributed/)
  })

  it('renders replicated local tables with distributed tables in front on a cluster', () => {
    for (const migration of migrations) {
      const statements = renderMigration(migration.source, { cluster: 'flightline', retentionDays: 7 })
      for (const sql of statements) expect(sql).not.toContain('{{')
      const creates = statements.filter((s) => s.startsWith('CREATE TABLE'))
      // A file may create several tables, each with its own shard key.
      const shardKeys = new Map(
        splitStatements(migration.source).flatMap((statement) => {
          const table = /\{\{TABLE\s+(\w+)\}\}/.exec(statement)?.[1]
          const shard = /SHARD BY\s+(.+?)\}\}/.exec(statement)?.[1]
          return table && shard ? [[table, shard] as const] : []
        }),
      )
      // Every table becomes <name>_local (replicated) plus <name> (distributed).
      expect(creates.length % 2).toBe(0)
      for (let i = 0; i < creates.length; i += 2) {
        const local = /CREATE TABLE IF NOT EXISTS (\w+)_local ON CLUSTER flightline/.exec(creates[i])
        expect(local, creates[i].slice(0, 80)).not.toBeNull()
        expect(creates[i]).toMatch(new RegExp(`ENGINE = Replicated\\w+\\('/clickhouse/tables/\\{shard\\}/\\{database\\}/${local![1]}_local', '\\{replica\\}'`))
        expect(creates[i + 1]).toBe(
          `CREATE TABLE IF NOT EXISTS ${local![1]} ON CLUSTER flightline AS ${local![1]}_local ENGINE = Distributed(flightline, currentDatabase(), ${local![1]}_local, ${shardKeys.get(local![1])})`,
        )
      }
    }
    const spans = renderMigration(migrations.find((m) => m.name.includes('spans'))!.source, { cluster: 'c1', retentionDays: 7 })
    expect(spans[0]).toContain(`ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/spans_local', '{replica}', ingested_at)`)
    expect(spans[0]).toContain('INTERVAL 7 DAY')
    expect(spans[1]).toContain('cityHash64(project_id, trace_id)')
  })

  it('keeps one statement per semicolon and drops comment lines', () => {
    expect(splitStatements('-- a comment\nSELECT 1;\n\nSELECT 2;\n')).toEqual(['SELECT 1', 'SELECT 2'])
  })

  it('refuses a marker it does not know', () => {
    expect(() => renderMigration('ALTER TABLE {{NOPE x}} ADD COLUMN y UInt8;', { retentionDays: 1 })).toThrow(/unrendered marker/)
  })
})
