-- Rollups of model calls (spans of kind 'llm') for the analytics views, kept current by
-- materialized views on every insert into spans. Views read whole 15-minute blocks (or whole days)
-- from a rollup and only the partial blocks at the edges of a range from spans, so a week of
-- 10 million spans is a few thousand rows to read. The column expressions here and the raw
-- expressions in db/clickhouse/queries/analytics/rollups.ts must agree (a unit test checks).
-- Re-sent spans never reach spans twice (ingest drops them), so the sums stay exact.
--
-- `model` is the serving model: the resolved model, except that a dated snapshot of the requested
-- model (gpt-4.1-mini-2025-04-14 for gpt-4.1-mini) and a call that failed before any model was
-- resolved both count as the requested model, so a model's failures stay with it; a different
-- model served in its place (gpt-4o asked, gpt-4o-mini-... served) stays visible.

-- Token sums per 15-minute block, tenant and model: the cache-thrash view.
CREATE TABLE IF NOT EXISTS {{TABLE model_call_blocks}} {{ON_CLUSTER}}
(
    project_id LowCardinality(String),
    block DateTime('UTC'),
    tenant_id LowCardinality(String),
    model LowCardinality(String),
    requests SimpleAggregateFunction(sum, UInt64),
    input_sum SimpleAggregateFunction(sum, UInt64),
    cache_read_sum SimpleAggregateFunction(sum, UInt64),
    reported_cost_usd SimpleAggregateFunction(sum, Float64),
    unpriced_input_tokens SimpleAggregateFunction(sum, UInt64),
    unpriced_output_tokens SimpleAggregateFunction(sum, UInt64),
    unpriced_cache_read_tokens SimpleAggregateFunction(sum, UInt64),
    unpriced_cache_write_tokens SimpleAggregateFunction(sum, UInt64)
)
ENGINE = {{ENGINE AggregatingMergeTree SHARD BY cityHash64(project_id, tenant_id)}}
PARTITION BY toYYYYMMDD(block)
ORDER BY (project_id, block, tenant_id, model)
TTL block + INTERVAL {{RETENTION_DAYS}} DAY
SETTINGS ttl_only_drop_parts = 1;

CREATE MATERIALIZED VIEW IF NOT EXISTS model_call_blocks_mv {{ON_CLUSTER}} TO {{LOCAL model_call_blocks}} AS
SELECT
    project_id,
    toStartOfFifteenMinutes(start_time) AS block,
    tenant_id,
    multiIf(model_resolved = '', model_requested, model_requested != '' AND startsWith(model_resolved, model_requested) AND match(substring(model_resolved, length(model_requested) + 1), '^[-@]?(\\d{4}-?\\d{2}-?\\d{2}|\\d{6,8}|latest)$'), model_requested, model_resolved) AS model,
    count() AS requests,
    sum(input_tokens) AS input_sum,
    sum(cache_read_tokens) AS cache_read_sum,
    sum(ifNull(cost_usd, 0)) AS reported_cost_usd,
    sumIf(input_tokens, cost_usd IS NULL) AS unpriced_input_tokens,
    sumIf(output_tokens, cost_usd IS NULL) AS unpriced_output_tokens,
    sumIf(cache_read_tokens, cost_usd IS NULL) AS unpriced_cache_read_tokens,
    sumIf(cache_write_tokens, cost_usd IS NULL) AS unpriced_cache_write_tokens
FROM {{LOCAL spans}}
WHERE kind = 'llm'
GROUP BY project_id, block, tenant_id, model;

-- Outcomes per 15-minute block, route segment, model, prompt version and eval/production: the
-- routing, diurnal and overview views. Quantiles are kept as mergeable t-digest states.
CREATE TABLE IF NOT EXISTS {{TABLE model_call_outcomes}} {{ON_CLUSTER}}
(
    project_id LowCardinality(String),
    block DateTime('UTC'),
    route_segment LowCardinality(String),
    model LowCardinality(String),
    prompt LowCardinality(String),
    is_eval Bool,
    requests SimpleAggregateFunction(sum, UInt64),
    errors SimpleAggregateFunction(sum, UInt64),
    refusals SimpleAggregateFunction(sum, UInt64),
    format_checked SimpleAggregateFunction(sum, UInt64),
    format_failures SimpleAggregateFunction(sum, UInt64),
    overloads SimpleAggregateFunction(sum, UInt64),
    fallbacks SimpleAggregateFunction(sum, UInt64),
    ttft_count SimpleAggregateFunction(sum, UInt64),
    duration AggregateFunction(quantilesTDigest(0.5, 0.95), Float64),
    ttft AggregateFunction(quantilesTDigest(0.5, 0.95), Float64),
    reported_cost_usd SimpleAggregateFunction(sum, Float64),
    unpriced_input_tokens SimpleAggregateFunction(sum, UInt64),
    unpriced_output_tokens SimpleAggregateFunction(sum, UInt64),
    unpriced_cache_read_tokens SimpleAggregateFunction(sum, UInt64),
    unpriced_cache_write_tokens SimpleAggregateFunction(sum, UInt64)
)
ENGINE = {{ENGINE AggregatingMergeTree SHARD BY cityHash64(project_id, route_segment)}}
PARTITION BY toYYYYMMDD(block)
ORDER BY (project_id, block, route_segment, model, prompt, is_eval)
TTL block + INTERVAL {{RETENTION_DAYS}} DAY
SETTINGS ttl_only_drop_parts = 1;

CREATE MATERIALIZED VIEW IF NOT EXISTS model_call_outcomes_mv {{ON_CLUSTER}} TO {{LOCAL model_call_outcomes}} AS
SELECT
    project_id,
    toStartOfFifteenMinutes(start_time) AS block,
    route_segment,
    multiIf(model_resolved = '', model_requested, model_requested != '' AND startsWith(model_resolved, model_requested) AND match(substring(model_resolved, length(model_requested) + 1), '^[-@]?(\\d{4}-?\\d{2}-?\\d{2}|\\d{6,8}|latest)$'), model_requested, model_resolved) AS model,
    if(prompt_name != '' OR prompt_version != '', concat(prompt_name, if(prompt_version != '', concat(' v', prompt_version), '')), '') AS prompt,
    eval_run_id != '' AS is_eval,
    count() AS requests,
    countIf(status = 'error') AS errors,
    countIf(refusal) AS refusals,
    countIf(schema_valid IS NOT NULL) AS format_checked,
    countIf(schema_valid = false) AS format_failures,
    countIf(status = 'error' AND (error_type IN ('429', '529') OR match(error_type, '(?i)rate.?limit|overload|too.?many.?requests') OR match(status_message, '(?i)\\b(429|529)\\b|rate.?limit|overloaded|too many requests'))) AS overloads,
    countIf(fallback) AS fallbacks,
    countIf(ttft_ms IS NOT NULL) AS ttft_count,
    quantilesTDigestState(0.5, 0.95)(duration_ms) AS duration,
    quantilesTDigestStateIf(0.5, 0.95)(assumeNotNull(ttft_ms), ttft_ms IS NOT NULL) AS ttft,
    sum(ifNull(cost_usd, 0)) AS reported_cost_usd,
    sumIf(input_tokens, cost_usd IS NULL) AS unpriced_input_tokens,
    sumIf(output_tokens, cost_usd IS NULL) AS unpriced_output_tokens,
    sumIf(cache_read_tokens, cost_usd IS NULL) AS unpriced_cache_read_tokens,
    sumIf(cache_write_tokens, cost_usd IS NULL) AS unpriced_cache_write_tokens
FROM {{LOCAL spans}}
WHERE kind = 'llm'
GROUP BY project_id, block, route_segment, model, prompt, is_eval;

-- Requests per day, user, tenant, route segment and model: the users of each segment and who was
-- served by more than one (routing switchers), exactly.
CREATE TABLE IF NOT EXISTS {{TABLE model_call_user_days}} {{ON_CLUSTER}}
(
    project_id LowCardinality(String),
    day Date,
    user_id String,
    tenant_id LowCardinality(String),
    route_segment LowCardinality(String),
    model LowCardinality(String),
    is_eval Bool,
    requests SimpleAggregateFunction(sum, UInt64),
    first_served SimpleAggregateFunction(min, DateTime64(9, 'UTC'))
)
ENGINE = {{ENGINE AggregatingMergeTree SHARD BY cityHash64(project_id, user_id)}}
PARTITION BY toYYYYMMDD(day)
ORDER BY (project_id, day, user_id, tenant_id, route_segment, model, is_eval)
TTL day + INTERVAL {{RETENTION_DAYS}} DAY
SETTINGS ttl_only_drop_parts = 1;

CREATE MATERIALIZED VIEW IF NOT EXISTS model_call_user_days_mv {{ON_CLUSTER}} TO {{LOCAL model_call_user_days}} AS
SELECT
    project_id,
    toDate(start_time) AS day,
    user_id,
    tenant_id,
    route_segment,
    multiIf(model_resolved = '', model_requested, model_requested != '' AND startsWith(model_resolved, model_requested) AND match(substring(model_resolved, length(model_requested) + 1), '^[-@]?(\\d{4}-?\\d{2}-?\\d{2}|\\d{6,8}|latest)$'), model_requested, model_resolved) AS model,
    eval_run_id != '' AS is_eval,
    count() AS requests,
    min(start_time) AS first_served
FROM {{LOCAL spans}}
WHERE kind = 'llm'
GROUP BY project_id, day, user_id, tenant_id, route_segment, model, is_eval;

-- When each model, prompt version and system-prompt hash was first (and last) used, per tenant:
-- new prompt shapes for the cache-thrash suspect, and the overview's "first appeared" markers.
-- Rows expire once a value has not been used for the retention period.
CREATE TABLE IF NOT EXISTS {{TABLE model_call_first_seen}} {{ON_CLUSTER}}
(
    project_id LowCardinality(String),
    what Enum8('model' = 1, 'prompt_version' = 2, 'system_prompt_hash' = 3),
    value String,
    tenant_id LowCardinality(String),
    first_seen SimpleAggregateFunction(min, DateTime64(9, 'UTC')),
    last_seen SimpleAggregateFunction(max, DateTime64(9, 'UTC')),
    requests SimpleAggregateFunction(sum, UInt64)
)
ENGINE = {{ENGINE AggregatingMergeTree SHARD BY cityHash64(project_id, value)}}
ORDER BY (project_id, what, value, tenant_id)
TTL toDateTime(last_seen) + INTERVAL {{RETENTION_DAYS}} DAY;

CREATE MATERIALIZED VIEW IF NOT EXISTS model_call_first_seen_mv {{ON_CLUSTER}} TO {{LOCAL model_call_first_seen}} AS
SELECT project_id, what, value, tenant_id, min(start_time) AS first_seen, max(start_time) AS last_seen, count() AS requests
FROM
(
    SELECT project_id, tenant_id, start_time,
        arrayJoin([
            ('model', if(model_resolved != '', model_resolved, if(status != 'error', model_requested, ''))),
            ('prompt_version', if(prompt_version != '', concat(prompt_name, ' v', prompt_version), '')),
            ('system_prompt_hash', system_prompt_hash)
        ]) AS pair,
        CAST(pair.1, 'Enum8(\'model\' = 1, \'prompt_version\' = 2, \'system_prompt_hash\' = 3)') AS what,
        pair.2 AS value
    FROM {{LOCAL spans}}
    WHERE kind = 'llm'
)
WHERE value != ''
GROUP BY project_id, what, value, tenant_id;

-- Backfill from the spans stored before these rollups existed: the same SELECTs as the views
-- (a unit test keeps them identical), over the table that routes to every shard. Migrations run
-- at start-up before any request is served, so no span is both backfilled and seen by a view.

INSERT INTO model_call_blocks
SELECT
    project_id,
    toStartOfFifteenMinutes(start_time) AS block,
    tenant_id,
    multiIf(model_resolved = '', model_requested, model_requested != '' AND startsWith(model_resolved, model_requested) AND match(substring(model_resolved, length(model_requested) + 1), '^[-@]?(\\d{4}-?\\d{2}-?\\d{2}|\\d{6,8}|latest)$'), model_requested, model_resolved) AS model,
    count() AS requests,
    sum(input_tokens) AS input_sum,
    sum(cache_read_tokens) AS cache_read_sum,
    sum(ifNull(cost_usd, 0)) AS reported_cost_usd,
    sumIf(input_tokens, cost_usd IS NULL) AS unpriced_input_tokens,
    sumIf(output_tokens, cost_usd IS NULL) AS unpriced_output_tokens,
    sumIf(cache_read_tokens, cost_usd IS NULL) AS unpriced_cache_read_tokens,
    sumIf(cache_write_tokens, cost_usd IS NULL) AS unpriced_cache_write_tokens
FROM spans
WHERE kind = 'llm'
GROUP BY project_id, block, tenant_id, model;

INSERT INTO model_call_outcomes
SELECT
    project_id,
    toStartOfFifteenMinutes(start_time) AS block,
    route_segment,
    multiIf(model_resolved = '', model_requested, model_requested != '' AND startsWith(model_resolved, model_requested) AND match(substring(model_resolved, length(model_requested) + 1), '^[-@]?(\\d{4}-?\\d{2}-?\\d{2}|\\d{6,8}|latest)$'), model_requested, model_resolved) AS model,
    if(prompt_name != '' OR prompt_version != '', concat(prompt_name, if(prompt_version != '', concat(' v', prompt_version), '')), '') AS prompt,
    eval_run_id != '' AS is_eval,
    count() AS requests,
    countIf(status = 'error') AS errors,
    countIf(refusal) AS refusals,
    countIf(schema_valid IS NOT NULL) AS format_checked,
    countIf(schema_valid = false) AS format_failures,
    countIf(status = 'error' AND (error_type IN ('429', '529') OR match(error_type, '(?i)rate.?limit|overload|too.?many.?requests') OR match(status_message, '(?i)\\b(429|529)\\b|rate.?limit|overloaded|too many requests'))) AS overloads,
    countIf(fallback) AS fallbacks,
    countIf(ttft_ms IS NOT NULL) AS ttft_count,
    quantilesTDigestState(0.5, 0.95)(duration_ms) AS duration,
    quantilesTDigestStateIf(0.5, 0.95)(assumeNotNull(ttft_ms), ttft_ms IS NOT NULL) AS ttft,
    sum(ifNull(cost_usd, 0)) AS reported_cost_usd,
    sumIf(input_tokens, cost_usd IS NULL) AS unpriced_input_tokens,
    sumIf(output_tokens, cost_usd IS NULL) AS unpriced_output_tokens,
    sumIf(cache_read_tokens, cost_usd IS NULL) AS unpriced_cache_read_tokens,
    sumIf(cache_write_tokens, cost_usd IS NULL) AS unpriced_cache_write_tokens
FROM spans
WHERE kind = 'llm'
GROUP BY project_id, block, route_segment, model, prompt, is_eval;

INSERT INTO model_call_user_days
SELECT
    project_id,
    toDate(start_time) AS day,
    user_id,
    tenant_id,
    route_segment,
    multiIf(model_resolved = '', model_requested, model_requested != '' AND startsWith(model_resolved, model_requested) AND match(substring(model_resolved, length(model_requested) + 1), '^[-@]?(\\d{4}-?\\d{2}-?\\d{2}|\\d{6,8}|latest)$'), model_requested, model_resolved) AS model,
    eval_run_id != '' AS is_eval,
    count() AS requests,
    min(start_time) AS first_served
FROM spans
WHERE kind = 'llm'
GROUP BY project_id, day, user_id, tenant_id, route_segment, model, is_eval;

INSERT INTO model_call_first_seen
SELECT project_id, what, value, tenant_id, min(start_time) AS first_seen, max(start_time) AS last_seen, count() AS requests
FROM
(
    SELECT project_id, tenant_id, start_time,
        arrayJoin([
            ('model', if(model_resolved != '', model_resolved, if(status != 'error', model_requested, ''))),
            ('prompt_version', if(prompt_version != '', concat(prompt_name, ' v', prompt_version), '')),
            ('system_prompt_hash', system_prompt_hash)
        ]) AS pair,
        CAST(pair.1, 'Enum8(\'model\' = 1, \'prompt_version\' = 2, \'system_prompt_hash\' = 3)') AS what,
        pair.2 AS value
    FROM spans
    WHERE kind = 'llm'
)
WHERE value != ''
GROUP BY project_id, what, value, tenant_id;
