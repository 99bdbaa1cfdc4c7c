-- trace_stats: one pre-aggregated row per (trace, hour of its spans), kept up to date by a
-- materialized view on every insert into spans. The traces list sorts and filters millions of
-- spans through this table instead of grouping the raw spans: with 1M spans over 24 h the
-- page query reads ~37k rows here instead of 1M there.
--
-- Spans of one trace that fall in different hours, or arrive in different inserts, give
-- several partial rows; every column is a SimpleAggregateFunction, so background merges and
-- the list query (GROUP BY trace_id) combine them exactly. Ingest drops re-sent spans before
-- inserting, so sums count each span once.
--   root         min((has a parent, start, name)): the earliest parentless span names the trace
--   kinds        bit i set when the trace has a span of kind enum value i
--   statuses     bit i set when the trace has a span of status enum value i
--   model_calls  (hash of span id, hash of parent id, input, output, cache read tokens, cost) per
--                model call, so totals can skip wrapper calls that have a model call beneath them
--                (the same rule as lib/traces/model-call-totals.ts), by hash to keep it small.
CREATE TABLE IF NOT EXISTS {{TABLE trace_stats}} {{ON_CLUSTER}}
(
    project_id LowCardinality(String),
    hour DateTime('UTC'),
    trace_id String,
    trace_start SimpleAggregateFunction(min, DateTime64(9, 'UTC')),
    trace_end SimpleAggregateFunction(max, DateTime64(9, 'UTC')),
    span_count SimpleAggregateFunction(sum, UInt64),
    error_count SimpleAggregateFunction(sum, UInt64),
    root SimpleAggregateFunction(min, Tuple(UInt8, DateTime64(9, 'UTC'), String)),
    tenants SimpleAggregateFunction(groupUniqArrayArray, Array(String)),
    users SimpleAggregateFunction(groupUniqArrayArray, Array(String)),
    sessions SimpleAggregateFunction(groupUniqArrayArray, Array(String)),
    models SimpleAggregateFunction(groupUniqArrayArray, Array(String)),
    model_names SimpleAggregateFunction(groupUniqArrayArray, Array(String)),
    kinds SimpleAggregateFunction(groupBitOr, UInt16),
    statuses SimpleAggregateFunction(groupBitOr, UInt8),
    model_calls SimpleAggregateFunction(groupArrayArray, Array(Tuple(UInt64, UInt64, UInt32, UInt32, UInt32, Float64)))
)
ENGINE = {{ENGINE AggregatingMergeTree SHARD BY cityHash64(project_id, trace_id)}}
PARTITION BY toYYYYMMDD(hour)
ORDER BY (project_id, hour, trace_id)
TTL hour + INTERVAL {{RETENTION_DAYS}} DAY
SETTINGS ttl_only_drop_parts = 1;

CREATE MATERIALIZED VIEW IF NOT EXISTS trace_stats_mv {{ON_CLUSTER}} TO {{LOCAL trace_stats}} AS
SELECT
    project_id,
    toStartOfHour(start_time) AS hour,
    trace_id,
    min(start_time) AS trace_start,
    max(end_time) AS trace_end,
    count() AS span_count,
    countIf(status = 'error') AS error_count,
    min((parent_span_id != '', start_time, toString(name))) AS root,
    groupUniqArrayIf(toString(tenant_id), tenant_id != '') AS tenants,
    groupUniqArrayIf(user_id, user_id != '') AS users,
    groupUniqArrayIf(session_id, session_id != '') AS sessions,
    groupUniqArrayIf(toString(if(model_resolved != '', model_resolved, model_requested)), kind = 'llm' AND (model_resolved != '' OR model_requested != '')) AS models,
    arrayFilter(m -> m != '', groupUniqArrayArray([toString(model_requested), toString(model_resolved)])) AS model_names,
    groupBitOr(bitShiftLeft(toUInt16(1), CAST(kind, 'Int8'))) AS kinds,
    groupBitOr(bitShiftLeft(toUInt8(1), CAST(status, 'Int8'))) AS statuses,
    groupArrayIf((cityHash64(span_id), cityHash64(parent_span_id), input_tokens, output_tokens, cache_read_tokens, ifNull(cost_usd, 0)), kind = 'llm') AS model_calls
FROM {{LOCAL spans}}
GROUP BY project_id, hour, trace_id;

-- Spans stored before this migration: the view's SELECT once more (a view with a TO table
-- cannot backfill itself), over deduplicated rows.
INSERT INTO trace_stats
SELECT
    project_id,
    toStartOfHour(start_time) AS hour,
    trace_id,
    min(start_time) AS trace_start,
    max(end_time) AS trace_end,
    count() AS span_count,
    countIf(status = 'error') AS error_count,
    min((parent_span_id != '', start_time, toString(name))) AS root,
    groupUniqArrayIf(toString(tenant_id), tenant_id != '') AS tenants,
    groupUniqArrayIf(user_id, user_id != '') AS users,
    groupUniqArrayIf(session_id, session_id != '') AS sessions,
    groupUniqArrayIf(toString(if(model_resolved != '', model_resolved, model_requested)), kind = 'llm' AND (model_resolved != '' OR model_requested != '')) AS models,
    arrayFilter(m -> m != '', groupUniqArrayArray([toString(model_requested), toString(model_resolved)])) AS model_names,
    groupBitOr(bitShiftLeft(toUInt16(1), CAST(kind, 'Int8'))) AS kinds,
    groupBitOr(bitShiftLeft(toUInt8(1), CAST(status, 'Int8'))) AS statuses,
    groupArrayIf((cityHash64(span_id), cityHash64(parent_span_id), input_tokens, output_tokens, cache_read_tokens, ifNull(cost_usd, 0)), kind = 'llm') AS model_calls
FROM (SELECT * FROM spans FINAL)
GROUP BY project_id, hour, trace_id;
