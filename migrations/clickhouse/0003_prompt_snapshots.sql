-- prompt_snapshots: system prompts addressed by their sha256, stored once per project however
-- many spans ran with them. Small and looked up by hash, so no partitions and no TTL.
CREATE TABLE IF NOT EXISTS {{TABLE prompt_snapshots}} {{ON_CLUSTER}}
(
    project_id LowCardinality(String),
    hash String,
    text String CODEC(ZSTD(3)),
    first_seen DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = {{ENGINE ReplacingMergeTree SHARD BY cityHash64(project_id, hash)}}
ORDER BY (project_id, hash);
