import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newestFirstWindows } from './search-windows.ts';

const M = 60_000_000_000n;
const minutes = (start: bigint, end: bigint) => [...newestFirstWindows(start, end)].map((w) => [Number((end - w.startNs) / M), Number((end - w.endNs) / M)]);

test('windows go back 1, 4, 16, 64, 256 and 1,024 minutes, then the rest, without overlap or gap', () => {
  const end = 100_000n * M;
  assert.deepStrictEqual(minutes(end - 24n * 60n * M, end), [[1, 0], [4, 1], [16, 4], [64, 16], [256, 64], [1024, 256], [1440, 1024]]);
});

test('a short range ends at its start', () => {
  const end = 100_000n * M;
  assert.deepStrictEqual(minutes(end - 10n * M, end), [[1, 0], [4, 1], [10, 4]]);
  assert.deepStrictEqual(minutes(end - M, end), [[1, 0]]);
  assert.deepStrictEqual(minutes(end, end), []);
});
