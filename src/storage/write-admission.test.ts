import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AdmissionControl } from './write-admission.ts';

const options = { maxPendingRows: 100_000, maxPendingWriteMs: 1000, concurrency: 2, fullGroupRows: 16_384 };

test('a write is taken when nothing waits, however large', () => {
  const a = new AdmissionControl(options);
  assert.equal(a.refusal(1_000_000, 0), undefined);
});

test('refused when what waits would take longer than the budget at the measured rate', () => {
  const a = new AdmissionControl(options);
  a.inserted(10_000, 500); // 20 rows/ms on one connection
  a.admitted({ submittedAtMs: 0, rows: 10_000 });
  // 10K + 5K rows, under a full group: one connection, 750 ms.
  assert.equal(a.refusal(5_000, 10), undefined);
  // 10K + 15K rows: two connections, 625 ms.
  assert.equal(a.refusal(15_000, 10), undefined);
  a.admitted({ submittedAtMs: 0, rows: 40_000 });
  const refusal = a.refusal(5_000, 10);
  assert.ok(refusal !== undefined, '55K rows at 40 rows/ms is ~1.4 s');
  assert.match(refusal.message, /would take ~1375 ms to store \(limit 1000 ms\)/);
  assert.equal(refusal.retryAfterMs, 1375, 'come back when the backlog should be gone');
});

test('small inserts do not make the rate look low', () => {
  const a = new AdmissionControl(options);
  a.inserted(10, 15); // a lone write: mostly the fixed cost of an insert
  a.admitted({ submittedAtMs: 0, rows: 3_000 });
  assert.equal(a.refusal(3_000, 10), undefined);
});

test('refused when the oldest waiting write has waited longer than the budget, whatever the estimate', () => {
  const a = new AdmissionControl(options);
  const first = { submittedAtMs: 1_000, rows: 30_000 };
  a.admitted(first);
  a.admitted({ submittedAtMs: 1_500, rows: 30_000 });
  assert.equal(a.refusal(10, 1_900), undefined);
  assert.match(a.refusal(10, 2_100)?.message ?? '', /oldest write waiting has waited 1100 ms/);
  a.finished(first);
  assert.equal(a.refusal(10, 2_100), undefined, 'the next oldest has waited 600 ms');
});

test('what keeps both write connections on full groups, and one gathering, is always taken', () => {
  const a = new AdmissionControl(options);
  a.inserted(16_384, 1_500); // a starved machine: one full group takes longer than the budget
  a.admitted({ submittedAtMs: 0, rows: 30_000 });
  assert.equal(a.refusal(19_000, 5_000), undefined, '49K rows: 3 full groups');
  assert.ok(a.refusal(20_000, 5_000) !== undefined);
});

test('the row cap still holds', () => {
  const a = new AdmissionControl(options);
  a.admitted({ submittedAtMs: 0, rows: 90_000 });
  assert.match(a.refusal(20_000, 1)?.message ?? '', /90000 rows are waiting to be stored \(limit 100000\)/);
  a.settledRows(90_000);
  assert.equal(a.pendingRows, 0);
  assert.equal(a.refusal(20_000, 1), undefined);
});

test('health: failing from a storage failure until an insert succeeds', () => {
  const a = new AdmissionControl(options);
  assert.deepEqual(a.health(), { ok: true });
  const cause = new Error('NOT_ENOUGH_SPACE');
  a.insertFailed(cause);
  const failing = a.health();
  assert.equal(failing.ok, false);
  assert.equal(!failing.ok && failing.lastFailure, cause);
  a.insertSucceeded();
  assert.deepEqual(a.health(), { ok: true });
});
