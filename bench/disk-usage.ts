import { openConnections } from '../src/storage/connection.ts';

// `node --import tsx bench/disk-usage.ts <data dir>`: merges every MergeTree table
// of a stopped Tracehouse's data directory (OPTIMIZE ... FINAL, as ClickHouse's
// background merges eventually would) and prints bytes on disk and rows per table
// from system.parts, as one JSON line. Its own process: chDB holds the directory
// for the life of the process, and the bench restarts the server on it afterwards.

const dataDir = process.argv[2];
if (dataDir === undefined) throw new Error('usage: disk-usage.ts <data dir>');
const connections = await openConnections({ dataDir, maxQuerySeconds: 3600, insertConnections: 1 });
try {
  const client = connections.write;
  const started = performance.now();
  const tables = await (
    await client.query({ query: "SELECT name FROM system.tables WHERE database = currentDatabase() AND engine LIKE '%MergeTree'", format: 'JSONEachRow' })
  ).json<{ name: string }>();
  for (const t of tables) await client.command({ query: `OPTIMIZE TABLE \`${t.name.replaceAll('`', '``')}\` FINAL` });
  const parts = await (
    await client.query({
      query: 'SELECT table, sum(bytes_on_disk) AS bytes, sum(rows) AS rows, count() AS parts FROM system.parts ' +
        'WHERE database = currentDatabase() AND active GROUP BY table ORDER BY table',
      format: 'JSONEachRow',
    })
  ).json<{ table: string; bytes: string; rows: string; parts: string }>();
  process.stdout.write(JSON.stringify({
    optimizeS: (performance.now() - started) / 1000,
    tables: parts.map((p) => ({ table: p.table, bytes: Number(p.bytes), rows: Number(p.rows), parts: Number(p.parts) })),
  }) + '\n');
} finally {
  await connections.close();
}
