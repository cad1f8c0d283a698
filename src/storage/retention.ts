import type { ClickHouseClient } from '@clickhouse/client';
import { ident, intLiteral, QueryParams } from './sql.ts';

// Retention is configuration, not schema: it is set as each table's TTL at every
// start-up, and altered only when the configured value differs from what the table
// has (so a restart with the same setting changes nothing, and a new setting takes
// effect without a migration). ClickHouse then rewrites existing parts in the
// background (materialize_ttl_after_modify), so shortening retention frees disk
// without blocking start-up.

/** Each table, the time its rows expire from, and hours kept beyond the retention. */
const TTL_COLUMNS = [
  { table: 'spans', column: 'Timestamp', extraHours: 0 },
  { table: 'logs', column: 'Timestamp', extraHours: 0 },
  { table: 'metric_points', column: 'Timestamp', extraHours: 0 },
  // A day more than the rows that refer to it: LastSeen moves only hourly, and
  // a span may be stamped a little ahead of the time it arrived.
  { table: 'resource_scopes', column: 'LastSeen', extraHours: 24 },
  // The same margin for a metric series' attributes (011_metric_series.sql).
  { table: 'metric_series', column: 'LastSeen', extraHours: 24 },
  // An hour more than the points of its minute (012_metric_catalog.sql).
  { table: 'metric_catalog', column: 'Minute', extraHours: 1 },
] as const;

/** The TTL expression for a retention; whole hours read as such in SHOW CREATE TABLE. */
export function ttlExpression(column: string, retentionHours: number): string {
  const interval = Number.isInteger(retentionHours)
    ? `toIntervalHour(${intLiteral(retentionHours)})`
    : `toIntervalSecond(${intLiteral(Math.max(1, Math.round(retentionHours * 3600)))})`;
  // `column` is one of the constants above, written bare to match SHOW CREATE TABLE.
  return `toDateTime(${column}) + ${interval}`;
}

/** Sets the TTL where it differs; resolves to the tables altered. */
export async function applyRetention(client: ClickHouseClient, retentionHours: number): Promise<string[]> {
  if (!(retentionHours > 0) || !Number.isFinite(retentionHours)) {
    throw new Error(`retentionHours must be a positive number, got ${retentionHours}`);
  }
  const params = new QueryParams();
  const rs = await client.query({
    query: `SELECT name, create_table_query FROM system.tables
      WHERE database = currentDatabase() AND name IN ${params.bind('Array(String)', TTL_COLUMNS.map((t) => t.table))}`,
    query_params: params.values,
    format: 'JSONEachRow',
  });
  const current = new Map((await rs.json<{ name: string; create_table_query: string }>()).map((r) => [r.name, r.create_table_query]));
  const altered: string[] = [];
  for (const { table, column, extraHours } of TTL_COLUMNS) {
    const create = current.get(table);
    // Absent only in a schema migrated part of the way (StoreTuning.migrateThrough, in tests).
    if (create === undefined) continue;
    const ttl = ttlExpression(column, retentionHours + extraHours);
    if (create.includes(`TTL ${ttl}`)) continue;
    await client.command({ query: `ALTER TABLE ${ident(table)} MODIFY TTL ${ttl}` });
    altered.push(table);
  }
  return altered;
}
