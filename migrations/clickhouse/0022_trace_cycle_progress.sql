-- The cycle indexer's bookmark (see 0021_trace_cycles.sql).
-- How far it has read trace_touches: the last (touched_at, project, trace) done.
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
