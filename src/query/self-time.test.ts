import assert from 'node:assert/strict';
import { test } from 'node:test';
import { selfTimes } from './self-time.ts';
import { spansOf } from './test-spans.ts';
import { buildTraceTree } from './trace-tree.ts';

const self = (rows: [string, string, number, number][]) => {
  const spans = spansOf(rows);
  return [...selfTimes(spans, buildTraceTree(spans))];
};

test('sequential children: duration minus their sum', () => {
  assert.deepEqual(self([['p', '', 0, 100], ['a', 'p', 10, 40], ['b', 'p', 50, 90]]), [30, 30, 40]);
});

test('overlapping children count once (union of intervals)', () => {
  assert.deepEqual(self([['p', '', 0, 100], ['a', 'p', 10, 50], ['b', 'p', 30, 70], ['c', 'p', 35, 45]]), [40, 40, 40, 10]);
});

test('children running past the parent are clipped to it; self time never goes negative', () => {
  assert.deepEqual(
    self([
      ['p', '', 0, 100],
      ['late', 'p', 80, 150],
      ['early', 'p', -20, 10],
      ['outside', 'p', 200, 300],
    ]),
    [70, 70, 30, 100],
  );
  // Children covering more than the whole parent, overlapping each other.
  assert.deepEqual(self([['p', '', 0, 10], ['a', 'p', -5, 8], ['b', 'p', 2, 20]]), [0, 13, 18]);
});

test('a span whose end is before its start has zero self time', () => {
  assert.deepEqual(self([['p', '', 50, 40]]), [0]);
});

test('only direct children are subtracted', () => {
  assert.deepEqual(self([['p', '', 0, 100], ['a', 'p', 0, 60], ['a1', 'a', 10, 50]]), [40, 20, 40]);
});
