import { test } from 'node:test';
import { redSpansSql } from './red-spans-sql.ts';
import { verifySqlSnapshot } from './testdata/sql-snapshot.ts';

test('RED per route from server spans', () => {
  verifySqlSnapshot('red-spans-by-route', redSpansSql({ service: 'checkout', startMs: 1_700_000_000_000, endMs: 1_700_003_600_000, stepMs: 60_000 }));
});
