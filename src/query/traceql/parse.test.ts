import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseTraceql } from './parse.ts';
import { parseDurationNs } from './static.ts';
import { TraceqlError } from './traceql-error.ts';

test('durations are Go durations', () => {
  assert.equal(parseDurationNs('300ms'), 300_000_000n);
  assert.equal(parseDurationNs('1.5s'), 1_500_000_000n);
  assert.equal(parseDurationNs('1h30m'), 5_400_000_000_000n);
  assert.equal(parseDurationNs('10us'), 10_000n);
  assert.equal(parseDurationNs('10µs'), 10_000n);
  assert.equal(parseDurationNs('7ns'), 7n);
  assert.equal(parseDurationNs('5'), undefined);
  assert.equal(parseDurationNs('5 ms'), undefined);
});

test('a filter, its operators and literal types', () => {
  const q = parseTraceql('{ span.payment.currency = "EUR" && (duration > 300ms || .retries >= 2) && status != error && kind = server && resource.ok = true && .f < 1.5 }');
  assert.equal(q.spanset.kind, 'filter');
  const text = JSON.stringify(q, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
  for (const part of ['"scope":"span","key":"payment.currency"', '"ns":"300000000n"', '"op":">="', '"type":"status","value":"error"', '"type":"kind","value":"server"', '"type":"bool","value":true', '"type":"float","value":1.5', '"scope":"any","key":"retries"']) {
    assert.ok(text.includes(part), part);
  }
});

test('spanset operators, pipelines and metrics', () => {
  const q = parseTraceql('({ name = "a" } >> { name = "b" }) && { name = "c" } ~ { name = "d" } | count() > 2 | select(span.x, name)');
  assert.equal(q.spanset.kind, 'scalar');
  assert.deepEqual(q.select, [{ kind: 'attribute', scope: 'span', key: 'x' }, { kind: 'intrinsic', name: 'name' }]);
  const m = parseTraceql('{ } | quantile_over_time(duration, 0.5, 0.9) by (resource.service.name, name)');
  assert.deepEqual(m.metrics, { fn: 'quantile_over_time', quantiles: [0.5, 0.9], by: [{ kind: 'attribute', scope: 'resource', key: 'service.name' }, { kind: 'intrinsic', name: 'name' }] });
  assert.equal(parseTraceql('{} | rate()').metrics?.fn, 'rate');
});

test('what is not evaluated is refused by name', () => {
  const refused: [string, RegExp][] = [
    ['', /empty/],
    ['{ name = ', /syntax error/],
    ['{ link.x = 1 }', /link\. scope/],
    ['{ parent.x = 1 }', /parent\. scope/],
    ['{ name = "a" } | by(name)', /by\(\)/],
    ['{ } | quantile_over_time(span.x, 0.5)', /quantile_over_time of anything but duration/],
    ['({} | rate()) && {}', /metrics function inside a spanset operand|unsupported|syntax/],
  ];
  for (const [q, message] of refused) assert.throws(() => parseTraceql(q), (e: unknown) => e instanceof TraceqlError && message.test(e.message), q);
});
