import assert from 'node:assert/strict';
import { test } from 'node:test';
import { looksLikeIdOrTime } from './high-cardinality.ts';
import { significance, twoProportionZ, twoSidedP } from './significance.ts';

test('two-sided p of z matches the normal distribution', () => {
  assert.ok(Math.abs(twoSidedP(1.959964) - 0.05) < 1e-6);
  assert.ok(Math.abs(twoSidedP(-2.575829) - 0.01) < 1e-6);
  assert.ok(Math.abs(twoSidedP(0) - 1) < 1e-6);
});

test('two-proportion z: pooled, signed, 0 without variance', () => {
  // 30/100 vs 10/100: pooled 0.2, se = sqrt(0.2*0.8*0.02) = 0.0566
  assert.ok(Math.abs(twoProportionZ(30, 100, 10, 100) - 3.5355) < 1e-3);
  assert.ok(twoProportionZ(10, 100, 30, 100) < 0);
  assert.equal(twoProportionZ(100, 100, 50, 50), 0);
  assert.equal(twoProportionZ(0, 0, 5, 10), 0);
});

test('significant: over-represented, past the Bonferroni level, and the minimum count met', () => {
  assert.equal(significance(15, 30, 0, 570, 20).significant, true);
  // The same proportions with 4 traces in the selection: below the minimum count.
  assert.equal(significance(4, 8, 0, 570, 20).significant, false);
  // Under-represented is never a cause.
  assert.equal(significance(0, 30, 300, 570, 20).significant, false);
  // z ~ 3 passes one test at 0.01, not 100.
  assert.equal(significance(12, 40, 60, 560, 1).significant, true);
  assert.equal(significance(12, 40, 60, 560, 100).significant, false);
});

test('numbers named as ids or times are recognised', () => {
  for (const key of ['request.start_time', 'user.id', 'thread.id', 'event_timestamp', 'order_id', 'process.pid_ts']) assert.ok(looksLikeIdOrTime(key), key);
  for (const key of ['payment.amount', 'http.response.status_code', 'fraud.score', 'payment.items']) assert.ok(!looksLikeIdOrTime(key), key);
});
