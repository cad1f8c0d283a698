import type { ClickHouseClient } from '@clickhouse/client';

// Spans and logs sorted by (ServiceName, 10-minute bucket, TraceId) instead of
// (ServiceName, SpanName, second) and (ServiceName, second); the trace id index
// table trace_id_ts, its materialized view and the skip indexes go. Why, measured
// on 10M seed-shaped spans with random ids (figures in docs/ARCHITECTURE.md,
// "Storage layout"):
// * trace by id: the key leaves one granule per (service, bucket), the bloom
//   filter on TraceId the trace's own: 7 ms to find a trace's spans at 10M
//   spans, where the bloom filter over every granule plus the trace_id_ts
//   lookups took 55 ms (35 ms without the index subqueries);
// * a trace's spans sit together, so trace and parent ids compress to a few bytes:
//   30 B a span on disk against 44 B (+6 B for trace_id_ts);
// * every insert writes one part instead of two (no view), which is merge and
//   insert CPU saved on the ingest path;
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

/**
 * The skip indexes 002/003 made that the new key replaces. Within a bucket rows
 * are in trace id order, so a granule spans its bucket: a timestamp or duration
 * minmax no longer prunes. The bloom filters on TraceId stay: the key leaves one
 * granule per (service, bucket) to look in, 288 a day at 10M spans, and reading
 * their ids cost 50-80 ms a lookup; their bloom filters exclude all but the
 * trace's own (7 ms; 0.4 B a span on disk). The log body's n-gram index stays.
 */
const DROPPED_INDEXES = {
  spans: ['idx_timestamp', 'idx_duration'],
  logs: ['idx_span_id', 'idx_timestamp'],
} as const;

export async function up(client: ClickHouseClient): Promise<void> {
  // The view first: it would otherwise go on feeding trace_id_ts from the copy.
  await client.command({ query: 'DROP VIEW IF EXISTS trace_id_ts_mv' });
  await client.command({ query: 'DROP TABLE IF EXISTS trace_id_ts' });
  await resort(client, 'spans');
  await resort(client, 'logs');
}

async function resort(client: ClickHouseClient, table: keyof typeof DROPPED_INDEXES): Promise<void> {
  const copy = `${table}_005`;
  if ((await sortingKey(client, table)) !== NEW_KEY) {
    await client.command({ query: `DROP TABLE IF EXISTS ${copy}` });
    // The same columns, codecs and indexes, under the new key.
    await client.command({
      query: `CREATE TABLE ${copy} AS ${table} ENGINE = MergeTree PARTITION BY toDate(Timestamp) ORDER BY (${NEW_KEY})
        SETTINGS index_granularity = ${INDEX_GRANULARITY}`,
    });
    for (const index of DROPPED_INDEXES[table]) await client.command({ query: `ALTER TABLE ${copy} DROP INDEX IF EXISTS ${index}` });
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
