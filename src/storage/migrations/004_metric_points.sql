-- Metric data points of all five kinds in one table, one row a point, with the
-- metric's own fields (description, unit, metadata, kind, temporality,
-- monotonic) repeated on each row. One table rather than five because every read
-- is "the points of one metric by name" or "which metrics exist", which would
-- otherwise be a five-way UNION; the columns a kind does not use hold defaults,
-- which cost next to nothing once compressed.
-- * Kind: gauge | sum | histogram | exponentialHistogram | summary (the model's names).
-- * Value: ValueType says which of ValueDouble / ValueInt holds the NumberDataPoint
--   value (0 = neither was set), so an int gauge stays an int.
-- * Sum, Min, Max are Nullable: `optional double` in the proto, absent != 0.
-- * Exemplars and metric metadata are OTLP/JSON text (read back whole, never filtered).
CREATE TABLE IF NOT EXISTS metric_points
(
    MetricName LowCardinality(String) CODEC(ZSTD(1)),
    MetricDescription LowCardinality(String) CODEC(ZSTD(1)),
    MetricUnit LowCardinality(String) CODEC(ZSTD(1)),
    MetricMetadata String CODEC(ZSTD(1)),
    Kind Enum8('gauge' = 1, 'sum' = 2, 'histogram' = 3, 'exponentialHistogram' = 4, 'summary' = 5) CODEC(ZSTD(1)),
    AggregationTemporality Int32 CODEC(ZSTD(1)),
    IsMonotonic Bool CODEC(ZSTD(1)),
    StartTimestamp DateTime64(9) CODEC(Delta(8), ZSTD(1)),
    Timestamp DateTime64(9) CODEC(Delta(8), ZSTD(1)),
    Flags UInt32 CODEC(ZSTD(1)),
    ValueType UInt8 CODEC(ZSTD(1)),
    ValueDouble Float64 CODEC(ZSTD(1)),
    ValueInt Int64 CODEC(ZSTD(1)),
    Count UInt64 CODEC(ZSTD(1)),
    Sum Nullable(Float64) CODEC(ZSTD(1)),
    Min Nullable(Float64) CODEC(ZSTD(1)),
    Max Nullable(Float64) CODEC(ZSTD(1)),
    BucketCounts Array(UInt64) CODEC(ZSTD(1)),
    ExplicitBounds Array(Float64) CODEC(ZSTD(1)),
    Scale Int32 CODEC(ZSTD(1)),
    ZeroCount UInt64 CODEC(ZSTD(1)),
    ZeroThreshold Float64 CODEC(ZSTD(1)),
    PositiveOffset Int32 CODEC(ZSTD(1)),
    PositiveBucketCounts Array(UInt64) CODEC(ZSTD(1)),
    NegativeOffset Int32 CODEC(ZSTD(1)),
    NegativeBucketCounts Array(UInt64) CODEC(ZSTD(1)),
    Quantiles Array(Float64) CODEC(ZSTD(1)),
    QuantileValues Array(Float64) CODEC(ZSTD(1)),
    Exemplars String CODEC(ZSTD(1)),
    AttributesString Map(String, String) CODEC(ZSTD(1)),
    AttributesInt Map(String, Int64) CODEC(ZSTD(1)),
    AttributesDouble Map(String, Float64) CODEC(ZSTD(1)),
    AttributesBool Map(String, Bool) CODEC(ZSTD(1)),
    AttributesJson Map(String, String) CODEC(ZSTD(1)),
    ServiceName LowCardinality(String) CODEC(ZSTD(1)),
    -- resource_scopes.Id (001_resource_scopes.sql)
    ResourceScopeId UInt64 CODEC(ZSTD(1)),
    -- Time ranges across services behind the (name, service) key prefix.
    INDEX idx_timestamp Timestamp TYPE minmax GRANULARITY 1
    -- No bloom filters on the attribute maps: see 002_spans.sql. A metric's points
    -- are already narrowed to one name by the sort key before attributes are read.
)
ENGINE = MergeTree
PARTITION BY toDate(Timestamp)
-- Every point read names the metric first; listMetrics groups by it too.
ORDER BY (MetricName, ServiceName, toDateTime(Timestamp));
