import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BuiltQuery } from '../built-query.ts';

// Generated SQL kept as files a reviewer reads in a diff, as Jaeger's ClickHouse
// store does (internal/storage/v2/clickhouse/tracestore/driver_test.go,
// verifyQuerySnapshot, with snapshots/*.sql). A snapshot holds the statement and
// its bound values; `UPDATE_SNAPSHOTS=1` rewrites it, otherwise any difference
// (or a missing file) fails the test.

const SNAPSHOT_DIR = path.join(import.meta.dirname, '..', 'snapshots');

export function verifySqlSnapshot(name: string, built: BuiltQuery): void {
  const file = path.join(SNAPSHOT_DIR, `${name}.sql`);
  const params = Object.entries(built.params.values).map(([k, v]) => `-- ${k} = ${valueText(v)}`);
  const text = `${params.join('\n')}${params.length > 0 ? '\n' : ''}${normalize(built.sql)}\n`;
  if (process.env.UPDATE_SNAPSHOTS === '1') {
    writeFileSync(file, text);
    return;
  }
  assert.ok(existsSync(file), `no SQL snapshot ${path.relative(process.cwd(), file)}: run the test with UPDATE_SNAPSHOTS=1 and review the file`);
  assert.equal(text, readFileSync(file, 'utf8'), `SQL differs from ${name}.sql (UPDATE_SNAPSHOTS=1 rewrites it)`);
}

/** The statement as built, without trailing blanks (which editors strip from the .sql files). */
function normalize(sql: string): string {
  return sql
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l !== '')
    .join('\n');
}

function valueText(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
}
