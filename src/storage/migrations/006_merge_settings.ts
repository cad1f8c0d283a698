import type { ClickHouseClient } from '@clickhouse/client';
import { modifyKnownSettings } from './table-settings.ts';

// Cheaper background merges for the two tables ingest writes most: spans and logs.
//
// Under load each insert is a part of a few thousand rows (the group commit holds
// what arrived during the previous insert: ~3,700 rows a part at 16 x 500 spans in
// flight), and MergeTree then rewrites every row once per merge level until the
// parts are large. With the default merge_selector_base of 5, a level merges about
// five parts of a size, so 30 s of ingest at 70K spans/s goes through ~3.7 levels;
// merges were the largest single item of the server's CPU (~35%, `npm run bench`).
// A base of 10 merges about ten parts at a time: ~2.6 levels for the same rows.
// Measured with bench/insert-cost-bench.ts (engine CPU of the inserts plus the
// merges they caused, 1.6M seed-shaped spans in 4,096-row inserts paced at 70K
// rows/s, two runs each, load average 12-16): base 5 25.7 / 25.7 µs a row, base 10
// 20.4 / 21.8, base 25 21.5 (no further gain, and twice the parts again).
// The price: about twice as many active parts while ingest runs (8-13 instead of
// 3-5 after those 1.6M rows); reads probe each part's primary index.
//
// A .ts migration rather than .sql: an older ClickHouse server (the --clickhouse
// route) may not have merge_selector_base (table-settings.ts).

const TABLES = ['spans', 'logs'] as const;

export async function up(client: ClickHouseClient): Promise<void> {
  await modifyKnownSettings(client, TABLES, { merge_selector_base: 10 });
}
