// Renders one migration source into the SQL for either deployment shape, so the single-node
// and the clustered schema can never drift apart. Markers in migrations/clickhouse/*.sql:
//   {{TABLE name}}        the table a statement creates
//   {{ON_CLUSTER}}        `ON CLUSTER <cluster>` when clustered, nothing otherwise
//   {{ENGINE E(args) SHARD BY expr}}
//                         single node: E(args). Clustered: ReplicatedE on `<name>_local`, plus a
//                         Distributed table `<name>` in front of it sharded by expr.
//   {{LOCAL name}}        the table that physically holds rows (for ALTERs): name or name_local
//   {{RETENTION_DAYS}}    the configured retention in days
export interface RenderOptions {
  cluster?: string
  retentionDays: number
}

const ENGINE_RE = /\{\{ENGINE\s+([A-Za-z]+)(?:\(([^)]*)\))?\s+SHARD BY\s+(.+?)\}\}/

export function splitStatements(source: string): string[] {
  return source
    .split(/;\s*(?:\n|$)/)
    .map((statement) =>
      statement
        .split('\n')
        .filter((line) => !line.trim().startsWith('--'))
        .join('\n')
        .trim(),
    )
    .filter((statement) => statement.length > 0)
}

export function renderMigration(source: string, options: RenderOptions): string[] {
  const out: string[] = []
  for (const statement of splitStatements(source)) {
    out.push(...renderStatement(statement, options))
  }
  return out
}

function renderStatement(statement: string, { cluster, retentionDays }: RenderOptions): string[] {
  let sql = statement.replaceAll('{{RETENTION_DAYS}}', String(retentionDays))
  sql = sql.replaceAll('{{ON_CLUSTER}}', cluster ? `ON CLUSTER ${cluster}` : '')
  sql = sql.replace(/\{\{LOCAL\s+(\w+)\}\}/g, (_, name: string) => (cluster ? `${name}_local` : name))

  const table = /\{\{TABLE\s+(\w+)\}\}/.exec(sql)?.[1]
  const engine = ENGINE_RE.exec(sql)
  if (!table || !engine) {
    if (/\{\{/.test(sql)) throw new Error(`unrendered marker in migration statement: ${sql.slice(0, 120)}`)
    return [tidy(sql)]
  }
  const [marker, engineName, engineArgs, shardKey] = engine
  if (!cluster) {
    sql = sql.replace(`{{TABLE ${table}}}`, table).replace(marker, engineArgs !== undefined ? `${engineName}(${engineArgs})` : engineName)
    return [tidy(sql)]
  }
  const local = `${table}_local`
  const replicatedArgs = [`'/clickhouse/tables/{shard}/{database}/${local}'`, `'{replica}'`]
  if (engineArgs) replicatedArgs.push(engineArgs)
  const localSql = sql.replace(`{{TABLE ${table}}}`, local).replace(marker, `Replicated${engineName}(${replicatedArgs.join(', ')})`)
  const distributed = `CREATE TABLE IF NOT EXISTS ${table} ON CLUSTER ${cluster} AS ${local} ENGINE = Distributed(${cluster}, currentDatabase(), ${local}, ${shardKey.trim()})`
  return [tidy(localSql), distributed]
}

function tidy(sql: string): string {
  return sql.replace(/[ \t]+\n/g, '\n').replace(/ {2,}(?=\()/g, ' ').trim()
}
