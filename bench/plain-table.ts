// The yardstick of the ingest benchmarks: what the engine itself costs to store span rows. A
// plain MergeTree table with the columns of spans (same names, types and defaults, same sort
// key and partitions) and nothing else: no materialized views, skip indexes, codecs, TTL or
// replacing merges. Ingest is measured against inserting the very same rows into it.
import type { ClickHouseClient } from '@clickhouse/client'

export const PLAIN_TABLE = 'spans_plain'

export async function createPlainSpansTable(client: ClickHouseClient): Promise<void> {
  const columns = await (
    await client.query({
      query: `SELECT name, type, default_kind, default_expression FROM system.columns WHERE database = currentDatabase() AND table = 'spans' ORDER BY position`,
      format: 'JSONEachRow',
    })
  ).json<{ name: string; type: string; default_kind: string; default_expression: string }>()
  const definitions = columns.map((c) => `${c.name} ${c.type}${c.default_kind ? ` ${c.default_kind} ${c.default_expression}` : ''}`)
  await client.command({
    query: `CREATE TABLE IF NOT EXISTS ${PLAIN_TABLE} (${definitions.join(', ')}) ENGINE = MergeTree
      PARTITION BY toYYYYMMDD(start_time) ORDER BY (project_id, toStartOfHour(start_time), trace_id, span_id)`,
  })
}
