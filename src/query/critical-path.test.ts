import assert from 'node:assert/strict';
import { test } from 'node:test';
import { criticalPath } from './critical-path.ts';
import { spansOf } from './test-spans.ts';
import { buildTraceTree } from './trace-tree.ts';

/** The path as [spanId, start, end], in time order. */
const path = (rows: [string, string, number, number][]) => {
  const spans = spansOf(rows);
  return criticalPath(spans, buildTraceTree(spans)).map((s) => [spans[s.span]!.spanId, s.startNs, s.endNs]);
};

test('sequential children: the path alternates parent and children', () => {
  assert.deepEqual(path([['root', '', 0, 100], ['a', 'root', 10, 40], ['b', 'root', 50, 90]]), [
    ['root', 0, 10],
    ['a', 10, 40],
    ['root', 40, 50],
    ['b', 50, 90],
    ['root', 90, 100],
  ]);
});

test('parallel children: only the last-finishing one blocks; one it overlaps is skipped', () => {
  assert.deepEqual(path([['root', '', 0, 100], ['a', 'root', 10, 80], ['b', 'root', 20, 60]]), [
    ['root', 0, 10],
    ['a', 10, 80],
    ['root', 80, 100],
  ]);
});

test('after returning, the parent takes the child that ends before the returning one started', () => {
  // c ends before b starts, a ends after b starts: from b's start, c is the LFC.
  assert.deepEqual(path([['root', '', 0, 100], ['c', 'root', 5, 30], ['a', 'root', 10, 60], ['b', 'root', 50, 90]]), [
    ['root', 0, 5],
    ['c', 5, 30],
    ['root', 30, 50],
    ['b', 50, 90],
    ['root', 90, 100],
  ]);
});

test('nested children are followed down and back up', () => {
  assert.deepEqual(path([['root', '', 0, 100], ['a', 'root', 10, 90], ['a1', 'a', 20, 50], ['a2', 'a', 60, 80]]), [
    ['root', 0, 10],
    ['a', 10, 20],
    ['a1', 20, 50],
    ['a', 50, 60],
    ['a2', 60, 80],
    ['a', 80, 90],
    ['root', 90, 100],
  ]);
});

test('a child running past its parent is clipped; one wholly outside is not on the path', () => {
  assert.deepEqual(path([['root', '', 0, 100], ['a', 'root', 50, 150]]), [['root', 0, 50], ['a', 50, 100]]);
  assert.deepEqual(path([['root', '', 0, 100], ['a', 'root', 150, 200], ['a1', 'a', 160, 170]]), [['root', 0, 100]]);
});

test('a child ending exactly when the next starts is on the path', () => {
  assert.deepEqual(path([['root', '', 0, 100], ['a', 'root', 0, 50], ['b', 'root', 50, 100]]), [['a', 0, 50], ['b', 50, 100]]);
});

test('without a root, the walk starts at the longest orphan; with several roots, at the longest root', () => {
  assert.deepEqual(path([['x', 'missing', 0, 10], ['y', 'missing', 0, 40], ['y1', 'y', 10, 20]]), [
    ['y', 0, 10],
    ['y1', 10, 20],
    ['y', 20, 40],
  ]);
  assert.deepEqual(path([['r1', '', 0, 10], ['r2', '', 5, 50]]), [['r2', 5, 50]]);
});

test('a 100,000-deep chain is walked without overflowing the stack', () => {
  const n = 100_000;
  const spans = Array.from({ length: n }, (_, i) => ({ spanId: `s${i}`, parentSpanId: i === 0 ? '' : `s${i - 1}`, startNs: i, endNs: 2 * n - i }));
  const segments = criticalPath(spans, buildTraceTree(spans));
  assert.equal(new Set(segments.map((s) => s.span)).size, n);
  const total = segments.reduce((sum, s) => sum + (s.endNs - s.startNs), 0);
  assert.equal(total, 2 * n);
});
