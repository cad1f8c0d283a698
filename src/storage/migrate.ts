import { readdir, readFile } from 'node:fs/promises';
import type { ClickHouseClient } from '@clickhouse/client';

// Numbered schema migrations (migrations/NNN_name.sql), applied in order at
// start-up and recorded in `schema_migrations`, so opening a data directory again
// (a restart, or a second store on it) applies nothing new. Every statement in the
// files is itself idempotent (IF NOT EXISTS): a crash between a statement and the
// version row only re-runs statements that are already in place.

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);
const FILE_NAME = /^(\d{3})_[a-z0-9_]+\.sql$/;

export interface Migration {
  version: number;
  name: string;
  statements: string[];
}

/** The migration files, by version. */
export async function loadMigrations(): Promise<Migration[]> {
  const files = (await readdir(MIGRATIONS_DIR)).filter((f) => FILE_NAME.test(f)).sort();
  const out: Migration[] = [];
  for (const name of files) {
    const text = await readFile(new URL(name, MIGRATIONS_DIR), 'utf8');
    out.push({ version: Number(FILE_NAME.exec(name)![1]), name, statements: splitStatements(text) });
  }
  return out;
}

/**
 * Statements of one file. The HTTP interface takes one statement a request, so
 * files are split on `;` at the end of a line, after dropping whole-line `--`
 * comments (which may contain `;`).
 */
export function splitStatements(text: string): string[] {
  const code = text
    .split('\n')
    .filter((line) => !/^\s*--/.test(line))
    .join('\n');
  return code
    .split(/;[ \t]*(?:\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Applies what is missing; resolves to the versions applied now (empty when up to date). */
export async function migrate(client: ClickHouseClient): Promise<number[]> {
  await client.command({
    query: `CREATE TABLE IF NOT EXISTS schema_migrations
      (version UInt32, name String, applied_at DateTime DEFAULT now())
      ENGINE = MergeTree ORDER BY version`,
  });
  const rs = await client.query({ query: 'SELECT DISTINCT version FROM schema_migrations', format: 'JSONEachRow' });
  const done = new Set((await rs.json<{ version: number }>()).map((r) => Number(r.version)));
  const applied: number[] = [];
  for (const m of await loadMigrations()) {
    if (done.has(m.version)) continue;
    for (const statement of m.statements) await client.command({ query: statement });
    await client.insert({ table: 'schema_migrations', values: [{ version: m.version, name: m.name }], format: 'JSONEachRow' });
    applied.push(m.version);
  }
  return applied;
}
