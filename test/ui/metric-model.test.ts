import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alignSeries, bucketRows, chartsFor, selectorFor, seriesName, stepFor } from '../../web/src/features/metrics/metric-queries.ts';

// The metrics page's pure logic (what a metric is charted as, series on one
// time axis, bucket rates), tested without a browser.

test('series of a matrix share one time axis; gaps and NaN are null', () => {
  const aligned = alignSeries([
    { metric: { a: '1' }, values: [[10, '1'], [30, '3']] },
    { metric: { a: '2' }, values: [[20, '2'], [30, 'NaN']] },
  ]);
  assert.deepEqual(aligned.xs, [10, 20, 30]);
  assert.deepEqual(aligned.ys, [[1, null, 3], [null, 2, null]]);
});

test('a bucket row is its cumulative count minus the bucket below, lowest bound first, +Inf last', () => {
  const rows = bucketRows([
    { metric: { le: '+Inf' }, values: [[1, '10']] },
    { metric: { le: '0.5' }, values: [[1, '7']] },
    { metric: { le: '0.1' }, values: [[1, '2']] },
  ]);
  assert.deepEqual(rows.les, ['0.1', '0.5', '+Inf']);
  assert.deepEqual(rows.rates, [[2], [5], [3]]);
});

test('counters chart as rates, histograms as quantiles and a heatmap of _bucket, gauges as values', () => {
  assert.deepEqual(chartsFor('payments_processed_total', 'counter').map((c) => c.query), ['rate(payments_processed_total[5m])']);
  const histogram = chartsFor('http_server_request_duration_seconds', 'histogram');
  assert.deepEqual(histogram.map((c) => c.kind), ['lines', 'heatmap']);
  assert.match(histogram[0]!.query, /histogram_quantile\(0\.95, sum by \(le\) \(rate\(http_server_request_duration_seconds_bucket\[5m\]\)\)\)/);
  assert.equal(histogram[1]!.query, 'sum by (le) (rate(http_server_request_duration_seconds_bucket[5m]))');
  assert.deepEqual(chartsFor('queue_depth', 'gauge').map((c) => c.query), ['queue_depth']);
  assert.equal(selectorFor('http_server_request_duration_seconds', 'histogram'), 'http_server_request_duration_seconds_bucket');
});

test('series names in Prometheus notation; steps of at least 15 s', () => {
  assert.equal(seriesName({ __name__: 'up', job: 'api' }), 'up{job="api"}');
  assert.equal(seriesName({ http_route: '/a' }), '{http_route="/a"}');
  assert.equal(seriesName({}), '{}');
  assert.equal(stepFor(0, 3_600_000), 15);
  assert.equal(stepFor(0, 24 * 3_600_000), 360);
});
