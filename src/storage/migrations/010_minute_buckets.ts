import type { ClickHouseClient } from '@clickhouse/client';
import { up as mergeSettings } from './006_merge_settings.ts';
import { resortTable } from './resort-table.ts';
import { modifyKnownSettings } from './table-settings.ts';

// Two changes for searches (figures: docs/ARCHITECTURE.md, "Storage layout"):
//
// 1. Spans and logs sorted by (ServiceName, minute, TraceId) instead of 005's
//    10-minute bucket. A search reads its range backwards in windows starting
//    with the last minute (trace-reader.ts), but a window reads whole buckets of
//    the key: with 10-minute buckets a last-minute window read up to ten minutes
//    of the service's spans (a one-minute EUR search on even data 50 ms, 19 ms
//    with minute buckets). A lookup by trace id meets ten times the (service,
//    bucket) prefixes; the bloom filter on TraceId still narrows them to the
//    trace's granules (same time within noise at 10M spans).
// 2. Attribute maps of 4 keys or more on average (in practice the string
//    attributes, ~7.6 keys a span) serialized in 4 key buckets once parts merge
//    (`map_serialization_version = 'with_buckets'`): `m['payment.currency']`
//    reads the bucket holding that key instead of every key and value of the
//    row. Measured on the newest day of `npm run bench`'s store (1.8M spans,
//    merged; ARCHITECTURE "Minute buckets and bucketed maps"): the EUR window on
//    the ingest burst's minute 260 ms -> 125 ms, 30.6 -> 29.0 B a span, trace by
//    id unchanged (16 ms); a merge costs ~1.6 µs a row more. Eight buckets on
//    every map made trace by id twice as slow (each map read as 8 streams); eight
//    on the string map alone read the window in 91 ms at 27.3 B a span but cost
//    ~3.6 µs a row a merge, which ingest cannot spare. Inserts keep the plain
//    serialization (`map_serialization_version_for_zero_level_parts` stays
//    `basic`). `mapContains` still reads every bucket's keys: attribute-filter.ts
//    guards a lookup with it only where a missing key would match.
//
// The copy does not inherit 006's merge setting, so it is set again.

const NEW_KEY = 'ServiceName, toStartOfMinute(Timestamp), TraceId';
const TABLES = ['spans', 'logs'] as const;

export async function up(client: ClickHouseClient): Promise<void> {
  for (const table of TABLES) {
    await resortTable(client, { table, key: NEW_KEY, suffix: '010', settings: 'index_granularity = 2048' });
  }
  await mergeSettings(client);
  await modifyKnownSettings(client, TABLES, {
    map_serialization_version: 'with_buckets',
    map_buckets_strategy: 'constant',
    max_buckets_in_map: 4,
    // Maps of fewer keys on average stay one bucket (the default threshold, 32, would leave every map so).
    map_buckets_min_avg_size: 4,
  });
}
