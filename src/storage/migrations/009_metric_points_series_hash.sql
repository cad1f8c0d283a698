-- A series' identity within a metric and resource/scope (PromQL, storage/metric-*-sql.ts):
-- the hash of the five attribute maps, computed once at insert instead of at
-- every read. Hashing the maps of 576,000 points took ~200 ms of a ~250 ms
-- scan (bench/promql-bench.ts); reading this column takes a few ms.
-- cityHash64 rather than sipHash64: 64 bits either way, several times faster.
-- Parts written before this migration compute it when read (same value), so
-- nothing is rewritten at start-up.
ALTER TABLE metric_points ADD COLUMN IF NOT EXISTS SeriesHash UInt64
    MATERIALIZED cityHash64(AttributesString, AttributesInt, AttributesDouble, AttributesBool, AttributesJson)
    CODEC(ZSTD(1));
