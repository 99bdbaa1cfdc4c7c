// Builds (once) the analytics benchmark dataset: 7 days, 10 million spans and their scores for one
// project, on a data directory of its own that later runs reuse. The rows are generated inside
// the engine with INSERT ... SELECT FROM numbers(), which takes seconds instead of the minutes an
// HTTP ingest of 10M spans would; generating is not what the benchmark measures.
//
// Run as a script (it must own the data directory while it writes, so it cannot share a process
// with the server): `tsx bench/analytics-dataset.ts <data dir> [spans]`. Prints the dataset's
// description as JSON, which is also kept in <data dir>/analytics-bench.json.
//
// Shape of the workload, so the queries see realistic cardinalities: 5 spans per trace (agent
// root, two model calls, a tool call, a retriever or guardrail), 40 tenants with skewed volume,
// ~20,000 users, two route segments on two models with ~5% of users switching, more traffic by
// day than by night, 429s at peak, a cache-thrash incident on day 3 (one tenant's system
// prompts turn unique per request and everyone's hit rate drops), judge scores on 5% of traces
// and nightly eval runs; local input-token counts and short chat inputs (Japanese for 1 tenant in 8).
import fs from 'node:fs'
import path from 'node:path'

/** Bumped when the generated rows change, so a kept dataset of an older shape is generated again. */
export const DATASET_VERSION = 2

export interface AnalyticsDataset {
  version?: number
  project_id: string
  api_key: string
  from: string
  to: string
  spans: number
  scores: number
  generated_at: string
  /** Rows and bytes on disk of spans and of each table derived from it, after merges. */
  tables?: Array<{ table: string; rows: number; bytes: number }>
  /** Seconds the rollup refresher took to fold the whole dataset. */
  refresh_seconds?: number
}

const DESCRIPTION_FILE = 'analytics-bench.json'

export function readDataset(dataDir: string): AnalyticsDataset | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(dataDir, DESCRIPTION_FILE), 'utf8')) as AnalyticsDataset
  } catch {
    return undefined
  }
}

const SPANS_PER_TRACE = 5
const DAY_S = 86_400

export function spansInsertSql(traces: number, fromSeconds: number, firstTrace = 0, traceCount = traces): string {
  // One row per span: n = trace * 5 + k. Every random draw is a hash of (trace, salt) so a trace's
  // spans agree on its tenant, user and time, and the dataset is the same on every run.
  return `
INSERT INTO spans (project_id, trace_id, span_id, parent_span_id, name, kind, start_time, end_time, duration_ms,
  status, status_message, error_type, tenant_id, user_id, session_id, agent_name, model_requested, model_resolved,
  provider, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_usd, prompt_name, prompt_version,
  system_prompt_hash, tool_name, route_segment, fallback, refusal, schema_valid, finish_reason, ttft_ms, eval_run_id,
  service_name, environment, local_input_tokens, input)
SELECT
  {project_id:String},
  trace_id, span_id, parent_span_id, name, kind, start_time,
  start_time + toIntervalMicrosecond(toUInt64(duration_ms * 1000)) AS end_time,
  duration_ms,
  if(is_error, 'error', 'ok'), if(is_error, if(is_overload, 'HTTP 429: rate limit exceeded', 'upstream error'), ''),
  if(is_error, if(is_overload, '429', 'server_error'), ''),
  tenant_id, user_id, concat(user_id, '-s', toString(trace % 7)), 'support-agent',
  if(is_llm, if(segment = 'fast', 'gpt-4o-mini', 'claude-sonnet-4-5'), ''),
  if(is_llm, if(segment = 'fast', 'gpt-4o-mini-2024-07-18', 'claude-sonnet-4-5-20250929'), ''),
  if(is_llm, if(segment = 'fast', 'openai', 'anthropic'), ''),
  input_tokens, if(is_llm, 80 + h5 % 700, 0), cache_read_tokens, if(is_llm AND NOT cached_prefix, 200, 0), NULL,
  if(is_llm, 'support', ''), if(is_llm, if(day >= 5, '8', '7'), ''),
  if(is_llm, system_prompt_hash, ''),
  if(k = 2, 'search_orders', ''),
  if(is_llm, segment, ''), is_llm AND is_error = 0 AND h6 % 100 = 0, is_llm AND h6 % 211 = 0,
  if(is_llm AND h6 % 3 = 0, h6 % 50 != 0, NULL),
  if(is_llm, 'stop', ''), if(is_llm, duration_ms * 0.2, NULL), '',
  'support-api', 'production',
  -- The app's own input count (tokenizer drift: ~10% under on Japanese text) and a short input.
  if(is_llm, toUInt32(round(input_tokens * if(cjk, 0.9, 0.995 + (h5 % 10) / 1000))), NULL),
  if(is_llm, if(cjk, '[{"role":"user","content":"注文した商品がまだ届きません。配送状況を確認してください。"}]', '[{"role":"user","content":"Where is my order? It was due on Friday."}]'), '')
FROM
(
  SELECT
    number AS n, intDiv(n, ${SPANS_PER_TRACE}) AS trace, n % ${SPANS_PER_TRACE} AS k,
    cityHash64(trace, 1) AS h1, cityHash64(trace, 2) AS h2, cityHash64(trace, 3) AS h3,
    cityHash64(n, 5) AS h5, cityHash64(n, 6) AS h6,
    intDiv(trace * 7, ${traces}) AS day,
    -- Busier by day: hours 8-17 are drawn three times as often as the others.
    arrayElement([0,1,2,3,4,5,6,7,8,8,8,9,9,9,10,10,10,11,11,11,12,12,12,13,13,13,14,14,14,15,15,15,16,16,16,17,17,17,18,19,20,21,22,23], 1 + h1 % 44) AS hour,
    hour BETWEEN 8 AND 17 AS peak,
    toDateTime64(${fromSeconds} + day * ${DAY_S} + hour * 3600 + bitShiftRight(h1, 20) % 3600, 9, 'UTC') + toIntervalMillisecond(k * 40 + (h2 % 1000)) AS start_time,
    toUInt32(floor(40 * pow((h2 % 10000) / 10000, 2))) AS tenant_no,
    concat('tenant-', toString(tenant_no)) AS tenant_id,
    tenant_no % 8 = 3 AS cjk,
    concat('user-', toString(tenant_no), '-', toString(h3 % 500)) AS user_no,
    user_no AS user_id,
    -- Segment by user; 5% of users are moved to the other segment from day 4 on.
    if(xor(cityHash64(user_no) % 2 = 0, cityHash64(user_no, 9) % 20 = 0 AND day >= 4), 'fast', 'quality') AS segment,
    k IN (1, 3) AS is_llm,
    multiIf(k = 0, 'agent', is_llm, 'llm', k = 2, 'tool', h1 % 2 = 0, 'retriever', 'guardrail') AS kind,
    multiIf(k = 0, 'support-agent', is_llm, 'chat', k = 2, 'search_orders', kind = 'retriever', 'kb-search', 'pii-filter') AS name,
    lower(hex(h1 % 1000000000000)) AS trace_hex, concat(trace_hex, '-', toString(trace)) AS trace_id,
    concat('s', toString(k)) AS span_id, if(k = 0, '', 's0') AS parent_span_id,
    -- Cache thrash: on day 3 from 09:00 to 12:00 tenant-7 sends a new system prompt per request.
    day = 3 AND hour BETWEEN 9 AND 11 AS incident,
    incident AND tenant_no = 7 AS thrasher,
    if(thrasher, concat('p-', toString(trace)), concat('p-', toString(tenant_no), '-', toString(h2 % 3))) AS system_prompt_hash,
    h5 % 100 < if(incident, if(thrasher, 0, 25), 75) AS cached_prefix,
    toUInt32(if(is_llm, 1200 + h5 % 3000, 0)) AS input_tokens,
    toUInt32(if(cached_prefix, input_tokens * 0.8, 0)) AS cache_read_tokens,
    h6 % 1000 < if(peak, 30, 8) AS is_overload,
    is_overload OR h6 % 1000 < 12 AS is_error,
    multiIf(k = 0, 4000, is_llm, if(segment = 'fast', 500, 1400), k = 2, 120, 60) * if(peak AND is_llm, 1.4, 1) * (0.5 + (h6 % 1000) / 1000) AS duration_ms
  FROM numbers(${firstTrace * SPANS_PER_TRACE}, ${traceCount * SPANS_PER_TRACE})
)`
}

export function scoresInsertSql(traces: number, fromSeconds: number): string {
  // Judge scores on 1 trace in 20 (worse at peak), plus nightly eval runs scored at 02:00-03:00.
  return `
INSERT INTO scores (project_id, score_id, trace_id, name, value, source, evaluator, run_id, timestamp)
SELECT {project_id:String}, concat('sc', toString(number)),
  if(is_eval, concat('eval-', toString(number)), concat(lower(hex(cityHash64(trace, 1) % 1000000000000)), '-', toString(trace))),
  'helpfulness', if(is_eval, 0.9, if(peak, 0.7, 0.8)) + ((cityHash64(number, 4) % 100) / 1000),
  if(is_eval, 'code', 'judge'), 'gpt-4o-judge', if(is_eval, concat('nightly-', toString(day)), ''),
  toDateTime64(${fromSeconds} + day * ${DAY_S}, 3, 'UTC') + toIntervalSecond(if(is_eval, 2 * 3600 + number % 3600, hour * 3600 + 1800))
FROM
(
  SELECT number, number * 20 AS trace, intDiv(trace * 7, ${traces}) AS day,
    arrayElement([0,1,2,3,4,5,6,7,8,8,8,9,9,9,10,10,10,11,11,11,12,12,12,13,13,13,14,14,14,15,15,15,16,16,16,17,17,17,18,19,20,21,22,23], 1 + cityHash64(trace, 1) % 44) AS hour,
    hour BETWEEN 8 AND 17 AS peak,
    number % 10 = 0 AS is_eval
  FROM numbers(${Math.floor(traces / 20)})
)`
}

async function main(): Promise<void> {
  const [dataDirArg, spansArg] = process.argv.slice(2)
  if (!dataDirArg) throw new Error('usage: tsx bench/analytics-dataset.ts <data dir> [spans]')
  const dataDir = path.resolve(dataDirArg)
  const existing = readDataset(dataDir)
  const spans = Number(spansArg ?? 10_000_000)
  if (existing && existing.spans === spans && existing.version === DATASET_VERSION) {
    console.log(JSON.stringify(existing))
    return
  }
  process.env.FLIGHTLINE_DATA_DIR = dataDir
  process.env.CLICKHOUSE_URL = ''
  process.env.DATABASE_URL = ''
  const { storesReady } = await import('@/lib/runtime/stores')
  const { createProject } = await import('@/lib/projects/projects')
  const { clickhouse } = await import('@/db/clickhouse/client')
  const { RollupRefresher } = await import('@/lib/rollups/refresher')
  const { DERIVED_TABLES } = await import('@/db/clickhouse/queries/derived-tables')
  await storesReady()
  const project = await createProject('analytics-bench')
  const traces = Math.floor(spans / SPANS_PER_TRACE)
  // The window ends at the start of the current hour, so a reused dataset stays inside retention
  // for weeks; the benchmark queries exactly this window.
  const toSeconds = Math.floor(Date.now() / 3_600_000) * 3600
  const fromSeconds = toSeconds - 7 * DAY_S
  const started = Date.now()
  const settings = { max_insert_threads: '2', max_threads: 2, max_execution_time: 0 }
  const chunk = 200_000
  for (let first = 0; first < traces; first += chunk) {
    const query = spansInsertSql(traces, fromSeconds, first, Math.min(chunk, traces - first))
    await clickhouse().command({ query, query_params: { project_id: project.id }, clickhouse_settings: settings })
    console.error(`[analytics-dataset] ${Math.min(first + chunk, traces) * SPANS_PER_TRACE} spans`)
  }
  await clickhouse().command({ query: scoresInsertSql(traces, fromSeconds), query_params: { project_id: project.id }, clickhouse_settings: settings })
  // The rollups, as the server's refresher would have built them while the spans came in.
  const refreshStarted = Date.now()
  await new RollupRefresher({ settleMs: 0 }).catchUp()
  const refreshSeconds = (Date.now() - refreshStarted) / 1000
  console.error(`[analytics-dataset] rollups refreshed`)
  // Merged parts, as a long-running server would have them after background merges.
  for (const table of ['spans', ...DERIVED_TABLES.map((t) => t.table)]) {
    await clickhouse().command({ query: `OPTIMIZE TABLE ${table} FINAL`, clickhouse_settings: settings })
  }
  const dataset: AnalyticsDataset = {
    version: DATASET_VERSION,
    project_id: project.id,
    api_key: project.api_key,
    from: new Date(fromSeconds * 1000).toISOString(),
    to: new Date(toSeconds * 1000).toISOString(),
    spans: traces * SPANS_PER_TRACE,
    scores: Math.floor(traces / 20),
    generated_at: new Date().toISOString(),
    tables: (
      await (
        await clickhouse().query({
          query: `SELECT table, sum(rows) AS rows, sum(bytes_on_disk) AS bytes FROM system.parts
            WHERE database = currentDatabase() AND active AND table IN {tables:Array(String)} GROUP BY table ORDER BY table`,
          query_params: { tables: ['spans', ...DERIVED_TABLES.map((t) => t.table)] },
          format: 'JSONEachRow',
        })
      ).json<{ table: string; rows: string; bytes: string }>()
    ).map((row) => ({ table: row.table, rows: Number(row.rows), bytes: Number(row.bytes) })),
    refresh_seconds: refreshSeconds,
  }
  fs.writeFileSync(path.join(dataDir, DESCRIPTION_FILE), JSON.stringify(dataset, null, 2))
  console.error(`[analytics-dataset] ${dataset.spans} spans generated in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  console.log(JSON.stringify(dataset))
  process.exit(0)
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  main().catch((error) => {
    console.error(error)
    process.exit(1)
  })
}
