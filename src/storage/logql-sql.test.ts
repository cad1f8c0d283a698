import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LogSelector } from '../query/logql/ast.ts';
import { parseLogql } from '../query/logql/parse.ts';
import { indexStatsSql, labelNamesSql, labelValuesSql, seriesSql } from './logql-index-sql.ts';
import { logLinesSql, sampleBucketsSql } from './logql-query-sql.ts';
import type { SeriesKey } from './logql-query-sql.ts';
import { QueryParams } from './sql.ts';
import { verifySqlSnapshot } from './testdata/sql-snapshot.ts';

// The SQL each LogQL construct becomes, kept as snapshots (UPDATE_SNAPSHOTS=1).

const startNs = 1_700_000_000_000_000_000n;
const endNs = 1_700_003_600_000_000_000n;

function selector(query: string): LogSelector {
  const q = parseLogql(query);
  if (q.kind === 'logs') return q.selector;
  if (q.expr.kind === 'range') return q.expr.selector;
  throw new Error('not a selector');
}

function lines(name: string, query: string, direction: 'backward' | 'forward' = 'backward'): void {
  const p = new QueryParams();
  const built = logLinesSql({ selector: selector(query), startNs, endNs, direction }, p.bind('UInt32', 200), p);
  verifySqlSnapshot(name, { sql: built.sql, params: p });
}

test('logql: stream selector and line filters', () => {
  lines('logql-lines-filters', '{service_name="payment-api", deployment_environment=~"prod.*", k8s_pod_name!=""} |= "declined" != "EUR" or "USD" |~ "amount=\\\\d+" !~ "(?i)test"');
});

test('logql: json, label filters, trace_id before any parser', () => {
  lines('logql-lines-json', '{service_name="payment-api"} | trace_id="4bf92f3577b34da6a3ce929d0e0e4736" | json | http_status >= 400 and currency="EUR" or amount < 5', 'forward');
});

test('logql: json with paths, logfmt, line_format, a filter on the new line', () => {
  lines('logql-lines-format', '{service_name="payment-api"} | json a="x.y[0]", b | logfmt lvl="level" | lvl="error" | line_format "{{ upper .lvl }} {{__line__}} {{.a}}" |= "ERROR"');
});

test('logql: sample buckets per series key', () => {
  const buckets = (name: string, query: string, key: SeriesKey) =>
    verifySqlSnapshot(name, sampleBucketsSql({ selector: selector(query), afterNs: startNs - 60_000_000_000n, untilNs: endNs, bucketNs: 60_000_000_000n, key, maxRows: 500_000 }));
  buckets('logql-buckets-sum-by', 'count_over_time({service_name="payment-api"} |= "declined" | drop __error__, trace_id [1m])', { kind: 'by', labels: ['detected_level'] });
  buckets('logql-buckets-labels', 'rate({deployment_environment="production"} | logfmt [1m])', { kind: 'labels' });
  buckets('logql-buckets-without', 'bytes_over_time({service_name=~"pay.*"}[1m])', { kind: 'without', labels: ['trace_id', 'span_id'] });
});

test('logql: label names, values, series and index stats', () => {
  const matchers = selector('{service_name="checkout", deployment_environment=~"stag.*"}').matchers;
  verifySqlSnapshot('logql-index-labels', labelNamesSql({ startNs, endNs, selectors: [] }));
  verifySqlSnapshot('logql-index-values', labelValuesSql('deployment_environment', { startNs, endNs, selectors: [matchers] }));
  verifySqlSnapshot('logql-index-series', seriesSql({ startNs, endNs, selectors: [matchers, selector('{k8s_pod_name="a"}').matchers] }));
  verifySqlSnapshot('logql-index-stats', indexStatsSql({ startNs, endNs, selectors: [matchers] }));
});

test('logql: no user text in the SQL, only placeholders', () => {
  const p = new QueryParams();
  const built = logLinesSql({ selector: selector('{service_name="x\'; DROP TABLE logs"} |= "\'\\"" | json | a="\'"'), startNs, endNs, direction: 'backward' }, '100', p);
  assert.ok(!built.sql.includes('DROP TABLE'));
  assert.ok(Object.values(p.values).includes("x'; DROP TABLE logs"));
});
