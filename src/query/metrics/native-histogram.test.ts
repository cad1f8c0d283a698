import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StoredPoint } from '../../storage/metric-series-api.ts';
import { NativeHistogram } from './native-histogram.ts';

// Exponential histograms as native histograms, against hand-computed values
// (Prometheus 2.42 cannot import native histograms from OpenMetrics, so the
// oracle test cannot cover them).

const point = (p: Partial<StoredPoint>): StoredPoint => ({
  timeMs: 0, startMs: 0, flags: 0, value: 0, count: 0, sum: 0, bucketCounts: [], bounds: [], scale: 0, zeroCount: 0,
  zeroThreshold: 0, positiveOffset: 0, positiveCounts: [], negativeOffset: 0, negativeCounts: [], quantiles: [], quantileValues: [],
  ...p,
});

test('OTLP bucket i is Prometheus bucket i+1; scales above 8 are merged down to 8', () => {
  const h = NativeHistogram.fromExponential(point({ scale: 0, positiveOffset: -1, positiveCounts: [1, 2], count: 3 }));
  assert.deepEqual([...h.positive], [[0, 1], [1, 2]]);
  assert.deepEqual(h.buckets(), [{ lower: 0.5, upper: 1, count: 1 }, { lower: 1, upper: 2, count: 2 }]);
  const fine = NativeHistogram.fromExponential(point({ scale: 9, positiveCounts: [3, 5], count: 8 }));
  assert.equal(fine.schema, 8);
  assert.deepEqual([...fine.positive], [[1, 8]]);
  const coarse = NativeHistogram.fromExponential(point({ scale: 1, positiveCounts: [1, 1, 1, 1], count: 4 })).reduceTo(0);
  assert.deepEqual([...coarse.positive], [[1, 2], [2, 2]]);
});

test('quantiles across negative, zero and positive buckets (histogramQuantile)', () => {
  const h = NativeHistogram.fromExponential(
    point({ scale: 0, negativeOffset: 0, negativeCounts: [2], zeroCount: 2, zeroThreshold: 0.5, positiveOffset: 0, positiveCounts: [4], count: 8 }),
  );
  assert.equal(h.quantile(0.25), -1);
  assert.equal(h.quantile(0.5), 0.5);
  assert.equal(h.quantile(0.75), 1.5);
  assert.equal(h.quantile(1.5), Number.POSITIVE_INFINITY);
  assert.ok(Number.isNaN(new NativeHistogram(0, 0, 0, 0, 0, new Map(), new Map()).quantile(0.5)));
});

test('adding histograms of different schemas reduces to the coarser one; resets are seen per bucket', () => {
  const a = NativeHistogram.fromExponential(point({ scale: 1, positiveCounts: [1, 1], count: 2, sum: 3 }));
  const b = NativeHistogram.fromExponential(point({ scale: 0, positiveCounts: [5], count: 5, sum: 7 }));
  const s = a.add(b);
  assert.equal(s.schema, 0);
  assert.deepEqual([...s.positive], [[1, 7]]);
  assert.equal(s.count, 7);
  assert.equal(s.sum, 10);
  assert.equal(b.resetBefore(a.add(b)), false);
  assert.equal(s.resetBefore(b), true);
});
