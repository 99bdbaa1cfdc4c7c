-- The flight recorder (docs/storage.md, "Redaction, sampling, deletion"):
--  * spans.redactions   how many values ingest redacted in the span, by rule name;
--  * spans.sample_weight the inverse of the probability that the span's trace was kept (1 when
--    sampling is off or a policy kept the trace; 1/rate for a trace kept by the rate), so
--    analytics count, rate and cost sampled data honestly;
--  * held_spans          spans of traces not judged yet while a project samples: kept there,
--    durably, until the trace went quiet, then moved to spans whole or dropped whole;
--  * sampling_decisions  one row per judged trace: kept or dropped, its weight, its spans.
ALTER TABLE {{LOCAL spans}} {{ON_CLUSTER}} ADD COLUMN IF NOT EXISTS redactions Map(LowCardinality(String), UInt32) CODEC(ZSTD(3));
ALTER TABLE {{LOCAL spans}} {{ON_CLUSTER}} ADD COLUMN IF NOT EXISTS sample_weight Float64 DEFAULT 1;
ALTER TABLE spans {{ON_CLUSTER}} ADD COLUMN IF NOT EXISTS redactions Map(LowCardinality(String), UInt32) CODEC(ZSTD(3));
ALTER TABLE spans {{ON_CLUSTER}} ADD COLUMN IF NOT EXISTS sample_weight Float64 DEFAULT 1;

-- The columns of spans (a later column added to spans is added here too). Rows live here for
-- the sampling window (FLIGHTLINE_SAMPLING_WINDOW_SECONDS); the TTL only guards against a
-- decider that never runs.
CREATE TABLE IF NOT EXISTS {{TABLE held_spans}} {{ON_CLUSTER}} AS {{LOCAL spans}}
ENGINE = {{ENGINE ReplacingMergeTree(ingested_at) SHARD BY cityHash64(project_id, trace_id)}}
PARTITION BY toYYYYMMDD(ingested_at)
ORDER BY (project_id, trace_id, span_id)
TTL toDateTime(ingested_at) + INTERVAL 7 DAY;

CREATE TABLE IF NOT EXISTS {{TABLE sampling_decisions}} {{ON_CLUSTER}}
(
    project_id LowCardinality(String),
    trace_id String,
    kept Bool,
    -- 'rate', 'error', 'slow', 'tenant' (why it was kept) or 'dropped'.
    reason LowCardinality(String),
    sample_weight Float64,
    spans UInt32,
    decided_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = {{ENGINE ReplacingMergeTree(decided_at) SHARD BY cityHash64(project_id, trace_id)}}
PARTITION BY toYYYYMMDD(decided_at)
ORDER BY (project_id, trace_id)
TTL toDateTime(decided_at) + INTERVAL {{RETENTION_DAYS}} DAY
SETTINGS ttl_only_drop_parts = 1;

-- Weighted counts and costs in the model-call rollups: a sampled trace's calls count 1/rate.
ALTER TABLE {{LOCAL model_call_blocks}} {{ON_CLUSTER}} MODIFY COLUMN requests SimpleAggregateFunction(sum, Float64);
ALTER TABLE {{LOCAL model_call_outcomes}} {{ON_CLUSTER}} MODIFY COLUMN requests SimpleAggregateFunction(sum, Float64);
ALTER TABLE {{LOCAL model_call_outcomes}} {{ON_CLUSTER}} MODIFY COLUMN errors SimpleAggregateFunction(sum, Float64);
