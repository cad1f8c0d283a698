import { readdir, readFile } from 'node:fs/promises';
import type { ClickHouseClient } from '@clickhouse/client';

// Numbered schema migrations (migrations/NNN_name.sql or NNN_name.ts), applied in
// order at start-up and recorded in `schema_migrations`, so opening a data
// directory again (a restart, or a second store on it) applies nothing new. Each
// migration is itself idempotent (IF NOT EXISTS statements; a .ts migration checks
// what is in place before each step): a crash between its last step and the
// version row only re-runs steps that are already done.
// A .ts migration is for what SQL alone cannot say idempotently, such as copying
// a table into a new sort key (005_spans_logs_by_trace.ts); it exports
// `up(client)`.

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);
const FILE_NAME = /^(\d{3})_[a-z0-9_]+\.(sql|ts)$/;

export interface Migration {
  version: number;
  name: string;
  up(client: ClickHouseClient): Promise<void>;
}

/** The migration files, by version. */
export async function loadMigrations(): Promise<Migration[]> {
  const files = (await readdir(MIGRATIONS_DIR)).filter((f) => FILE_NAME.test(f)).sort();
  const out: Migration[] = [];
  for (const name of files) {
    const version = Number(FILE_NAME.exec(name)![1]);
    const url = new URL(name, MIGRATIONS_DIR);
    if (name.endsWith('.ts')) {
      const module = (await import(url.href)) as { up: Migration['up'] };
      out.push({ version, name, up: module.up });
    } else {
      const statements = splitStatements(await readFile(url, 'utf8'));
      out.push({
        version,
        name,
        async up(client) {
          for (const statement of statements) await client.command({ query: statement });
        },
      });
    }
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

/**
 * Applies what is missing; resolves to the versions applied now (empty when up to
 * date). `throughVersion` stops early: tests build a data directory as an older
 * release left it.
 */
export async function migrate(client: ClickHouseClient, throughVersion = Infinity): Promise<number[]> {
  await client.command({
    query: `CREATE TABLE IF NOT EXISTS schema_migrations
      (version UInt32, name String, applied_at DateTime DEFAULT now())
      ENGINE = MergeTree ORDER BY version`,
  });
  const rs = await client.query({ query: 'SELECT DISTINCT version FROM schema_migrations', format: 'JSONEachRow' });
  const done = new Set((await rs.json<{ version: number }>()).map((r) => Number(r.version)));
  const applied: number[] = [];
  for (const m of await loadMigrations()) {
    if (done.has(m.version) || m.version > throughVersion) continue;
    await m.up(client);
    await client.insert({ table: 'schema_migrations', values: [{ version: m.version, name: m.name }], format: 'JSONEachRow' });
    applied.push(m.version);
  }
  return applied;
}
