import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseTraceql } from '../query/traceql/parse.ts';
import { TraceqlError } from '../query/traceql/traceql-error.ts';
import { verifySqlSnapshot } from './testdata/sql-snapshot.ts';
import { traceqlMetricsSql } from './traceql-metrics-sql.ts';
import { traceqlSearchSql } from './traceql-search-sql.ts';

// The SQL each TraceQL shape becomes (snapshots/traceql-*.sql); what it answers
// is tested against stored spans in test/tempo/corpus.test.ts.

const range = { startNs: 1_700_000_000_000_000_000n, endNs: 1_700_003_600_000_000_000n };
const search = (q: string, extra: { minTraceDurationNs?: bigint } = {}) => {
  const parsed = parseTraceql(q);
  return traceqlSearchSql({ spanset: parsed.spanset, fields: parsed.select, ...range, ...extra, limit: 20, spansPerSpanset: 3 });
};

test('TraceQL search: attribute, intrinsic and resource comparisons in one filter', () => {
  verifySqlSnapshot('traceql-search-filter', search('{ span.payment.currency = "EUR" && duration > 300ms && resource.service.name =~ "pay.*" }', { minTraceDurationNs: 1_000_000n }));
});

test('TraceQL search: trace-level intrinsics, unscoped attribute, select()', () => {
  verifySqlSnapshot('traceql-search-trace-level', search('{ rootServiceName = "frontend" && traceDuration > 1s && .http.route != nil } | select(resource.service.version)'));
});

test('TraceQL search: structural operators, spanset && ||, and an aggregate', () => {
  verifySqlSnapshot('traceql-search-structural', search('({ name = "GET /checkout" } >> { status = error } || { kind = server } ~ { kind = client }) && { .a = 1 } | count() > 2'));
});

test('TraceQL metrics: quantile_over_time by a resource attribute', () => {
  const parsed = parseTraceql('{ name = "payment.charge" } | quantile_over_time(duration, 0.5, 0.99) by (resource.service.name)');
  verifySqlSnapshot('traceql-metrics-quantile', traceqlMetricsSql({ spanset: parsed.spanset, metrics: parsed.metrics!, ...range, stepNs: 60_000_000_000n }));
});

test('TraceQL values are bound, never spliced', () => {
  const built = search('{ span.x = "\'); DROP TABLE spans; --" }');
  assert.ok(!built.sql.includes('DROP TABLE'));
  assert.ok(Object.values(built.params.values).includes("'); DROP TABLE spans; --"));
});

test('a type mismatch is a TraceqlError naming the comparison', () => {
  assert.throws(() => search('{ status = "error" }'), (e: unknown) => e instanceof TraceqlError && /status = a string value/.test(e.message));
  assert.throws(() => search('{ span.x =~ "a(?=b)" }'), (e: unknown) => e instanceof TraceqlError && /invalid regular expression/.test(e.message));
});
