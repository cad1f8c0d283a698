import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LogqlError } from '../query/logql/logql-error.ts';
import { parseLokiRange, parseLokiTime, parseSecondsOrDuration, parseStep } from './loki-params.ts';

// Loki's parameter forms (pkg/loghttp/params.go): the same text means the same instant.

test('timestamps: nanoseconds, 10-digit seconds, float seconds, RFC 3339 with nanoseconds', () => {
  const ns = 1_700_000_000_123_456_789n;
  assert.equal(parseLokiTime('start', '1700000000123456789', 0n), ns);
  assert.equal(parseLokiTime('start', '1700000000', 0n), 1_700_000_000_000_000_000n);
  assert.equal(parseLokiTime('start', '1700000000.123456789', 0n), ns);
  assert.equal(parseLokiTime('start', '1700000000.5', 0n), 1_700_000_000_500_000_000n);
  assert.equal(parseLokiTime('start', '2023-11-14T22:13:20.123456789Z', 0n), ns);
  assert.equal(parseLokiTime('start', '2023-11-15T00:13:20+02:00', 0n), 1_700_000_000_000_000_000n);
  assert.equal(parseLokiTime('start', null, 42n), 42n);
  assert.throws(() => parseLokiTime('start', 'noon', 0n), (e: unknown) => e instanceof LogqlError && /invalid start/.test(e.message));
});

test('steps and ranges', () => {
  assert.equal(parseSecondsOrDuration('step', '15'), 15_000_000_000n);
  assert.equal(parseSecondsOrDuration('step', '0.5'), 500_000_000n);
  assert.equal(parseSecondsOrDuration('step', '1m30s'), 90_000_000_000n);
  const hour = { startNs: 0n, endNs: 3_600_000_000_000n };
  assert.equal(parseStep(null, hour), 14_000_000_000n); // 3600 s / 250, whole seconds
  assert.equal(parseStep(null, { startNs: 0n, endNs: 60_000_000_000n }), 1_000_000_000n);
  const range = parseLokiRange(new URLSearchParams({ since: '5m', end: '1700000000' }), 0n);
  assert.deepEqual(range, { startNs: 1_700_000_000_000_000_000n - 300_000_000_000n, endNs: 1_700_000_000_000_000_000n });
});
