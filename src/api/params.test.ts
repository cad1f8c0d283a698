import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ParameterError } from './errors.ts';
import { parseAttributeFilter, parseLimit, parseSeverity, parseTime, parseTimeRange, parseTraceId } from './params.ts';

test('times: RFC 3339 keeps sub-millisecond digits, plain numbers are Unix milliseconds', () => {
  assert.equal(parseTime('start', '2026-05-19T10:00:00.123456789Z'), 1779184800123456789n);
  assert.equal(parseTime('start', '2026-05-19T12:00:00+02:00'), 1779184800000000000n);
  assert.equal(parseTime('end', '1779184800123'), 1779184800123000000n);
  assert.throws(() => parseTime('start', 'yesterday'), (e: ParameterError) => e.parameter === 'start');
  // Date.parse alone would read this as 2026-03-02.
  assert.throws(() => parseTime('start', '2026-02-30T00:00:00Z'), ParameterError);
});

test('the time range defaults to the last hour and must be ordered', () => {
  const now = 10_000_000_000_000n;
  assert.deepEqual(parseTimeRange(() => undefined, now), { startNs: now - 3_600_000_000_000n, endNs: now });
  assert.throws(() => parseTimeRange((n) => (n === 'start' ? '2000' : '1000'), now), ParameterError);
});

test('attribute filters: =, !=, >, < with dotted keys and values holding operators', () => {
  assert.deepEqual(parseAttributeFilter('payment.currency=EUR'), { key: 'payment.currency', op: '=', value: 'EUR' });
  assert.deepEqual(parseAttributeFilter('payment.currency!=EUR'), { key: 'payment.currency', op: '!=', value: 'EUR' });
  assert.deepEqual(parseAttributeFilter('payment.amount>100'), { key: 'payment.amount', op: '>', value: '100' });
  assert.deepEqual(parseAttributeFilter('payment.amount<0.5'), { key: 'payment.amount', op: '<', value: '0.5' });
  assert.deepEqual(parseAttributeFilter('url.query=a=b'), { key: 'url.query', op: '=', value: 'a=b' });
  assert.throws(() => parseAttributeFilter('payment.amount>lots'), /needs a number/);
  assert.throws(() => parseAttributeFilter('=EUR'), ParameterError);
  assert.throws(() => parseAttributeFilter('no-operator'), ParameterError);
});

test('ids, limits and severities', () => {
  assert.equal(parseTraceId('traceId', '0AF7651916CD43DD8448EB211C80319C'), '0af7651916cd43dd8448eb211c80319c');
  assert.throws(() => parseTraceId('traceId', 'abc'), ParameterError);
  assert.equal(parseLimit(undefined, 20, 1000), 20);
  assert.throws(() => parseLimit('0', 20, 1000), ParameterError);
  assert.throws(() => parseLimit('5000', 20, 1000), ParameterError);
  assert.equal(parseSeverity('minSeverity', 'warn'), 13);
  assert.equal(parseSeverity('minSeverity', '17'), 17);
  assert.throws(() => parseSeverity('minSeverity', '99'), ParameterError);
});
