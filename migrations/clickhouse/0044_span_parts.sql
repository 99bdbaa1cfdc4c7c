-- span_parts: partial facts about a span that arrive apart from the span's own row, merged with
-- it when read (lib/ingest/span-parts.ts owns the rule; docs/storage.md explains it):
--   source 'log'       a GenAI log record (OTLP logs): input/output messages and an event for the
--                      span it names, whether the span arrives before or after it;
--   source 'langfuse'  one Langfuse ingestion event (create or update) for an observation or a
--                      trace; the promoter writes the merged observation to spans once it settled
--                      and records that with a part of source 'promoted'.
-- `fields` is the validated partial span (the native span shape) as JSON; `time` orders the
-- parts of a span (the event's own time) and partitions them; parts with the same time keep the
-- order they arrived in (ingested_at, then `seq`, which counts up within a process). part_id is the event id (or a hash
-- of a log record), so a re-sent part collapses here and is read once (LIMIT 1 BY part_id).
CREATE TABLE IF NOT EXISTS {{TABLE span_parts}} {{ON_CLUSTER}}
(
    project_id LowCardinality(String),
    trace_id String,
    span_id String,
    source LowCardinality(String),
    part_id String,
    time DateTime64(9, 'UTC') CODEC(Delta, ZSTD(1)),
    seq UInt64,
    -- Whether the part carries an end time: lets the promoter find ended observations without
    -- reading `fields`.
    ended Bool,
    fields String CODEC(ZSTD(3)),
    ingested_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = {{ENGINE ReplacingMergeTree(ingested_at) SHARD BY cityHash64(project_id, trace_id)}}
PARTITION BY toYYYYMMDD(time)
ORDER BY (project_id, trace_id, span_id, source, part_id)
TTL toDateTime(time) + INTERVAL {{RETENTION_DAYS}} DAY
SETTINGS ttl_only_drop_parts = 1;
