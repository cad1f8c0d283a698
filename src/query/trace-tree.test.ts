import assert from 'node:assert/strict';
import { test } from 'node:test';
import { spansOf } from './test-spans.ts';
import { buildTraceTree } from './trace-tree.ts';

const ids = (spans: { spanId: string }[], order: readonly number[]) => order.map((i) => spans[i]!.spanId);

test('children follow their parent depth-first, each level by start time', () => {
  const spans = spansOf([
    ['b', 'root', 50, 90],
    ['a1', 'a', 20, 30],
    ['root', '', 0, 100],
    ['a', 'root', 10, 40],
  ]);
  const tree = buildTraceTree(spans);
  assert.deepEqual(ids(spans, tree.order), ['root', 'a', 'a1', 'b']);
  assert.deepEqual([...tree.depth], [1, 2, 0, 1]);
  assert.deepEqual([...tree.parent], [2, 3, -1, 2]);
  assert.deepEqual(ids(spans, tree.children[2]!), ['a', 'b']);
  assert.deepEqual([...tree.orphan], [0, 0, 0, 0]);
});

test('a span whose parent is missing sits at the root level, marked orphan, with its subtree', () => {
  const spans = spansOf([
    ['root', '', 0, 100],
    ['lost', 'never-received', 5, 20],
    ['lost-child', 'lost', 6, 10],
  ]);
  const tree = buildTraceTree(spans);
  assert.deepEqual(ids(spans, tree.roots), ['root', 'lost']);
  assert.deepEqual(ids(spans, tree.order), ['root', 'lost', 'lost-child']);
  assert.equal(tree.orphan[1], 1);
  assert.equal(tree.orphan[2], 0);
  assert.equal(tree.depth[1], 0);
  assert.equal(tree.depth[2], 1);
});

test('several roots are all kept, by start time', () => {
  const spans = spansOf([
    ['r2', '', 30, 40],
    ['r1', '', 0, 10],
    ['c2', 'r2', 31, 32],
  ]);
  const tree = buildTraceTree(spans);
  assert.deepEqual(ids(spans, tree.roots), ['r1', 'r2']);
  assert.deepEqual(ids(spans, tree.order), ['r1', 'r2', 'c2']);
  assert.equal(tree.orphan[0], 0);
});

test('a repeated span id is left out once; a span that is its own parent is an orphan', () => {
  const spans = spansOf([
    ['root', '', 0, 100],
    ['a', 'root', 1, 2],
    ['a', 'root', 1, 2],
    ['self', 'self', 3, 4],
  ]);
  const tree = buildTraceTree(spans);
  assert.deepEqual(tree.duplicates, [2]);
  assert.deepEqual(ids(spans, tree.order), ['root', 'a', 'self']);
  assert.equal(tree.orphan[3], 1);
});

test('a parent loop is cut at one span, which becomes an orphan; every span appears once', () => {
  const spans = spansOf([
    ['x', 'y', 0, 10],
    ['y', 'x', 1, 9],
    ['z', 'y', 2, 3],
  ]);
  const tree = buildTraceTree(spans);
  assert.equal(tree.order.length, 3);
  assert.equal(new Set(tree.order).size, 3);
  assert.equal(tree.roots.length, 1);
  const top = tree.roots[0]!;
  assert.equal(tree.orphan[top], 1);
  assert.equal(tree.parent[top], -1);
  assert.equal(tree.order[0], top);
});

test('a 100,000-deep chain is assembled without overflowing the stack', () => {
  const n = 100_000;
  const spans = Array.from({ length: n }, (_, i) => ({ spanId: `s${i}`, parentSpanId: i === 0 ? '' : `s${i - 1}`, startNs: i, endNs: 2 * n - i }));
  const tree = buildTraceTree(spans);
  assert.equal(tree.order.length, n);
  assert.equal(tree.depth[n - 1], n - 1);
});
