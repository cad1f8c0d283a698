import type { ClickHouseClient } from '@clickhouse/client';

// MergeTree settings a migration sets only where the engine knows them: MODIFY
// SETTING of an unknown name fails, and an older ClickHouse server (the
// --clickhouse route) may lack a newer setting; it then keeps its default.

export async function modifyKnownSettings(
  client: ClickHouseClient,
  tables: readonly string[],
  settings: Readonly<Record<string, string | number>>,
): Promise<void> {
  const rs = await client.query({
    query: 'SELECT name FROM system.merge_tree_settings WHERE name IN {names:Array(String)}',
    query_params: { names: Object.keys(settings) },
    format: 'JSONEachRow',
  });
  const known = new Set((await rs.json<{ name: string }>()).map((r) => r.name));
  const assignments = Object.entries(settings)
    .filter(([name]) => known.has(name))
    .map(([name, value]) => `${name} = ${typeof value === 'number' ? value : `'${value}'`}`);
  if (assignments.length === 0) return;
  for (const table of tables) await client.command({ query: `ALTER TABLE ${table} MODIFY SETTING ${assignments.join(', ')}` });
}
