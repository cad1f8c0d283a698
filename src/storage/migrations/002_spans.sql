-- Spans, one row each. Column choices (why, not what):
-- * Timestamp is the span start in ns (DateTime64(9)); Duration is end - start in
--   ns as Int64, so a span whose clock ran backwards (end < start) is kept as sent.
--   Delta(8) then ZSTD(1): rows are sorted by key then time and arrive at irregular
--   intervals, so first differences are small; DoubleDelta only pays off for
--   fixed-interval series, which this sort interleaves.
-- * Ids are hex String (the model's form; what every query binds), ZSTD(1).
-- * LowCardinality for service and span name (a handful of values per part, in
--   the sort key, compared as dictionary ids). Not for map keys: parsing a
--   LowCardinality map key cost ~0.4 µs an entry against ~0.2 µs for String (chDB,
--   JSONCompactEachRow), the largest single item of the insert cost, while ZSTD
--   already stores repeated keys in next to nothing.
-- * Attributes: one map per value type (see src/storage/attribute-columns.ts), so
--   `=` on strings and `>`/`<` on numbers run on typed values, and types come back.
-- * The resource and scope live in resource_scopes (001), referenced by id.
-- * Events and links are OTLP/JSON text: they are read back whole with the trace and
--   never filtered on, most spans have none ('[]' compresses to nothing), and
--   Nested columns would need five typed maps per event to stay lossless.
-- TTL is not here: it follows the configured retention and is set at start-up
-- (src/storage/retention.ts).
CREATE TABLE IF NOT EXISTS spans
(
    Timestamp DateTime64(9) CODEC(Delta(8), ZSTD(1)),
    TraceId String CODEC(ZSTD(1)),
    SpanId String CODEC(ZSTD(1)),
    ParentSpanId String CODEC(ZSTD(1)),
    TraceState String CODEC(ZSTD(1)),
    Flags UInt32 CODEC(ZSTD(1)),
    SpanName LowCardinality(String) CODEC(ZSTD(1)),
    SpanKind Int32 CODEC(ZSTD(1)),
    Duration Int64 CODEC(ZSTD(1)),
    StatusCode Int32 CODEC(ZSTD(1)),
    StatusMessage String CODEC(ZSTD(1)),
    AttributesString Map(String, String) CODEC(ZSTD(1)),
    AttributesInt Map(String, Int64) CODEC(ZSTD(1)),
    AttributesDouble Map(String, Float64) CODEC(ZSTD(1)),
    AttributesBool Map(String, Bool) CODEC(ZSTD(1)),
    AttributesJson Map(String, String) CODEC(ZSTD(1)),
    DroppedAttributesCount UInt32 CODEC(ZSTD(1)),
    Events String CODEC(ZSTD(1)),
    DroppedEventsCount UInt32 CODEC(ZSTD(1)),
    Links String CODEC(ZSTD(1)),
    DroppedLinksCount UInt32 CODEC(ZSTD(1)),
    ServiceName LowCardinality(String) CODEC(ZSTD(1)),
    -- resource_scopes.Id (001_resource_scopes.sql)
    ResourceScopeId UInt64 CODEC(ZSTD(1)),
    -- TraceId is not in the sort key, so trace lookups (getTrace, the search
    -- summaries) skip granules by bloom filter; 0.001 because ids are unique and
    -- a false positive costs a granule read.
    INDEX idx_trace_id TraceId TYPE bloom_filter(0.001) GRANULARITY 1,
    -- Time ranges without a service filter: the sort key's third column prunes
    -- poorly behind (service, name), a minmax per granule prunes well.
    INDEX idx_timestamp Timestamp TYPE minmax GRANULARITY 1,
    -- minDuration/maxDuration searches skip granules of only-fast or only-slow spans.
    INDEX idx_duration Duration TYPE minmax GRANULARITY 1
    -- No bloom filters on attribute map keys/values, on purpose: with them the
    -- insert path ran at ~46K rows/s, without them ~80K (16K-row inserts of
    -- seed-shaped spans; the mapValues filter alone cost nearly all of it:
    -- ~10 values a span to hash). Attribute filters read the maps only in the
    -- granules left after the time range and the (service, name) key.
)
ENGINE = MergeTree
-- Daily parts: retention is hours to weeks, and a day keeps the part count low.
-- Not ttl_only_drop_parts: with retention shorter than a day it would keep rows
-- up to a day too long.
PARTITION BY toDate(Timestamp)
-- Searches start from a service and a span name (the Collector exporter's key);
-- whole seconds keep the key small, the minmax index above refines within them.
ORDER BY (ServiceName, SpanName, toDateTime(Timestamp));

-- trace id -> [first span start, last span end], so getTrace reads the spans
-- table only within that time range (the Collector exporter's otel_traces_trace_id_ts).
-- One row per trace per insert; readers take min(Start) / max(End).
CREATE TABLE IF NOT EXISTS trace_id_ts
(
    TraceId String CODEC(ZSTD(1)),
    Start DateTime64(9) CODEC(Delta(8), ZSTD(1)),
    End DateTime64(9) CODEC(Delta(8), ZSTD(1))
)
ENGINE = MergeTree
PARTITION BY toDate(Start)
-- Looked up by id only: the id is the whole key.
ORDER BY TraceId;

-- greatest(): a span with end < start must still fall inside [Start, End].
CREATE MATERIALIZED VIEW IF NOT EXISTS trace_id_ts_mv TO trace_id_ts AS
SELECT
    TraceId,
    min(Timestamp) AS Start,
    max(greatest(Timestamp, addNanoseconds(Timestamp, Duration))) AS End
FROM spans
WHERE TraceId != ''
GROUP BY TraceId;
