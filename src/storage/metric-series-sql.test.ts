import { test } from 'node:test';
import {
  metricAttributeKeysSql, metricCatalogSql, metricExemplarsSql, metricExponentialDeltaBaseSql, metricSeriesSql, originTimesSql, originsSql,
} from './metric-series-sql.ts';
import { metricWindowSql } from './metric-window-sql.ts';
import { verifySqlSnapshot } from './testdata/sql-snapshot.ts';

// The SQL PromQL selectors become (metric-series-sql.ts), kept as snapshots/promql-*.sql.

const range = { startMs: 1_700_000_000_000, endMs: 1_700_003_600_000 };

test('metric catalog and attribute keys', () => {
  verifySqlSnapshot('promql-metric-catalog', metricCatalogSql(range.startMs, range.endMs));
  verifySqlSnapshot('promql-attribute-keys', metricAttributeKeysSql(['http.server.request.duration'], range.startMs, range.endMs));
});

test('number series with attribute, regex and resource matchers', () => {
  verifySqlSnapshot(
    'promql-series-number',
    metricSeriesSql({
      ...range,
      metricNames: ['http.server.requests'],
      shape: 'number',
      matchers: [
        { source: { type: 'attributes', keys: ['http.route'] }, op: '=~', value: '^(?:/c.*)$' },
        { source: { type: 'attributes', keys: ['http.response.status_code', 'http_response_status_code'] }, op: '!=', value: '500' },
        { source: { type: 'job' }, op: '=', value: 'checkout' },
        { source: { type: 'instance' }, op: '!~', value: '^(?:i-2)$' },
      ],
    }),
  );
});

test('histogram series (with delta base) and identities only', () => {
  verifySqlSnapshot('promql-series-histogram', metricSeriesSql({ ...range, metricNames: ['http.server.request.duration'], shape: 'histogram', matchers: [] }));
  verifySqlSnapshot(
    'promql-series-exponential-identities',
    metricSeriesSql({ ...range, metricNames: ['latency'], shape: 'exponentialHistogram', matchers: [{ source: { type: 'none' }, op: '=', value: 'x' }], identitiesOnly: true }),
  );
  verifySqlSnapshot('promql-series-exponential-delta-base', metricExponentialDeltaBaseSql({ ...range, metricNames: ['queue.wait'], shape: 'exponentialHistogram', matchers: [{ source: { type: 'job' }, op: '=', value: 'checkout' }] }));
  verifySqlSnapshot('promql-series-summary', metricSeriesSql({ ...range, metricNames: ['rpc.latency'], shape: 'summary', matchers: [{ source: { type: 'scopeName' }, op: '=', value: 'io.opentelemetry' }] }));
});

test('origins and target_info times', () => {
  verifySqlSnapshot('promql-origins', originsSql(['123', '18446744073709551615']));
  verifySqlSnapshot('promql-origin-times', originTimesSql(range.startMs, range.endMs, [{ source: { type: 'job' }, op: '=', value: 'checkout' }]));
});

test('rate, increase and delta per step window in SQL', () => {
  const w = { firstEndMs: range.startMs, stepMs: 60_000, steps: 60, rangeMs: 300_000 };
  verifySqlSnapshot('promql-window-rate-bucket', metricWindowSql({ ...w, metricNames: ['http.server.request.duration'], value: 'bucket', matchers: [{ source: { type: 'job' }, op: '=', value: 'checkout' }], func: 'rate' }));
  verifySqlSnapshot(
    'promql-window-sum-by-route',
    metricWindowSql({ ...w, metricNames: ['http.server.request.duration'], value: 'bucket', matchers: [], func: 'rate', sumBy: ['http_route'] }),
  );
  verifySqlSnapshot('promql-window-delta-number', metricWindowSql({ ...w, metricNames: ['process.memory.usage'], value: 'number', matchers: [], func: 'delta' }));
});

test('exemplars of the matching series', () => {
  verifySqlSnapshot('promql-exemplars', metricExemplarsSql(['checkout.duration'], [{ source: { type: 'job' }, op: '=', value: 'checkout' }], range.startMs, range.endMs));
});
