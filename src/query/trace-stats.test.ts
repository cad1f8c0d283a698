import assert from 'node:assert/strict';
import { test } from 'node:test';
import { traceStats } from './trace-stats.ts';

test('groups by service and operation with count, total, min, max, self time and shares', () => {
  const rows = traceStats(
    [
      { service: 'api', name: 'POST /payments', durationNs: 100, selfNs: 20, isError: false },
      { service: 'api', name: 'SELECT', durationNs: 10, selfNs: 10, isError: false },
      { service: 'api', name: 'SELECT', durationNs: 30, selfNs: 30, isError: true },
      { service: 'bank', name: 'SELECT', durationNs: 40, selfNs: 40, isError: false },
    ],
    100,
  );
  assert.deepEqual(rows, [
    { service: 'api', operation: 'SELECT', count: 2, errorCount: 1, totalNs: 40, minNs: 10, maxNs: 30, selfNs: 40, selfShare: 0.4, totalShare: 0.4 },
    { service: 'bank', operation: 'SELECT', count: 1, errorCount: 0, totalNs: 40, minNs: 40, maxNs: 40, selfNs: 40, selfShare: 0.4, totalShare: 0.4 },
    { service: 'api', operation: 'POST /payments', count: 1, errorCount: 0, totalNs: 100, minNs: 100, maxNs: 100, selfNs: 20, selfShare: 0.2, totalShare: 1 },
  ]);
});

test('a zero-length trace has zero shares, not NaN', () => {
  const [row] = traceStats([{ service: 'a', name: 'x', durationNs: 0, selfNs: 0, isError: false }], 0);
  assert.equal(row!.selfShare, 0);
  assert.equal(row!.totalShare, 0);
});
