-- scores: evaluation results (judge, human, code) attached to a trace and optionally a span.
-- Ordered by project, hour, trace so "scores of this trace" and "scores by hour" both prune.
-- score_id is the client's id or a hash of the score's identity, so a re-sent score collapses.
CREATE TABLE IF NOT EXISTS {{TABLE scores}} {{ON_CLUSTER}}
(
    project_id LowCardinality(String),
    score_id String,
    trace_id String,
    span_id String,
    name LowCardinality(String),
    value Nullable(Float64),
    label LowCardinality(String),
    source LowCardinality(String),
    evaluator LowCardinality(String),
    run_id String,
    comment String CODEC(ZSTD(3)),
    timestamp DateTime64(3, 'UTC') CODEC(Delta, ZSTD(1)),
    ingested_at DateTime64(3, 'UTC') DEFAULT now64(3),
    INDEX idx_trace_id trace_id TYPE bloom_filter(0.001) GRANULARITY 1
)
ENGINE = {{ENGINE ReplacingMergeTree(ingested_at) SHARD BY cityHash64(project_id, trace_id)}}
PARTITION BY toYYYYMMDD(timestamp)
ORDER BY (project_id, toStartOfHour(timestamp), trace_id, score_id)
TTL toDateTime(timestamp) + INTERVAL {{RETENTION_DAYS}} DAY
SETTINGS ttl_only_drop_parts = 1;
