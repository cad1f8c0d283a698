import type { TraceTree, TreeSpanInput } from './trace-tree.ts';

// Critical path: the chain of work that decided when the trace ended.
//
// Jaeger UI's algorithm (packages/jaeger-ui/src/components/TracePage/CriticalPath/
// index.tsx, computeCriticalPath, with utils/findLastFinishingChildSpan.ts and
// utils/sanitizeOverFlowingChildren.ts): start at the root's end; the span's
// last-finishing child (LFC) that ends before the current point blocked it, so
// the span itself is critical from the LFC's end to that point; descend into the
// LFC from its own end. A span with no such child is critical from its start to
// the point; then return to its parent with the point moved back to the span's
// start, and look for the parent's next LFC ending before it.
// Children are first clipped to their parent (sanitizeOverFlowingChildren), and
// a child wholly outside its parent is dropped with its subtree.
//
// Differences, on purpose:
// - Iterative, with each span's children sorted by end once and a cursor that
//   only moves forward (the point only moves back), so a 100,000-span trace is
//   O(n log n) and a deep chain cannot overflow the stack. Jaeger recurses and
//   scans the children at every step.
// - A child that ends exactly when the returning child starts counts as blocking
//   (`<=`; Jaeger's `<` skips it). Sequential awaits on a millisecond clock end
//   and start on the same tick, and the time belongs to that child, not to the
//   parent. The cursor guarantees no child is taken twice, so `<=` cannot loop.
// - Zero-length (after clipping) children are dropped: they cover no time.
// - The walk starts at the longest root-level span that has no parent id (the
//   longest orphan when the root is missing); Jaeger requires a root.

export interface CriticalSegment {
  /** Input index of the span. */
  span: number;
  startNs: number;
  endNs: number;
}

export function criticalPath(spans: readonly TreeSpanInput[], tree: TraceTree): CriticalSegment[] {
  const n = spans.length;
  if (tree.roots.length === 0) return [];
  // Effective (clipped) interval of each span; NaN marks a dropped span.
  const effStart = new Float64Array(n).fill(Number.NaN);
  const effEnd = new Float64Array(n).fill(Number.NaN);
  for (const i of tree.order) {
    const span = spans[i]!;
    const p = tree.parent[i]!;
    let s = span.startNs;
    let e = Math.max(span.startNs, span.endNs);
    if (p >= 0) {
      if (Number.isNaN(effStart[p]!)) continue;
      s = Math.max(s, effStart[p]!);
      e = Math.min(e, effEnd[p]!);
      if (e <= s) continue;
    }
    effStart[i] = s;
    effEnd[i] = e;
  }

  const top = pickTop(spans, tree);
  const sortedKids = new Map<number, number[]>();
  const kidsOf = (i: number): number[] => {
    let kids = sortedKids.get(i);
    if (kids === undefined) {
      kids = tree.children[i]!.filter((c) => !Number.isNaN(effStart[c]!));
      kids.sort((a, b) => effEnd[b]! - effEnd[a]! || effStart[b]! - effStart[a]!);
      sortedKids.set(i, kids);
    }
    return kids;
  };
  const cursor = new Int32Array(n);

  const reversed: CriticalSegment[] = [];
  const push = (span: number, startNs: number, endNs: number) => {
    if (endNs > startNs) reversed.push({ span, startNs, endNs });
  };
  let cur = top;
  let point = effEnd[top]!;
  for (;;) {
    const kids = kidsOf(cur);
    let k = cursor[cur]!;
    while (k < kids.length && effEnd[kids[k]!]! > point) k++;
    if (k < kids.length) {
      const lfc = kids[k]!;
      cursor[cur] = k + 1;
      push(cur, effEnd[lfc]!, point);
      cur = lfc;
      point = effEnd[lfc]!;
    } else {
      cursor[cur] = k;
      push(cur, effStart[cur]!, point);
      if (cur === top) break;
      point = effStart[cur]!;
      cur = tree.parent[cur]!;
    }
  }
  return reversed.reverse();
}

function pickTop(spans: readonly TreeSpanInput[], tree: TraceTree): number {
  const candidates = tree.roots.filter((r) => !tree.orphan[r]);
  const pool = candidates.length > 0 ? candidates : tree.roots;
  let best = pool[0]!;
  const length = (i: number) => Math.max(0, spans[i]!.endNs - spans[i]!.startNs);
  for (const r of pool) if (length(r) > length(best)) best = r;
  return best;
}
