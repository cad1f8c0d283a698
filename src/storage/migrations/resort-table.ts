import type { ClickHouseClient } from '@clickhouse/client';

// Changing a table's sort key (migrations 005 and 010). ClickHouse cannot change
// a sort key in place, so the table is copied into a new one and swapped with
// EXCHANGE TABLES (atomic). Idempotent step by step: a table already sorted the
// new way is left alone, a copy a crash left half-done is dropped and made again.
// The copy takes the same columns, codecs and skip indexes but not the table
// settings (its own SETTINGS clause) nor the TTL (retention.ts sets it at every
// start-up).

export interface Resort {
  table: string;
  /** The new ORDER BY, as system.tables prints it (compared to tell a table already done). */
  key: string;
  /** Names the copy: `${table}_${suffix}`. */
  suffix: string;
  settings: string;
  /** Skip indexes the copy drops. */
  dropIndexes?: readonly string[];
}

export async function resortTable(client: ClickHouseClient, r: Resort): Promise<void> {
  const copy = `${r.table}_${r.suffix}`;
  if ((await sortingKey(client, r.table)) !== r.key) {
    await client.command({ query: `DROP TABLE IF EXISTS ${copy}` });
    await client.command({
      query: `CREATE TABLE ${copy} AS ${r.table} ENGINE = MergeTree PARTITION BY toDate(Timestamp) ORDER BY (${r.key})
        SETTINGS ${r.settings}`,
    });
    for (const index of r.dropIndexes ?? []) await client.command({ query: `ALTER TABLE ${copy} DROP INDEX IF EXISTS ${index}` });
    // Column by column by name: the two tables list the same columns.
    const columns = (await columnNames(client, r.table)).join(', ');
    await client.command({ query: `INSERT INTO ${copy} (${columns}) SELECT ${columns} FROM ${r.table}` });
    await client.command({ query: `EXCHANGE TABLES ${r.table} AND ${copy}` });
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
