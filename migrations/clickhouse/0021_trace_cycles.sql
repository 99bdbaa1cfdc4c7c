-- Cycles in each trace's aggregated call graph, for the re-entrancy badge and the "has a cycle"
-- filter of the traces list. Finding a cycle needs a trace's whole span tree, which no single
-- insert holds (exporters send children before parents, in separate batches), so it cannot be
-- a materialized view. Instead:
--   trace_touches      every insert into spans records which traces it touched (a view), kept 2 days;
--   the cycle indexer  (lib/traces/cycle-indexer.ts) reads new touches in order, loads those
--                      traces' span trees, runs lib/graph/find-cycles.ts and writes here;
--   trace_cycles       one row per trace that has a cycle (a trace without one has no row).
-- Adding spans to a trace can only add edges, so a found cycle never disappears; the newest
-- computation of a trace (computed_at) carries the current counts.
CREATE TABLE IF NOT EXISTS {{TABLE trace_touches}} {{ON_CLUSTER}}
(
    touched_at DateTime64(3, 'UTC'),
    project_id LowCardinality(String),
    trace_id String
)
ENGINE = {{ENGINE MergeTree SHARD BY cityHash64(project_id, trace_id)}}
PARTITION BY toYYYYMMDD(touched_at)
ORDER BY (touched_at, project_id, trace_id)
TTL toDateTime(touched_at) + INTERVAL 2 DAY
SETTINGS ttl_only_drop_parts = 1;

CREATE MATERIALIZED VIEW IF NOT EXISTS trace_touches_mv {{ON_CLUSTER}} TO {{LOCAL trace_touches}} AS
SELECT max(ingested_at) AS touched_at, project_id, trace_id
FROM {{LOCAL spans}}
GROUP BY project_id, trace_id;

CREATE TABLE IF NOT EXISTS {{TABLE trace_cycles}} {{ON_CLUSTER}}
(
    project_id LowCardinality(String),
    trace_id String,
    trace_start DateTime64(9, 'UTC'),
    cycle_count UInt16,
    reentries UInt32,
    max_depth UInt32,
    -- Labels of the nodes on the cycle with the most re-entries, for the badge.
    top_cycle Array(String),
    computed_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = {{ENGINE ReplacingMergeTree(computed_at) SHARD BY cityHash64(project_id, trace_id)}}
PARTITION BY toYYYYMMDD(trace_start)
ORDER BY (project_id, trace_id)
TTL toDateTime(trace_start) + INTERVAL {{RETENTION_DAYS}} DAY
SETTINGS ttl_only_drop_parts = 1;

-- How far the cycle indexer has read trace_touches: the last (touched_at, project, trace) done.
CREATE TABLE IF NOT EXISTS {{TABLE trace_cycle_progress}} {{ON_CLUSTER}}
(
    id UInt8,
    touched_at DateTime64(3, 'UTC'),
    project_id String,
    trace_id String,
    updated_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = {{ENGINE ReplacingMergeTree(updated_at) SHARD BY id}}
ORDER BY id;

-- Traces stored before this migration are indexed once, like fresh ones (touched now, so the
-- 2-day TTL cannot drop them before the indexer reads them).
INSERT INTO trace_touches
SELECT now64(3) AS touched_at, project_id, trace_id
FROM spans
GROUP BY project_id, trace_id;
