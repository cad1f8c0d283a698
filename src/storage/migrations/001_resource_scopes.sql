-- Resources and instrumentation scopes, one row per distinct (resource, scope,
-- both schema URLs), referenced from spans, logs and metric points by Id (a hash of
-- the row, src/storage/resource-scope.ts). Normalized rather than repeated on every
-- signal row, on purpose: parsing the repeated resource columns was ~40% of the
-- insert cost of a seed-shaped span (18.5 vs 10.5 µs of CPU a row, merges
-- included), and a batch from one SDK shares one resource anyway.
-- * ReplacingMergeTree(LastSeen): every writer inserts a row again at most hourly
--   while it sees the resource, merges keep the newest.
-- * TTL (set at start-up, src/storage/retention.ts) runs from LastSeen plus a day
--   beyond the signal tables' retention, so a row outlives the spans that use it.
-- * Resource attributes use the same typed maps as the signal tables (filters on
--   them run here and turn into `ResourceScopeId IN (...)`); scope attributes are
--   one OTLP/JSON string (read back whole, not filtered on).
CREATE TABLE IF NOT EXISTS resource_scopes
(
    Id UInt64,
    LastSeen DateTime DEFAULT now(),
    ServiceName LowCardinality(String) CODEC(ZSTD(1)),
    ResourceAttributesString Map(String, String) CODEC(ZSTD(1)),
    ResourceAttributesInt Map(String, Int64) CODEC(ZSTD(1)),
    ResourceAttributesDouble Map(String, Float64) CODEC(ZSTD(1)),
    ResourceAttributesBool Map(String, Bool) CODEC(ZSTD(1)),
    ResourceAttributesJson Map(String, String) CODEC(ZSTD(1)),
    ResourceDroppedAttributesCount UInt32 CODEC(ZSTD(1)),
    ResourceSchemaUrl String CODEC(ZSTD(1)),
    ScopeName String CODEC(ZSTD(1)),
    ScopeVersion String CODEC(ZSTD(1)),
    ScopeAttributes String CODEC(ZSTD(1)),
    ScopeDroppedAttributesCount UInt32 CODEC(ZSTD(1)),
    ScopeSchemaUrl String CODEC(ZSTD(1))
)
ENGINE = ReplacingMergeTree(LastSeen)
ORDER BY Id;
