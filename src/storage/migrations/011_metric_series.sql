-- The attributes of each metric series, once a series (one row an insert block
-- until the background merges replace them down to one). A window statement
-- (storage/metric-window-sql.ts) needs a series' attributes once, for its labels
-- or its `sum by` group, but read from metric_points they cost a read of the five
-- maps of every point in the range: 35-50 ms of the scan of bench/promql-bench.ts's
-- query (docs/ARCHITECTURE.md, PromQL). SeriesHash (009) is the hash of the five
-- maps, so one row a hash is enough, whatever the metric or resource.
-- * LastSeen: the newest point's time, for the TTL (storage/retention.ts: a day
--   beyond the points', so a series row outlives every point that refers to it)
--   and as the version the replacing merges keep.
-- * Filled by a materialized view on every insert into metric_points (one row a
--   series of the block), so it is in place when the insert is acknowledged.
CREATE TABLE IF NOT EXISTS metric_series
(
    MetricName LowCardinality(String) CODEC(ZSTD(1)),
    SeriesHash UInt64 CODEC(ZSTD(1)),
    LastSeen DateTime CODEC(ZSTD(1)),
    AttributesString Map(String, String) CODEC(ZSTD(1)),
    AttributesInt Map(String, Int64) CODEC(ZSTD(1)),
    AttributesDouble Map(String, Float64) CODEC(ZSTD(1)),
    AttributesBool Map(String, Bool) CODEC(ZSTD(1)),
    AttributesJson Map(String, String) CODEC(ZSTD(1))
)
ENGINE = ReplacingMergeTree(LastSeen)
ORDER BY (MetricName, SeriesHash);

CREATE MATERIALIZED VIEW IF NOT EXISTS metric_series_mv TO metric_series AS
SELECT MetricName, SeriesHash, max(toDateTime(Timestamp)) AS LastSeen,
    any(AttributesString) AS AttributesString, any(AttributesInt) AS AttributesInt, any(AttributesDouble) AS AttributesDouble,
    any(AttributesBool) AS AttributesBool, any(AttributesJson) AS AttributesJson
FROM metric_points
GROUP BY MetricName, SeriesHash;

-- The series of points stored before this migration (a crash before the version
-- row is written only adds copies, which reads group away).
INSERT INTO metric_series
SELECT MetricName, SeriesHash, max(toDateTime(Timestamp)),
    any(AttributesString), any(AttributesInt), any(AttributesDouble), any(AttributesBool), any(AttributesJson)
FROM metric_points
GROUP BY MetricName, SeriesHash;
