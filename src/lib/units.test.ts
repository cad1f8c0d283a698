import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseBytes, parseDurationNs } from './units.ts';

test('durations keep nanosecond precision', () => {
  assert.equal(parseDurationNs('250ms'), 250_000_000n);
  assert.equal(parseDurationNs('1.5s'), 1_500_000_000n);
  assert.equal(parseDurationNs('1.000000001s'), 1_000_000_001n);
  assert.equal(parseDurationNs('7d'), 604_800_000_000_000n);
  assert.equal(parseDurationNs('100us'), 100_000n);
  assert.equal(parseDurationNs('250'), undefined);
  assert.equal(parseDurationNs('fast'), undefined);
  assert.equal(parseDurationNs('-1s'), undefined);
});

test('sizes take SI and binary units', () => {
  assert.equal(parseBytes('20MiB'), 20 * 1024 * 1024);
  assert.equal(parseBytes('1kb'), 1000);
  assert.equal(parseBytes('4096'), 4096);
  assert.equal(parseBytes('lots'), undefined);
});
