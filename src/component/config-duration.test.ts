import assert from 'node:assert/strict';
import { test } from 'node:test';
import { durationMsSchema, parseGoDurationNs } from './config-duration.ts';

test('Go duration syntax, single and compound', () => {
  assert.equal(parseGoDurationNs('200ms'), 200_000_000n);
  assert.equal(parseGoDurationNs('5s'), 5_000_000_000n);
  assert.equal(parseGoDurationNs('1m30s'), 90_000_000_000n);
  assert.equal(parseGoDurationNs('1h15m30.5s'), 4_530_500_000_000n);
  assert.equal(parseGoDurationNs('1.5h'), 5_400_000_000_000n);
  assert.equal(parseGoDurationNs('.5s'), 500_000_000n);
  assert.equal(parseGoDurationNs('100us'), 100_000n);
  assert.equal(parseGoDurationNs('100µs'), 100_000n);
  assert.equal(parseGoDurationNs('0'), 0n);
  assert.equal(parseGoDurationNs('-1s'), -1_000_000_000n);
  assert.equal(parseGoDurationNs('+2m'), 120_000_000_000n);
});

test('not durations', () => {
  for (const text of ['', '5', '1d', 's', '.s', '1s2', 'fast', '1 s', '-', '1m 30s']) {
    assert.equal(parseGoDurationNs(text), undefined, text);
  }
});

test('the schema gives milliseconds and explains bad input', () => {
  assert.equal(durationMsSchema.parse('200ms'), 200);
  assert.equal(durationMsSchema.parse('1m30s'), 90_000);
  assert.equal(durationMsSchema.parse('1500us'), 1.5);
  assert.equal(durationMsSchema.parse(0), 0);
  const result = durationMsSchema.safeParse(5);
  assert.equal(result.success, false);
  assert.match(result.error!.issues[0]!.message, /expected a duration such as "200ms"/);
});
