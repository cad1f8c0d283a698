-- Log records, one row each; same column habits as 002_spans.sql.
-- * Timestamp is time_unix_nano, or observed_time_unix_nano when the record has no
--   time (the log data model says to use the observed time then); TimeUnset says
--   which, so the record reads back as sent. Time ranges, TTL and sorting all use
--   this one column.
-- * Body is the string itself for string bodies, else the OTLP/JSON text of the
--   AnyValue (BodyIsJson), so a substring search covers every body kind.
CREATE TABLE IF NOT EXISTS logs
(
    Timestamp DateTime64(9) CODEC(Delta(8), ZSTD(1)),
    TimeUnset Bool CODEC(ZSTD(1)),
    ObservedTimestamp DateTime64(9) CODEC(Delta(8), ZSTD(1)),
    TraceId String CODEC(ZSTD(1)),
    SpanId String CODEC(ZSTD(1)),
    Flags UInt32 CODEC(ZSTD(1)),
    SeverityText LowCardinality(String) CODEC(ZSTD(1)),
    SeverityNumber Int32 CODEC(ZSTD(1)),
    Body String CODEC(ZSTD(1)),
    BodyIsJson Bool CODEC(ZSTD(1)),
    EventName LowCardinality(String) CODEC(ZSTD(1)),
    AttributesString Map(String, String) CODEC(ZSTD(1)),
    AttributesInt Map(String, Int64) CODEC(ZSTD(1)),
    AttributesDouble Map(String, Float64) CODEC(ZSTD(1)),
    AttributesBool Map(String, Bool) CODEC(ZSTD(1)),
    AttributesJson Map(String, String) CODEC(ZSTD(1)),
    DroppedAttributesCount UInt32 CODEC(ZSTD(1)),
    ServiceName LowCardinality(String) CODEC(ZSTD(1)),
    -- resource_scopes.Id (001_resource_scopes.sql)
    ResourceScopeId UInt64 CODEC(ZSTD(1)),
    -- "logs of this trace/span" is the most common log query and ids are not in the key.
    INDEX idx_trace_id TraceId TYPE bloom_filter(0.001) GRANULARITY 1,
    INDEX idx_span_id SpanId TYPE bloom_filter(0.001) GRANULARITY 1,
    INDEX idx_timestamp Timestamp TYPE minmax GRANULARITY 1,
    -- The text search is a case-insensitive substring (`lowerUTF8(Body) LIKE '%x%'`):
    -- only an n-gram bloom filter can skip granules for that (tokenbf_v1 matches
    -- whole tokens only), built on the same lowerUTF8 expression the query uses.
    -- 64 KiB per granule keeps false positives low for ~8K lines of templated text.
    INDEX idx_body lowerUTF8(Body) TYPE ngrambf_v1(3, 65536, 3, 0) GRANULARITY 1
    -- No bloom filters on the attribute maps: see 002_spans.sql (they halved insert speed).
)
ENGINE = MergeTree
PARTITION BY toDate(Timestamp)
-- Log views start from a service and a time window (the Collector exporter's key).
ORDER BY (ServiceName, toDateTime(Timestamp));
