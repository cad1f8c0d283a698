-- Which metrics have points in each minute: the input PromQL names its series
-- from (metric-series-sql.ts, metricCatalogSql), read without scanning the points.
-- Before this table the catalog was a GROUP BY over every point in the query's
-- range: 26-65 ms of the ~350-450 ms of bench/promql-bench.ts's query over 24 h
-- (bench/promql-profile.ts; docs/ARCHITECTURE.md, PromQL).
-- * MinuteStartMs: the start of the point's minute in Unix ms (OTLP times are
--   unsigned, so never before 1970). An Int64 rather than toStartOfMinute(),
--   which returns a 32-bit DateTime and wraps past 2106.
-- * A catalog over [start, end] takes the minutes wholly inside it from here and
--   the points of the partial minutes at either end from metric_points, so it is
--   exact: the same rows as the GROUP BY over the points.
-- * Minute: only for the TTL (storage/retention.ts, an hour beyond the points',
--   so no row goes before a point of its minute does). Taken from a DateTime64
--   as the points' TTL takes theirs, so both wrap alike past 2106 (toDateTime of
--   an integer would stop at 2106, and the TTL then overflow into the past).
-- * Filled by a materialized view on every insert into metric_points (one row a
--   metric and minute of the block), so it is in place when the insert is
--   acknowledged; the replacing merges fold one minute's rows into one.
CREATE TABLE IF NOT EXISTS metric_catalog
(
    MinuteStartMs Int64 CODEC(Delta(8), ZSTD(1)),
    MetricName LowCardinality(String) CODEC(ZSTD(1)),
    Kind Enum8('gauge' = 1, 'sum' = 2, 'histogram' = 3, 'exponentialHistogram' = 4, 'summary' = 5) CODEC(ZSTD(1)),
    AggregationTemporality Int32 CODEC(ZSTD(1)),
    IsMonotonic Bool CODEC(ZSTD(1)),
    MetricUnit LowCardinality(String) CODEC(ZSTD(1)),
    MetricDescription LowCardinality(String) CODEC(ZSTD(1)),
    Minute DateTime MATERIALIZED toDateTime(fromUnixTimestamp64Milli(MinuteStartMs)) CODEC(ZSTD(1))
)
ENGINE = ReplacingMergeTree
ORDER BY (MinuteStartMs, MetricName, Kind, AggregationTemporality, IsMonotonic, MetricUnit);

CREATE MATERIALIZED VIEW IF NOT EXISTS metric_catalog_mv TO metric_catalog AS
SELECT intDiv(toUnixTimestamp64Milli(Timestamp), 60000) * 60000 AS MinuteStartMs,
    MetricName, Kind, AggregationTemporality, IsMonotonic, MetricUnit, any(MetricDescription) AS MetricDescription
FROM metric_points
GROUP BY MinuteStartMs, MetricName, Kind, AggregationTemporality, IsMonotonic, MetricUnit;

-- The minutes of points stored before this migration (a crash before the version
-- row is written only adds copies, which reads group away).
INSERT INTO metric_catalog (MinuteStartMs, MetricName, Kind, AggregationTemporality, IsMonotonic, MetricUnit, MetricDescription)
SELECT intDiv(toUnixTimestamp64Milli(Timestamp), 60000) * 60000 AS MinuteStartMs,
    MetricName, Kind, AggregationTemporality, IsMonotonic, MetricUnit, any(MetricDescription)
FROM metric_points
GROUP BY MinuteStartMs, MetricName, Kind, AggregationTemporality, IsMonotonic, MetricUnit;
