import type { ClickHouseClient } from '@clickhouse/client';

// Spans and logs sorted by (ServiceName, 10-minute bucket, TraceId) instead of
// (ServiceName, SpanName, second) and (ServiceName, second); the trace id index
// table trace_id_ts, its materialized view and the skip indexes go. Why, measured
// on 10M seed-shaped spans with random ids (figures in docs/ARCHITECTURE.md,
// "Storage layout"):
// * trace by id reads one granule per (service, bucket) of the range, by the
//   primary key alone: ~15 ms at 10M spans, where the bloom filter plus the
//   trace_id_ts lookups took 55 ms (35 ms without the index subqueries);
// * a trace's spans sit together, so trace and parent ids compress to a few bytes:
//   30 B a span on disk against 44 B (+6 B for trace_id_ts);
// * every insert writes one part instead of two (no view), and builds no bloom
//   filter, which is merge and insert CPU saved on the ingest path;
// * searches keep pruning by time through the bucket (10 minutes: a last-hour
//   search reads 6-7 buckets; an hour bucket made it read two whole hours).
// ClickHouse cannot change a sort key in place, so each table is copied into a
// new one and swapped with EXCHANGE TABLES (atomic). Idempotent step by step: a
// table already sorted the new way is left alone, a copy a crash left half-done
// is dropped and made again.

const NEW_KEY = 'ServiceName, toStartOfTenMinutes(Timestamp), TraceId';
// A lookup by trace id reads one granule per (service, bucket): 2,048 rows of
// hex ids are about one 64 KiB compression block, where the default 8,192 rows
// decompressed four (the id is compared before any other column is read).
const INDEX_GRANULARITY = 2048;

const SPANS = (name: string) => `CREATE TABLE ${name}
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
    ResourceScopeId UInt64 CODEC(ZSTD(1))
)
ENGINE = MergeTree
PARTITION BY toDate(Timestamp)
ORDER BY (${NEW_KEY})
SETTINGS index_granularity = ${INDEX_GRANULARITY}`;

// Logs keep the n-gram index for the body search; the trace and span id bloom
// filters go (the key finds a trace's logs), and so does the timestamp minmax
// (within a bucket rows are in trace id order, so a granule spans the bucket).
const LOGS = (name: string) => `CREATE TABLE ${name}
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
    ResourceScopeId UInt64 CODEC(ZSTD(1)),
    INDEX idx_body lowerUTF8(Body) TYPE ngrambf_v1(3, 65536, 3, 0) GRANULARITY 1
)
ENGINE = MergeTree
PARTITION BY toDate(Timestamp)
ORDER BY (${NEW_KEY})
SETTINGS index_granularity = ${INDEX_GRANULARITY}`;

export async function up(client: ClickHouseClient): Promise<void> {
  // The view first: it would otherwise go on feeding trace_id_ts from the copy.
  await client.command({ query: 'DROP VIEW IF EXISTS trace_id_ts_mv' });
  await client.command({ query: 'DROP TABLE IF EXISTS trace_id_ts' });
  await resort(client, 'spans', SPANS);
  await resort(client, 'logs', LOGS);
}

async function resort(client: ClickHouseClient, table: 'spans' | 'logs', ddl: (name: string) => string): Promise<void> {
  const copy = `${table}_005`;
  if ((await sortingKey(client, table)) !== NEW_KEY) {
    await client.command({ query: `DROP TABLE IF EXISTS ${copy}` });
    await client.command({ query: ddl(copy) });
    // Column by column by name: the two tables list the same columns.
    const columns = (await columnNames(client, table)).join(', ');
    await client.command({ query: `INSERT INTO ${copy} (${columns}) SELECT ${columns} FROM ${table}` });
    await client.command({ query: `EXCHANGE TABLES ${table} AND ${copy}` });
  }
  await client.command({ query: `DROP TABLE IF EXISTS ${copy}` });
}

async function sortingKey(client: ClickHouseClient, table: string): Promise<string | undefined> {
  const rs = await client.query({
    query: 'SELECT sorting_key FROM system.tables WHERE database = currentDatabase() AND name = {table:String}',
    query_params: { table },
    format: 'JSONEachRow',
  });
  return (await rs.json<{ sorting_key: string }>())[0]?.sorting_key;
}

async function columnNames(client: ClickHouseClient, table: string): Promise<string[]> {
  const rs = await client.query({
    query: `SELECT name FROM system.columns WHERE database = currentDatabase() AND table = {table:String}
      AND default_kind NOT IN ('MATERIALIZED', 'ALIAS', 'EPHEMERAL') ORDER BY position`,
    query_params: { table },
    format: 'JSONEachRow',
  });
  return (await rs.json<{ name: string }>()).map((r) => r.name);
}
