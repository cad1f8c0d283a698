import type { ClickHouseClient } from '@clickhouse/client';
import { modifyKnownSettings } from './table-settings.ts';

// Attribute maps of spans and logs averaging 4 keys or more (in practice the
// string attributes, ~7.6 keys a span) serialized in 4 key buckets once parts
// merge (`map_serialization_version = 'with_buckets'`): `m['payment.currency']`
// reads the bucket holding that key instead of every key and value of the row.
// Measured once with throwaway scripts on the newest day of `npm run bench`'s
// store (1.8M spans, merged; docs/ARCHITECTURE.md, "Bucketed maps"): the EUR window on the ingest burst's
// minute 260 ms -> 125 ms, 30.6 -> 29.0 B a span, trace by id unchanged (16 ms);
// a merge costs ~1.6 µs a row more. Eight buckets on every map made trace by id
// twice as slow (each map read as 8 streams); eight on the string map alone read
// the window in 91 ms at 27.3 B a span but cost ~3.6 µs a row a merge, which
// ingest cannot spare. Inserts keep the plain serialization
// (`map_serialization_version_for_zero_level_parts` stays `basic`); parts
// written before this migration take the new serialization when they merge.
// `mapContains` still reads every bucket's keys: attribute-filter.ts guards a
// lookup with it only where a missing key would match.
//
// Tried and not kept: minute buckets in the sort key instead of 005's ten
// minutes. A one-minute window of even data read 19 ms instead of 50, but the
// root-cause analyses' trace-id-range sample could no longer skip granules (a
// minute of 10M spans a day is under two granules): breakdown 0.97 -> 2.4 s,
// compare 1.3 -> 6.0 s in `npm run bench`, and the benchmark's searches are
// bound by its ingest burst either way.

const TABLES = ['spans', 'logs'] as const;

export async function up(client: ClickHouseClient): Promise<void> {
  await modifyKnownSettings(client, TABLES, {
    map_serialization_version: 'with_buckets',
    map_buckets_strategy: 'constant',
    max_buckets_in_map: 4,
    // Maps of fewer keys on average stay one bucket (the default threshold, 32, would leave every map so).
    map_buckets_min_avg_size: 4,
  });
}
