import { test } from 'node:test';
import { attributeKeysSql, attributeValuesSql } from './attribute-values-sql.ts';
import { logHistogramSql } from './log-histogram-sql.ts';
import { redStatsSql, servicesInRangeSql } from './red-stats-sql.ts';
import { verifySqlSnapshot } from './testdata/sql-snapshot.ts';
import { logCountsSql, spanSql, traceLogsSql, treeSpansSql } from './trace-view-sql.ts';

// The SQL of the web UI's reads, as files under snapshots/ (testdata/sql-snapshot.ts).
// Values appear only as bound parameters: user text in the inputs below must
// show up in the `-- pN =` lines, never in the statement.

const range = { startNs: 1_764_620_400_000_000_000n, endNs: 1_764_624_000_000_000_000n };
const TRACE = '5b8efff798038103d269b633813fc60c';
const SPAN = 'eee19b7ec3c1b174';

test('RED per service and per operation', () => {
  verifySqlSnapshot('red-stats-services', redStatsSql({ ...range, buckets: 30, stepNs: 120_000_000_000n }));
  verifySqlSnapshot('red-stats-operations', redStatsSql({ ...range, buckets: 30, stepNs: 120_000_000_000n, service: "pay' OR 1=1" }));
  verifySqlSnapshot('services-in-range', servicesInRangeSql({ ...range, buckets: 30 }));
});

test('attribute keys and values, span and resource scope', () => {
  const q = { ...range, service: 'payment-api', text: 'pay%', limit: 200 };
  verifySqlSnapshot('attribute-keys-span', attributeKeysSql('span', q));
  verifySqlSnapshot('attribute-keys-resource', attributeKeysSql('resource', { ...range, limit: 200 }));
  verifySqlSnapshot('attribute-values-span', attributeValuesSql('span', { ...q, key: 'payment.currency', text: 'E' }));
  verifySqlSnapshot('attribute-values-resource', attributeValuesSql('resource', { ...range, key: 'service.name', limit: 50 }));
});

test('trace view reads', () => {
  verifySqlSnapshot('trace-tree-spans', treeSpansSql(TRACE));
  verifySqlSnapshot('trace-span', spanSql(TRACE, SPAN));
  verifySqlSnapshot('trace-log-counts', logCountsSql(TRACE));
  verifySqlSnapshot('trace-logs', traceLogsSql(TRACE, 1001));
});

test('log histogram with every filter', () => {
  verifySqlSnapshot(
    'log-histogram',
    logHistogramSql({
      ...range,
      stepNs: 60_000_000_000n,
      traceId: TRACE,
      service: 'payment-api',
      minSeverity: 17,
      text: 'declined',
      attributes: [{ key: 'payment.currency', op: '=', value: 'EUR' }],
    }),
  );
});
