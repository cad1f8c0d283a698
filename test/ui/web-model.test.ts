import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TraceTreeResponse, TreeSpan } from '../../src/api/types.ts';
import { buildRows, logsBySpanIndex, matchSpans, parentsOf, revealSpan } from '../../web/src/components/waterfall/waterfall-model.ts';
import { formatCondition, parseCondition, readSearch, searchToApi, writeSearch } from '../../web/src/features/traces/search-params.ts';
import { formatDurationNs, isDurationText } from '../../web/src/lib/durations.ts';
import { readTimeRange, resolveTimeRange, writeTimeRange } from '../../web/src/lib/time-range.ts';
import { unixNanoToMs } from '../../web/src/lib/times.ts';

// The UI's pure logic (row layout, URL state, formatting), tested without a browser.

function span(fields: Partial<TreeSpan> & Pick<TreeSpan, 'spanId' | 'parent' | 'depth' | 'childCount'>): TreeSpan {
  return { service: 0, name: 0, kind: 1, startNs: 0, durationNs: 1, selfNs: 1, status: 0, critical: false, orphan: false, eventsNs: [], hasException: false, logCount: 0, ...fields };
}

// root ─┬─ a ── a1
//       └─ b
const tree: TraceTreeResponse = {
  traceId: '0'.repeat(32),
  startUnixNano: '1000000000000000000',
  durationNs: 100,
  spanCount: 4,
  errorCount: 0,
  services: ['payment-api', 'db'],
  names: ['POST /payments', 'payment.charge', 'SELECT', 'payment.validate'],
  spans: [
    span({ spanId: 'r', parent: -1, depth: 0, childCount: 2, critical: true }),
    span({ spanId: 'a', parent: 0, depth: 1, childCount: 1, name: 1, critical: true }),
    span({ spanId: 'a1', parent: 1, depth: 2, childCount: 0, name: 2, service: 1, critical: true }),
    span({ spanId: 'b', parent: 0, depth: 1, childCount: 0, name: 3 }),
  ],
  criticalPath: [],
  stats: [],
  traceLogCount: 0,
};
const spansOf = (rows: ReturnType<typeof buildRows>) => rows.map((r) => (r.kind === 'span' ? r.span : `log${r.log}`));

test('collapsing a span hides its descendants only', () => {
  assert.deepEqual(spansOf(buildRows(tree, { collapsed: new Set(), criticalOnly: false })), [0, 1, 2, 3]);
  assert.deepEqual(spansOf(buildRows(tree, { collapsed: new Set([1]), criticalOnly: false })), [0, 1, 3]);
  assert.deepEqual(spansOf(buildRows(tree, { collapsed: new Set([0]), criticalOnly: false })), [0]);
  assert.deepEqual([...parentsOf(tree)], [0, 1]);
  assert.deepEqual([...revealSpan(tree, new Set([0, 1]), 2)], []);
});

test('critical path only keeps the critical spans; logs follow their span', () => {
  assert.deepEqual(spansOf(buildRows(tree, { collapsed: new Set(), criticalOnly: true })), [0, 1, 2]);
  const logsBySpan = logsBySpanIndex(tree, { a1: [0, 1], unknown: [2] });
  assert.deepEqual([...logsBySpan.entries()], [[2, [0, 1]]]);
  assert.deepEqual(spansOf(buildRows(tree, { collapsed: new Set(), criticalOnly: false, logsBySpan })), [0, 1, 2, 'log0', 'log1', 3]);
});

test('search matches names, services and span id prefixes, case-insensitively', () => {
  assert.equal(matchSpans(tree, '  '), undefined);
  assert.deepEqual([...matchSpans(tree, 'PAYMENT.')!], [0, 1, 0, 1]);
  assert.deepEqual([...matchSpans(tree, 'db')!], [0, 0, 1, 0]);
  assert.deepEqual([...matchSpans(tree, 'a1')!], [0, 0, 1, 0]);
});

test('trace search conditions round-trip through the URL as the API spells them', () => {
  assert.deepEqual(parseCondition('payment.currency=EUR'), { key: 'payment.currency', operator: '=', value: 'EUR' });
  assert.deepEqual(parseCondition('payment.amount>100'), { key: 'payment.amount', operator: '>', value: '100' });
  assert.deepEqual(parseCondition('http.route!=/health'), { key: 'http.route', operator: '!=', value: '/health' });
  assert.deepEqual(parseCondition('note=a=b'), { key: 'note', operator: '=', value: 'a=b' });
  assert.equal(formatCondition({ key: ' k ', operator: '<', value: '5' }), 'k<5');
  const params = writeSearch(new URLSearchParams('range=6h&sort=-duration'), {
    service: 'payment-api', spanName: '', minDuration: '100ms', maxDuration: '', status: 'error',
    conditions: [{ key: 'payment.currency', operator: '=', value: 'EUR' }, { key: '', operator: '=', value: 'ignored' }], limit: '',
  });
  assert.equal(params.toString(), 'range=6h&sort=-duration&service=payment-api&minDuration=100ms&status=error&attr=payment.currency%3DEUR');
  const search = readSearch(params);
  assert.deepEqual(searchToApi(search), { service: 'payment-api', minDuration: '100ms', status: 'error', attr: ['payment.currency=EUR'], limit: '100' });
});

test('time ranges: relative by default, absolute from/to when both are valid', () => {
  assert.deepEqual(readTimeRange(new URLSearchParams('')), { kind: 'relative', value: '1h', ms: 3_600_000 });
  assert.deepEqual(readTimeRange(new URLSearchParams('range=7d')).kind, 'relative');
  assert.deepEqual(readTimeRange(new URLSearchParams('range=bogus')), { kind: 'relative', value: '1h', ms: 3_600_000 });
  assert.deepEqual(readTimeRange(new URLSearchParams('from=2000&to=1000')).kind, 'relative', 'from after to is ignored');
  const absolute = readTimeRange(new URLSearchParams('from=1000&to=2000.5'));
  assert.deepEqual(resolveTimeRange(absolute), { startMs: 1000, endMs: 2000.5 });
  assert.deepEqual(resolveTimeRange(readTimeRange(new URLSearchParams('range=15m')), 1_000_000), { startMs: 100_000, endMs: 1_000_000 });
  assert.equal(writeTimeRange(new URLSearchParams('q=x&range=6h'), { kind: 'absolute', fromMs: 1.2, toMs: 3.4 }).toString(), 'q=x&from=1&to=4');
  assert.equal(writeTimeRange(new URLSearchParams('from=1&to=2'), { kind: 'relative', value: '1h', ms: 3_600_000 }).toString(), '');
});

test('durations and nanosecond instants format without losing precision', () => {
  assert.equal(formatDurationNs(0), '0 ns');
  assert.equal(formatDurationNs(21_200), '21.2 µs');
  assert.equal(formatDurationNs(410_000_000), '410 ms');
  assert.equal(formatDurationNs(1_234_000_000), '1.23 s');
  assert.equal(formatDurationNs(125e9), '2m 05s');
  assert.equal(formatDurationNs(3 * 3600e9 + 60e9), '3h 01m');
  assert.ok(isDurationText('250ms') && isDurationText('1.5s') && !isDurationText('250') && !isDurationText('fast'));
  // Past 2^53 a float of the nanosecond value is already rounded; the bigint division is exact.
  assert.equal(unixNanoToMs('1779184800123456789'), 1779184800123);
});
