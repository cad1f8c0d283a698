import { test } from 'node:test';
import { anchorCountSql } from './analysis-anchor-sql.ts';
import { breakdownSql } from './analysis-breakdown-sql.ts';
import { compareNumbersSql, compareValuesSql } from './analysis-compare-sql.ts';
import { verifySqlSnapshot } from './testdata/sql-snapshot.ts';

const range = { startNs: 1_700_000_000_000_000_000n, endNs: 1_700_003_600_000_000_000n };
const roots = { ...range, service: 'payment-api', attributes: [] };
const named = {
  ...range,
  service: 'payment-api',
  spanName: 'payment.charge',
  attributes: [{ key: 'payment.provider', op: '=' as const, value: 'stripe' }],
  minDurationNs: 5_000_000n,
  samplePerMillion: 250_000,
  traceAttributes: [{ key: 'payment.currency', op: '=' as const, value: 'EUR' }],
};

test('analysis: anchor traces count', () => {
  verifySqlSnapshot('analysis-anchor-count', anchorCountSql(named));
});

test('analysis: breakdown of root spans', () => {
  verifySqlSnapshot('analysis-breakdown-roots', breakdownSql({ ...roots, slowQuantile: 0.95, maxSpansPerTrace: 2000 }));
});

test('analysis: breakdown of named, filtered, sampled spans', () => {
  verifySqlSnapshot('analysis-breakdown-named', breakdownSql({ ...named, slowQuantile: 0.95, maxSpansPerTrace: 2000 }));
});

test('analysis: compare values, slowest 5%', () => {
  verifySqlSnapshot('analysis-compare-values-slow', compareValuesSql({ ...roots, selection: { type: 'slow', quantile: 0.95 } }, 50));
});

test('analysis: compare values, a filter as the selection', () => {
  const selection = { type: 'filter' as const, attributes: [{ key: 'payment.currency', op: '=' as const, value: 'EUR' }], minDurationNs: 100_000_000n };
  verifySqlSnapshot('analysis-compare-values-filter', compareValuesSql({ ...named, selection }, 50));
});

test('analysis: compare numbers, errors', () => {
  verifySqlSnapshot('analysis-compare-numbers-errors', compareNumbersSql({ ...roots, selection: { type: 'errors' } }));
});
