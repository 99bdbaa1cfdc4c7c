-- Takes every aggregate off the insert path. Until now six materialized views (trace stats,
-- trace touches, the four analytics rollups) ran inside every insert into spans, which made an
-- insert cost two to four times what the engine needs to store the rows. From here on an insert
-- writes spans only; the rollup refresher (lib/rollups/refresher.ts) folds what was inserted
-- since its watermark into all six tables in one pass, a few seconds behind ingest, and readers
-- read the blocks the refresher has not reached yet from spans (docs/storage.md, "Rollups").
DROP VIEW IF EXISTS trace_stats_mv {{ON_CLUSTER}};
DROP VIEW IF EXISTS trace_touches_mv {{ON_CLUSTER}};
DROP VIEW IF EXISTS model_call_blocks_mv {{ON_CLUSTER}};
DROP VIEW IF EXISTS model_call_outcomes_mv {{ON_CLUSTER}};
DROP VIEW IF EXISTS model_call_user_days_mv {{ON_CLUSTER}};
DROP VIEW IF EXISTS model_call_first_seen_mv {{ON_CLUSTER}};

-- The refresher and the readers find what was inserted after the watermark by ingested_at: a
-- min/max per granule lets them skip every granule written before it.
ALTER TABLE {{LOCAL spans}} {{ON_CLUSTER}} ADD INDEX IF NOT EXISTS idx_ingested_at ingested_at TYPE minmax GRANULARITY 1;
ALTER TABLE {{LOCAL spans}} {{ON_CLUSTER}} MATERIALIZE INDEX idx_ingested_at;

-- A pass inserts into each table with a deduplication token naming its window, so a pass that is
-- repeated after a crash adds nothing twice. Replicated tables keep insert tokens by default; a
-- single node's tables keep them with this setting.
ALTER TABLE {{LOCAL trace_stats}} {{ON_CLUSTER}} MODIFY SETTING non_replicated_deduplication_window = 1000;
ALTER TABLE {{LOCAL trace_touches}} {{ON_CLUSTER}} MODIFY SETTING non_replicated_deduplication_window = 1000;
ALTER TABLE {{LOCAL model_call_blocks}} {{ON_CLUSTER}} MODIFY SETTING non_replicated_deduplication_window = 1000;
ALTER TABLE {{LOCAL model_call_outcomes}} {{ON_CLUSTER}} MODIFY SETTING non_replicated_deduplication_window = 1000;
ALTER TABLE {{LOCAL model_call_user_days}} {{ON_CLUSTER}} MODIFY SETTING non_replicated_deduplication_window = 1000;
ALTER TABLE {{LOCAL model_call_first_seen}} {{ON_CLUSTER}} MODIFY SETTING non_replicated_deduplication_window = 1000;

-- The refresher's bookmark, one logical row (id 0), newest seq wins:
--   watermark   every span with ingested_at <= watermark is in all the rollups, exactly once;
--   pending_to  the end of the pass under way (= watermark when none is): a pass found unfinished
--               at start-up is repeated over exactly (watermark, pending_to] with the same tokens.
CREATE TABLE IF NOT EXISTS {{TABLE rollup_progress}} {{ON_CLUSTER}}
(
    id UInt8,
    seq UInt64,
    watermark DateTime64(3, 'UTC'),
    pending_to DateTime64(3, 'UTC'),
    -- host:pid of the process that wrote the row (several refreshers at once would double count).
    holder String,
    updated_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = {{ENGINE ReplacingMergeTree(seq) SHARD BY id}}
ORDER BY id;

-- Everything stored so far went through the views: the watermark starts now. Migrations run
-- before the server takes requests, so no span is both in the views' output and after it.
INSERT INTO rollup_progress (id, seq, watermark, pending_to, holder)
SELECT 0, 1, now64(3), now64(3), 'migration';
