-- spans: one immutable wide row per span (never updated; see docs/storage.md).
--
-- Sort key (project_id, toStartOfHour(start_time), trace_id, span_id):
--  * every view filters by project and a time range first, so those lead;
--  * hour (not minute) buckets keep each trace's spans adjacent inside a bucket, which both
--    compresses repeated per-trace values well and makes reading one trace a few granules;
--  * trace_id, span_id ends the key, so the same span sent twice has the same key and
--    ReplacingMergeTree collapses it (ingest also drops exact re-sends before inserting).
-- Daily partitions let the retention TTL drop whole parts (ttl_only_drop_parts) instead of
-- rewriting them; retention is rewritten at start-up from FLIGHTLINE_RETENTION_DAYS.
-- Bloom filters answer lookups by trace, user and session id across a whole retention window.
CREATE TABLE IF NOT EXISTS {{TABLE spans}} {{ON_CLUSTER}}
(
    project_id LowCardinality(String),
    trace_id String,
    span_id String,
    parent_span_id String,
    name LowCardinality(String),
    kind Enum8('other' = 0, 'llm' = 1, 'tool' = 2, 'retriever' = 3, 'reranker' = 4, 'embedding' = 5, 'guardrail' = 6, 'agent' = 7, 'chain' = 8, 'eval' = 9),
    start_time DateTime64(9, 'UTC') CODEC(Delta, ZSTD(1)),
    end_time DateTime64(9, 'UTC') CODEC(Delta, ZSTD(1)),
    duration_ms Float64 CODEC(ZSTD(1)),
    status Enum8('unset' = 0, 'ok' = 1, 'error' = 2),
    status_message String CODEC(ZSTD(3)),
    error_type LowCardinality(String),
    tenant_id LowCardinality(String),
    user_id String,
    session_id String,
    agent_name LowCardinality(String),
    model_requested LowCardinality(String),
    model_resolved LowCardinality(String),
    provider LowCardinality(String),
    input_tokens UInt32,
    output_tokens UInt32,
    reasoning_tokens UInt32,
    cache_read_tokens UInt32,
    cache_write_tokens UInt32,
    local_input_tokens Nullable(UInt32),
    cost_usd Nullable(Float64),
    temperature Nullable(Float32),
    params String CODEC(ZSTD(3)),
    prompt_name LowCardinality(String),
    prompt_version LowCardinality(String),
    system_prompt_hash String,
    tool_name LowCardinality(String),
    tool_call_id String,
    retry_attempt UInt16,
    retry_of String,
    route_segment LowCardinality(String),
    fallback Bool,
    refusal Bool,
    schema_valid Nullable(Bool),
    finish_reason LowCardinality(String),
    ttft_ms Nullable(Float64),
    eval_run_id String,
    tags Array(LowCardinality(String)),
    input String CODEC(ZSTD(3)),
    output String CODEC(ZSTD(3)),
    -- Original size in bytes of a payload that was cut at the per-field limit; 0 when whole.
    input_original_bytes UInt32,
    output_original_bytes UInt32,
    events String CODEC(ZSTD(3)),
    attributes Map(LowCardinality(String), String) CODEC(ZSTD(3)),
    resource Map(LowCardinality(String), String) CODEC(ZSTD(3)),
    service_name LowCardinality(String),
    service_version LowCardinality(String),
    environment LowCardinality(String),
    ingested_at DateTime64(3, 'UTC') DEFAULT now64(3),
    INDEX idx_trace_id trace_id TYPE bloom_filter(0.001) GRANULARITY 1,
    INDEX idx_user_id user_id TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_session_id session_id TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_tenant_id tenant_id TYPE bloom_filter(0.01) GRANULARITY 1
)
ENGINE = {{ENGINE ReplacingMergeTree(ingested_at) SHARD BY cityHash64(project_id, trace_id)}}
PARTITION BY toYYYYMMDD(start_time)
ORDER BY (project_id, toStartOfHour(start_time), trace_id, span_id)
TTL toDateTime(start_time) + INTERVAL {{RETENTION_DAYS}} DAY
SETTINGS ttl_only_drop_parts = 1, index_granularity = 8192;
