import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StorageRefusedDataError, StorageUnavailableError } from '../consumer/errors.ts';
import type { InsertFailure, InsertAttempt } from './insert-isolation.ts';
import { isolateFailures } from './insert-isolation.ts';

// The evidence rules of bisection, with an engine simulated by a predicate: which
// entries are bad, and what code it answers. The real engine's side is tested in
// group-commit.test.ts.

function engine(bad: (e: number) => boolean, kind: InsertFailure['kind']) {
  let inserts = 0;
  const attempt: InsertAttempt<number> = async (entries) => {
    inserts++;
    return entries.some(bad) ? { kind, cause: new Error(`Code: 1. bad ${entries.join(',')}`) } : undefined;
  };
  return { attempt, inserts: () => inserts };
}

const entries = Array.from({ length: 16 }, (_, i) => i);
const kinds = (errors: Map<number, Error>) =>
  Object.fromEntries([...errors].map(([e, error]) => [e, error instanceof StorageRefusedDataError ? 'refused' : error instanceof StorageUnavailableError ? 'retry' : '?']));

test('a data code: the bad entries are found and refused, the rest stored', async () => {
  const e = engine((n) => n === 3 || n === 12, 'data');
  const errors = await isolateFailures(e.attempt, entries, { kind: 'data', cause: new Error('first') });
  assert.deepEqual(kinds(errors), { 3: 'refused', 12: 'refused' });
  assert.ok(e.inserts() <= 4 * Math.log2(16), `${e.inserts()} inserts`);
});

test('an unknown code: refused only where a stored sibling proves the data is to blame', async () => {
  const e = engine((n) => n === 5, 'unknown');
  assert.deepEqual(kinds(await isolateFailures(e.attempt, entries, { kind: 'unknown', cause: new Error('x') })), { 5: 'refused' });
});

test('an unknown code where every half fails: nothing shows it is the data, everyone retries', async () => {
  const e = engine(() => true, 'unknown');
  const errors = await isolateFailures(e.attempt, entries, { kind: 'unknown', cause: new Error('x') });
  assert.equal(errors.size, 16);
  assert.ok([...errors.values()].every((error) => error instanceof StorageUnavailableError));
  assert.equal(e.inserts(), 2, 'one split, then it stops');
});

test('a storage failure is not bisected', async () => {
  const e = engine(() => true, 'storage');
  const errors = await isolateFailures(e.attempt, entries, { kind: 'storage', cause: new Error('NOT_ENOUGH_SPACE') });
  assert.equal(e.inserts(), 0);
  assert.ok([...errors.values()].every((error) => error instanceof StorageUnavailableError));
});

test('the search is bounded: with every entry bad, the ones not reached retry', async () => {
  const many = Array.from({ length: 256 }, (_, i) => i);
  const e = engine(() => true, 'data');
  const errors = await isolateFailures(e.attempt, many, { kind: 'data', cause: new Error('x') });
  assert.equal(errors.size, 256);
  assert.ok(e.inserts() <= 48, `${e.inserts()} inserts`);
  const k = Object.values(kinds(errors));
  assert.ok(k.includes('refused') && k.includes('retry'));
});
